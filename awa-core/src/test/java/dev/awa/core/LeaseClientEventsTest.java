package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease client reports the lease protocol whoever calls it: a user's own loop sees claim and
 * complete (and the other outcomes) as the runtime does (issue 13, "a client per role").
 */
@AwaTest
class LeaseClientEventsTest {
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  private final TestDatabase db;
  private final Events events = new Events();
  private final AwaClient awa;

  LeaseClientEventsTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.builder(db.dataSource()).listener(events.listener).build();
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  /**
   * Counts each per-job event ({@code onX(JobRow, Duration)}) per job id, by method name; durations
   * must never be negative. A proxy, so an event added to the SPI later is counted too.
   */
  private static final class Events {
    final Map<String, Map<Long, AtomicInteger>> byEvent = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> negative = new ConcurrentLinkedQueue<>();
    final AwaListener listener =
        (AwaListener)
            Proxy.newProxyInstance(
                AwaListener.class.getClassLoader(),
                new Class<?>[] {AwaListener.class},
                (proxy, method, args) -> {
                  if (args != null
                      && args.length == 2
                      && args[0] instanceof JobRow job
                      && args[1] instanceof Duration d) {
                    byEvent
                        .computeIfAbsent(method.getName(), e -> new ConcurrentHashMap<>())
                        .computeIfAbsent(job.id(), id -> new AtomicInteger())
                        .incrementAndGet();
                    if (d.isNegative()) {
                      negative.add(method.getName() + " " + job.id() + " " + d);
                    }
                  }
                  if (method.getDeclaringClass() != Object.class) {
                    return null;
                  }
                  return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "events";
                  };
                });

    Map<Long, AtomicInteger> of(String event) {
      return byEvent.getOrDefault(event, Map.of());
    }
  }

  private void enqueue(String kind, String queue, int count) {
    List<NewJob> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(NewJob.builder(kind).queue(queue).build());
    }
    awa.enqueueMany(batch);
  }

  @Test
  void aUserLoopOnSeveralThreadsReportsEveryClaimAndCompletionOnce() throws Exception {
    int jobs = 2_000;
    enqueue("k", "own", jobs);

    // Six loops claim at once; half complete one by one, half in batches.
    Map<Long, AtomicInteger> completedBy = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> loops = new ArrayList<>();
    for (int t = 0; t < 6; t++) {
      boolean batched = t % 2 == 0;
      String worker = "loop-" + t;
      loops.add(
          pool.submit(
              () -> {
                while (true) {
                  List<JobRow> claimed = awa.leases().claim("own", 25, DEADLINE, worker);
                  if (claimed.isEmpty()) {
                    return null;
                  }
                  if (batched) {
                    for (long id : awa.leases().completeMany(claimed)) {
                      completedBy.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    }
                  } else {
                    for (JobRow job : claimed) {
                      if (awa.leases().complete(job) == LeaseOutcome.APPLIED) {
                        completedBy
                            .computeIfAbsent(job.id(), k -> new AtomicInteger())
                            .incrementAndGet();
                      }
                    }
                  }
                }
              }));
    }
    for (Future<?> loop : loops) {
      loop.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();

    assertThat(completedBy).hasSize(jobs);
    assertThat(completedBy.values()).allMatch(n -> n.get() == 1);
    for (String event : List.of("onClaimed", "onCompleted", "onAcknowledged")) {
      assertThat(events.of(event)).as(event).hasSize(jobs);
      assertThat(events.of(event).values()).as(event).allMatch(n -> n.get() == 1);
    }
    assertThat(events.negative).isEmpty();
    assertThat(db.countJobs("completed")).isEqualTo(jobs);
  }

  @Test
  void everyOutcomeOfAUserLoopFiresItsEventAndAStaleWriteFiresNone() {
    for (int i = 0; i < 4; i++) {
      awa.enqueue(NewJob.builder("k").queue("out").maxAttempts(3).build());
    }
    List<JobRow> claimed = awa.leases().claim("out", 4, DEADLINE, "w");
    assertThat(claimed).hasSize(4);
    JobError error = JobError.of(1, new IllegalStateException("boom"));

    assertThat(awa.leases().retry(claimed.get(0), Instant.now().plusSeconds(60), error))
        .isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.leases().snooze(claimed.get(1), Duration.ofMinutes(1)))
        .isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.leases().fail(claimed.get(2), error)).isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.leases().cancel(claimed.get(3), "not needed")).isEqualTo(LeaseOutcome.APPLIED);

    assertThat(events.of("onRetried")).containsOnlyKeys(claimed.get(0).id());
    assertThat(events.of("onSnoozed")).containsOnlyKeys(claimed.get(1).id());
    assertThat(events.of("onFailed")).containsOnlyKeys(claimed.get(2).id());
    assertThat(events.of("onCancelled")).containsOnlyKeys(claimed.get(3).id());

    // The same writes again are stale: nothing changes and nothing more is reported.
    assertThat(awa.leases().complete(claimed.get(0))).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.leases().fail(claimed.get(1), error)).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.leases().cancel(claimed.get(2), "again")).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.leases().completeMany(claimed)).isEmpty();
    assertThat(events.of("onCompleted")).isEmpty();
    assertThat(events.of("onAcknowledged")).isEmpty();
    assertThat(events.of("onFailed")).hasSize(1);
    assertThat(events.of("onCancelled")).hasSize(1);
    assertThat(events.negative).isEmpty();
  }

  @Test
  void theRuntimeReportsThroughTheSameLayer() throws Exception {
    int jobs = 300;
    enqueue("noop", "rt", jobs);
    try (AwaRuntime runtime =
        AwaRuntime.builder(db.dataSource())
            .client(awa)
            .queue("rt", 8)
            .register("noop", ctx -> JobResult.completed())
            .build()) {
      runtime.start();
      // An ack is reported after its row is written: wait for the last event.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> events.of("onAcknowledged").size() == jobs);
    }
    assertThat(db.countJobs("completed")).isEqualTo(jobs);
    for (String event : List.of("onClaimed", "onCompleted", "onAcknowledged")) {
      assertThat(events.of(event)).as(event).hasSize(jobs);
      assertThat(events.of(event).values()).as(event).allMatch(n -> n.get() == 1);
    }
  }
}
