package dev.awa.maintenance.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.InvalidJobException;
import dev.awa.core.JobResult;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.core.QueueConfig;
import dev.awa.core.Worker;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: poisoned jobs next to healthy ones. Every poison ends in a definite state with a
 * readable error, bad input is refused at enqueue or stored literally, and the healthy jobs all
 * complete meanwhile.
 *
 * <p>What the runtime does with each (also in {@code docs/operations.md}):
 *
 * <ul>
 *   <li>handler returns {@code null}: counts as completed;
 *   <li>handler throws an {@code Error} ({@code AssertionError}): a retryable error like any
 *       exception; failed once the attempts are spent;
 *   <li>handler throws a {@code VirtualMachineError} ({@code StackOverflowError}): the runtime
 *       treats the JVM as possibly damaged, logs it at ERROR, frees the slot and drops the attempt
 *       without writing; heartbeats for it stop, so the leader's heartbeat rescue (or its deadline
 *       rescue, whichever comes first) retries or fails it;
 *   <li>handler blocks forever ignoring interrupts: at the deadline the flag is raised and the
 *       thread interrupted; the thread stays stuck and <b>keeps its slot</b> (the runtime never
 *       runs more handlers than the concurrency), while the leader's deadline rescue retries or
 *       fails the job and whatever the stuck handler writes later is fenced out as stale;
 *   <li>args that do not map to the worker's type: the mapping exception is the attempt's error;
 *   <li>unknown kind: {@code awa.unknown_kind} error, retried then failed (default policy);
 *   <li>args over {@link NewJob#MAX_ARGS_BYTES}: {@link InvalidJobException} at enqueue, nothing
 *       stored;
 *   <li>queue, kind and tags full of quotes, semicolons and SQL: bound as parameters, stored and
 *       processed literally.
 * </ul>
 */
@AwaTest
@Tag("chaos")
class PoisonedJobsTest {
  private static final String QUEUE = "chaos_poison";
  private static final String HOSTILE_QUEUE = "q'; DROP TABLE awa.jobs; -- \"x\" $$;$$";
  private static final String HOSTILE_KIND = "k\"); DELETE FROM awa.jobs WHERE 1=1; --'";
  private static final List<String> HOSTILE_TAGS =
      List.of("'; TRUNCATE awa.jobs; --", "a\"b;c", "$tag$ OR 1=1 $tag$", "\\'; SELECT 1;");

  /** Typed args the mismatched job cannot be read into. */
  record Count(int n) {}

  private final TestDatabase db;

  PoisonedJobsTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void poisonEndsInADefiniteStateAndHealthyJobsKeepFlowing() throws Exception {
    db.truncateJobs();
    DataSource ds = db.newDataSource(8, "chaos-poison");
    DataSource logPool = db.dataSource();
    Chaos.createExecLog(logPool);
    AwaClient client = AwaClient.create(ds);
    CountDownLatch releaseBlocked = new CountDownLatch(1);
    AtomicInteger interruptsIgnored = new AtomicInteger();

    // Over the size limit: refused before anything is written.
    long before = Chaos.countAll(ds);
    String huge = "{\"blob\":\"" + "x".repeat(NewJob.MAX_ARGS_BYTES) + "\"}";
    assertThatThrownBy(() -> client.enqueue(NewJob.builder("healthy").argsJson(huge).build()))
        .isInstanceOf(InvalidJobException.class)
        .hasMessageContaining("args")
        .hasMessageContaining(String.valueOf(NewJob.MAX_ARGS_BYTES));
    assertThat(Chaos.countAll(ds)).isEqualTo(before);

    Worker healthy = Chaos.recording(logPool, "poison-runtime", Duration.ofMillis(5));
    try (MaintenanceService leader = Chaos.maintenance(ds, "poison-leader").build().start();
        AwaRuntime runtime =
            Chaos.runtime(ds, "poison-runtime")
                .queue(QueueConfig.of(QUEUE, 4).withDeadline(Duration.ofSeconds(2)))
                .queue(HOSTILE_QUEUE, 2)
                .register("healthy", healthy)
                .register(HOSTILE_KIND, healthy)
                .register("returns_null", ctx -> null)
                .register(
                    "throws_assertion",
                    ctx -> {
                      throw new AssertionError("handler invariant broken");
                    })
                .register(
                    "throws_stack_overflow",
                    ctx -> {
                      throw new StackOverflowError("simulated deep recursion");
                    })
                .register(
                    "blocks_forever",
                    ctx -> {
                      // Ignores interrupts on purpose; only the test's latch ends it.
                      while (true) {
                        try {
                          releaseBlocked.await();
                          return JobResult.completed();
                        } catch (InterruptedException e) {
                          interruptsIgnored.incrementAndGet();
                        }
                      }
                    })
                .register("typed", Worker.typed(Count.class, (args, ctx) -> JobResult.completed()))
                .build()) {
      runtime.start();
      long nullId = poison(client, "returns_null", QUEUE, Map.of());
      long assertionId = poison(client, "throws_assertion", QUEUE, Map.of());
      long overflowId = poison(client, "throws_stack_overflow", QUEUE, Map.of());
      long blockedId = poison(client, "blocks_forever", QUEUE, Map.of());
      long mismatchId = poison(client, "typed", QUEUE, Map.of("n", "not a number"));
      long unknownId = poison(client, "no_worker_for_this_kind", QUEUE, Map.of());
      JobRow hostile =
          client.enqueue(
              NewJob.builder(HOSTILE_KIND)
                  .queue(HOSTILE_QUEUE)
                  .tags(HOSTILE_TAGS)
                  .args(Map.of("sql", "'); DROP TABLE awa.jobs; --"))
                  .build());
      Set<Long> healthyIds = new HashSet<>();
      for (int round = 0; round < 10; round++) {
        Arrays.stream(Chaos.enqueue(client, "healthy", QUEUE, 30)).forEach(healthyIds::add);
      }

      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> state(client, blockedId) == JobState.FAILED);
      // The stuck handler still occupies its slot, and is accounted as in flight, until it returns.
      assertThat(runtime.inFlightCount()).isGreaterThanOrEqualTo(1);
      assertThat(interruptsIgnored.get()).isPositive();
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  Chaos.queryLong(
                          ds,
                          "SELECT count(*) FROM awa.jobs WHERE state = 'completed' AND kind ="
                              + " 'healthy'")
                      == healthyIds.size());
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  state(client, overflowId) == JobState.FAILED
                      && state(client, assertionId) == JobState.FAILED
                      && state(client, mismatchId) == JobState.FAILED
                      && state(client, unknownId) == JobState.FAILED
                      && state(client, hostile.id()) == JobState.COMPLETED);
      releaseBlocked.countDown();
      await().atMost(Duration.ofMinutes(1)).until(() -> runtime.inFlightCount() == 0);

      assertThat(state(client, nullId)).isEqualTo(JobState.COMPLETED);
      assertThat(errors(client, assertionId)).contains("AssertionError", "invariant broken");
      // Abandoned without a write: whichever rescue sees it first (heartbeat or deadline) ends it.
      assertThat(errors(client, overflowId)).contains("\"error_class\": \"rescue.");
      assertThat(errors(client, blockedId)).contains("deadline");
      assertThat(errors(client, mismatchId)).contains("not a number");
      assertThat(errors(client, unknownId)).contains("awa.unknown_kind");
      // The late completion of the stuck handler was fenced out: still failed.
      assertThat(state(client, blockedId)).isEqualTo(JobState.FAILED);

      JobRow stored = client.operator().getJob(hostile.id()).orElseThrow();
      assertThat(stored.kind()).isEqualTo(HOSTILE_KIND);
      assertThat(stored.queue()).isEqualTo(HOSTILE_QUEUE);
      assertThat(stored.tags()).containsExactlyElementsOf(HOSTILE_TAGS);
      assertThat(stored.argsJson()).contains("DROP TABLE awa.jobs");
      assertThat(Chaos.queryLong(ds, "SELECT count(*) FROM awa.jobs")).isPositive();
    }
  }

  private static long poison(AwaClient client, String kind, String queue, Map<String, ?> args) {
    return client.enqueue(NewJob.builder(kind).queue(queue).args(args).maxAttempts(1).build()).id();
  }

  private static JobState state(AwaClient client, long id) {
    return client.operator().getJob(id).map(JobRow::state).orElse(null);
  }

  private static String errors(AwaClient client, long id) {
    return client.operator().getJob(id).orElseThrow().errorsJson();
  }
}
