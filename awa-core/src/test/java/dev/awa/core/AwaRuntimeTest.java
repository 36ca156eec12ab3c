package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@AwaTest
class AwaRuntimeTest {
  private final List<AwaRuntime> runtimes = new ArrayList<>();

  @AfterEach
  void closeRuntimes() {
    runtimes.forEach(AwaRuntime::close);
  }

  private AwaRuntime started(AwaRuntime.Builder b) {
    AwaRuntime rt = b.build();
    runtimes.add(rt);
    rt.start();
    return rt;
  }

  record Greeting(String name, int times) {}

  @Test
  void typedArgsAndEveryResultKind(TestDatabase db) {
    String q = "outcomes";
    Map<String, String> seen = new ConcurrentHashMap<>();
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 4)
                .pollInterval(Duration.ofMillis(50))
                .register(
                    "greet",
                    Worker.typed(
                        Greeting.class,
                        (args, ctx) -> {
                          seen.put(args.name(), args.name().repeat(args.times()));
                          return JobResult.completed();
                        }))
                .register("snooze", ctx -> JobResult.snooze(Duration.ofHours(1)))
                .register("cancel", ctx -> JobResult.cancel("not wanted"))
                .register("fail", ctx -> JobResult.fail("bad input"))
                .register(
                    "later", ctx -> JobResult.retryAfter(Duration.ofHours(2), "upstream busy")));
    AwaClient client = rt.client();
    long greet =
        client.enqueue(NewJob.builder("greet").queue(q).args(new Greeting("ab", 2)).build()).id();
    long snooze = client.enqueue(RuntimeTesting.job("snooze", q)).id();
    long cancel = client.enqueue(RuntimeTesting.job("cancel", q)).id();
    long fail = client.enqueue(RuntimeTesting.job("fail", q)).id();
    long later = client.enqueue(RuntimeTesting.job("later", q)).id();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                List.of(greet, snooze, cancel, fail, later).stream()
                    .map(id -> client.operator().getJob(id).orElseThrow().state())
                    .allMatch(s -> s != JobState.AVAILABLE && s != JobState.RUNNING));

    assertThat(seen).containsEntry("ab", "abab");
    assertThat(client.operator().getJob(greet).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    JobRow snoozed = client.operator().getJob(snooze).orElseThrow();
    assertThat(snoozed.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(snoozed.attempt()).isZero();
    JobRow cancelled = client.operator().getJob(cancel).orElseThrow();
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(cancelled.errors()).extracting(JobError::message).containsExactly("not wanted");
    JobRow failed = client.operator().getJob(fail).orElseThrow();
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.errors()).extracting(JobError::message).containsExactly("bad input");
    JobRow retried = client.operator().getJob(later).orElseThrow();
    assertThat(retried.state()).isEqualTo(JobState.RETRYABLE);
    assertThat(retried.runAt()).isAfter(Instant.now().plus(Duration.ofMinutes(110)));
    assertThat(retried.errors()).extracting(JobError::message).containsExactly("upstream busy");
  }

  @Test
  void throwingHandlerIsRetriedWithGrowingBackoffThenFails(TestDatabase db) {
    String q = "throwing";
    List<Integer> attemptsSeen = new CopyOnWriteArrayList<>();
    List<Duration> backoffs = new CopyOnWriteArrayList<>();
    RetryPolicy growing =
        attempt -> {
          Duration d = Duration.ofMillis(100L << attempt);
          backoffs.add(d);
          return d;
        };
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 2)
                .pollInterval(Duration.ofMillis(50))
                .retryPolicy(growing)
                .register(
                    "boom",
                    ctx -> {
                      attemptsSeen.add(ctx.attempt());
                      throw new IllegalStateException("boom #" + ctx.attempt());
                    }));
    long id = rt.client().enqueue(NewJob.builder("boom").queue(q).maxAttempts(4).build()).id();

    List<Duration> observedGaps = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              JobRow row = rt.client().operator().getJob(id).orElseThrow();
              if (row.state() == JobState.RETRYABLE) {
                Instant lastError = row.errors().get(row.errors().size() - 1).at();
                Duration gap = Duration.between(lastError, row.runAt());
                if (observedGaps.size() < row.errors().size()) {
                  observedGaps.add(gap);
                }
                RuntimeTesting.promoteDue(db);
              }
              return row.state() == JobState.FAILED;
            });

    JobRow row = rt.client().operator().getJob(id).orElseThrow();
    assertThat(row.attempt()).isEqualTo(4);
    assertThat(attemptsSeen).containsExactly(1, 2, 3, 4);
    assertThat(row.errors())
        .extracting(JobError::attempt, JobError::errorClass, JobError::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "java.lang.IllegalStateException", "boom #1"),
            org.assertj.core.groups.Tuple.tuple(2, "java.lang.IllegalStateException", "boom #2"),
            org.assertj.core.groups.Tuple.tuple(3, "java.lang.IllegalStateException", "boom #3"),
            org.assertj.core.groups.Tuple.tuple(4, "java.lang.IllegalStateException", "boom #4"));
    // The policy was asked after attempts 1..3 (the 4th failed for good) and the delays grew.
    assertThat(backoffs).hasSize(3);
    assertThat(backoffs).isSortedAccordingTo(Duration::compareTo).doesNotHaveDuplicates();
    // Each scheduled run_at lay after its error by the policy's (growing) delay.
    assertThat(observedGaps).isNotEmpty().isSortedAccordingTo(Duration::compareTo);
  }

  @Test
  void handlerPastItsDeadlineSeesCancelAndIsInterrupted(TestDatabase db) {
    String q = "deadline";
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicReference<Boolean> cancelledWhenInterrupted = new AtomicReference<>();
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(QueueConfig.of(q, 1).withDeadline(Duration.ofMillis(300)))
                .pollInterval(Duration.ofMillis(50))
                .register(
                    "hang",
                    ctx -> {
                      try {
                        new CountDownLatch(1).await();
                      } catch (InterruptedException e) {
                        cancelledWhenInterrupted.set(ctx.isCancelled());
                        interrupted.set(true);
                        throw e;
                      }
                      return JobResult.completed();
                    }));
    long id = rt.client().enqueue(NewJob.builder("hang").queue(q).maxAttempts(1).build()).id();

    await().atMost(Duration.ofSeconds(20)).until(interrupted::get);
    assertThat(cancelledWhenInterrupted.get()).isTrue();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> rt.client().operator().getJob(id).orElseThrow().state() == JobState.FAILED);
    assertThat(rt.client().operator().getJob(id).orElseThrow().errors())
        .singleElement()
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo("awa.deadline_exceeded"));
  }

  @Test
  void notificationStartsAJobLongBeforeThePollInterval(TestDatabase db) {
    String q = "notify";
    AtomicInteger ran = new AtomicInteger();
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 2)
                .pollInterval(Duration.ofSeconds(10))
                .register(
                    "ping",
                    ctx -> {
                      ran.incrementAndGet();
                      return JobResult.completed();
                    }));
    await().atMost(Duration.ofSeconds(10)).until(rt::isListening);
    // Let the start-up poll (and the listener's catch-up poll) finish on an empty queue.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> db.queryLong("SELECT count(*) FROM awa.jobs WHERE queue = ?", q) == 0);

    for (int i = 0; i < 3; i++) {
      long id = rt.client().enqueue(RuntimeTesting.job("ping", q)).id();
      // Well inside the 10 s poll interval: only the NOTIFY can have woken the producer.
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> rt.client().operator().getJob(id).orElseThrow().state() == JobState.COMPLETED);
    }
    assertThat(ran.get()).isEqualTo(3);
  }

  @Test
  void pollingAloneProcessesEverythingWithListenOff(TestDatabase db) {
    String q = "polling";
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 4)
                .listen(false)
                .pollInterval(Duration.ofMillis(100))
                .register("noop", ctx -> JobResult.completed()));
    assertThat(rt.isListening()).isFalse();
    List<NewJob> jobs = Collections.nCopies(300, RuntimeTesting.job("noop", q));
    rt.client().enqueueMany(jobs);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                db.queryLong(
                        "SELECT count(*) FROM awa.jobs WHERE queue = ? AND state = 'completed'", q)
                    == 300);
  }

  @Test
  void listenerReconnectsAndCatchesUp(TestDatabase db) {
    String q = "reconnect";
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 2)
                .pollInterval(Duration.ofSeconds(30))
                .listenerJdbcUrl(db.jdbcUrl(), credentials(db))
                .register("noop", ctx -> JobResult.completed()));
    await().atMost(Duration.ofSeconds(10)).until(rt::isListening);
    db.queryStrings(
        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity"
            + " WHERE application_name = 'awa-listener' AND datname = current_database()");
    await().atMost(Duration.ofSeconds(10)).until(() -> !rt.isListening());
    // Enqueued while the listener is away: its NOTIFY is lost, the catch-up poll finds it.
    long id = rt.client().enqueue(RuntimeTesting.job("noop", q)).id();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> rt.client().operator().getJob(id).orElseThrow().state() == JobState.COMPLETED);
    await().atMost(Duration.ofSeconds(10)).until(rt::isListening);
  }

  private static java.util.Properties credentials(TestDatabase db) {
    java.util.Properties p = new java.util.Properties();
    if (db.user() != null) {
      p.setProperty("user", db.user());
    }
    if (db.password() != null) {
      p.setProperty("password", db.password());
    }
    return p;
  }

  @Test
  void operatorCancelReachesTheRunningHandler(TestDatabase db) {
    String q = "admin-cancel";
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<String> reason = new AtomicReference<>();
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 1)
                .pollInterval(Duration.ofMillis(50))
                .register(
                    "long",
                    ctx -> {
                      started.countDown();
                      await().atMost(Duration.ofSeconds(20)).until(ctx::isCancelled);
                      reason.set(ctx.cancelReason());
                      return JobResult.completed();
                    }));
    await().atMost(Duration.ofSeconds(10)).until(rt::isListening);
    long id = rt.client().enqueue(RuntimeTesting.job("long", q)).id();
    await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);
    assertThat(rt.client().operator().cancelJob(id)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> reason.get() != null);
    await().atMost(Duration.ofSeconds(10)).until(() -> rt.inFlightCount() == 0);
    // The late completion was fenced out.
    assertThat(rt.client().operator().getJob(id).orElseThrow().state())
        .isEqualTo(JobState.CANCELLED);
  }

  @Test
  void heartbeatFindingTheLeaseGoneCancelsTheHandler(TestDatabase db) {
    String q = "lease-lost";
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<String> reason = new AtomicReference<>();
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 1)
                .listen(false)
                .pollInterval(Duration.ofMillis(50))
                .heartbeatInterval(Duration.ofMillis(100))
                .register(
                    "long",
                    ctx -> {
                      started.countDown();
                      await().atMost(Duration.ofSeconds(20)).until(ctx::isCancelled);
                      reason.set(ctx.cancelReason());
                      return JobResult.completed();
                    }));
    long id = rt.client().enqueue(RuntimeTesting.job("long", q)).id();
    await().atMost(Duration.ofSeconds(10)).until(() -> started.getCount() == 0);
    // A rescue elsewhere took the attempt away (no NOTIFY here: LISTEN is off).
    db.update(
        "UPDATE awa.jobs SET state = 'available', run_at = now() + interval '1 hour' WHERE id = ?",
        id);
    await().atMost(Duration.ofSeconds(10)).until(() -> reason.get() != null);
    assertThat(reason.get()).isEqualTo("lease lost");
    await().atMost(Duration.ofSeconds(10)).until(() -> rt.inFlightCount() == 0);
    assertThat(rt.client().operator().getJob(id).orElseThrow().state())
        .isEqualTo(JobState.AVAILABLE);
  }

  @Test
  void unknownKindIsRecordedAndRetriedOrFailed(TestDatabase db) {
    String q = "unknown";
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 1)
                .pollInterval(Duration.ofMillis(50))
                .register("known", ctx -> JobResult.completed()));
    long retried = rt.client().enqueue(RuntimeTesting.job("mystery", q)).id();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                rt.client().operator().getJob(retried).orElseThrow().state() == JobState.RETRYABLE);
    assertThat(rt.client().operator().getJob(retried).orElseThrow().errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.errorClass()).isEqualTo("awa.unknown_kind");
              assertThat(e.message()).contains("'mystery'").contains(rt.instanceId());
            });

    String q2 = "unknown-fail";
    AwaRuntime failing =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q2, 1)
                .pollInterval(Duration.ofMillis(50))
                .unknownKinds(UnknownKindPolicy.FAIL)
                .register("known", ctx -> JobResult.completed()));
    long failed = failing.client().enqueue(RuntimeTesting.job("mystery", q2)).id();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                failing.client().operator().getJob(failed).orElseThrow().state()
                    == JobState.FAILED);
  }

  @Test
  void registersItsInstanceAndRemovesItOnClose(TestDatabase db) {
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue("inst", 3)
                .instanceId("test-instance-1")
                .register("noop", ctx -> JobResult.completed()));
    assertThat(
            db.queryStrings(
                "SELECT queues->'inst'->>'concurrency' FROM awa.runtime_instances"
                    + " WHERE instance_id = 'test-instance-1' AND NOT is_leader"))
        .containsExactly("3");
    rt.close();
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.runtime_instances WHERE instance_id = 'test-instance-1'"))
        .isZero();
  }

  @Test
  void neverRunsMoreThanTheQueueConcurrencyNorHoldsMoreThanItsBound(TestDatabase db) {
    // Without claim-ahead: running rows at most concurrency + ack budget = 2 x 3.
    runsAndHoldsAtMost(db, "capacity", 0, 6);
    // With a claim-ahead of 3: capacity 6, plus as many acks pending.
    runsAndHoldsAtMost(db, "capacity_ahead", 3, 12);
    // With the default claim-ahead (125 for a queue of 3): capacity 128, plus as many acks pending.
    runsAndHoldsAtMost(db, "capacity_default", -1, 2 * 128);
  }

  private void runsAndHoldsAtMost(TestDatabase db, String q, int claimAhead, int rowBound) {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicInteger maxRunningRows = new AtomicInteger();
    AwaRuntime rt =
        started(
            withClaimAhead(AwaRuntime.builder(db.dataSource()), claimAhead)
                .queue(q, 3)
                .claimBatchSize(100)
                .pollInterval(Duration.ofMillis(50))
                .register(
                    "count",
                    ctx -> {
                      maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                      long rows =
                          db.queryLong(
                              "SELECT count(*) FROM awa.jobs WHERE queue = ? AND state = 'running'",
                              q);
                      maxRunningRows.accumulateAndGet((int) rows, Math::max);
                      running.decrementAndGet();
                      return JobResult.completed();
                    }));
    rt.client().enqueueMany(Collections.nCopies(200, RuntimeTesting.job("count", q)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                db.queryLong(
                        "SELECT count(*) FROM awa.jobs WHERE queue = ? AND state = 'completed'", q)
                    == 200);
    assertThat(maxRunning.get()).isBetween(1, 3);
    // Completions awaiting their ack may free their place while fewer than the capacity
    // (concurrency + claim-ahead) are pending (the ack budget), so the database sees at most
    // twice the capacity running.
    assertThat(maxRunningRows.get()).isBetween(1, rowBound);
  }

  private static AwaRuntime.Builder withClaimAhead(AwaRuntime.Builder b, int claimAhead) {
    return claimAhead < 0 ? b : b.claimAhead(claimAhead);
  }

  @Test
  void telemetryListenerSeesTheLifecycle(TestDatabase db) {
    String q = "telemetry";
    Map<String, AtomicInteger> events = new ConcurrentHashMap<>();
    AwaListener listener =
        new AwaListener() {
          void count(String e) {
            events.computeIfAbsent(e, k -> new AtomicInteger()).incrementAndGet();
          }

          @Override
          public void onClaimed(JobRow job, Duration wait) {
            count("claimed");
          }

          @Override
          public void onStarted(JobRow job) {
            count("started");
          }

          @Override
          public void onCompleted(JobRow job, Duration d) {
            count("completed");
          }

          @Override
          public void onRetried(JobRow job, Duration d) {
            count("retried");
          }

          @Override
          public void onFailed(JobRow job, Duration d) {
            count("failed");
            throw new IllegalStateException("listeners that throw are ignored");
          }
        };
    AwaRuntime rt =
        started(
            AwaRuntime.builder(db.dataSource())
                .queue(q, 2)
                .pollInterval(Duration.ofMillis(50))
                .listener(listener)
                .retryPolicy(attempt -> Duration.ZERO)
                .register("ok", ctx -> JobResult.completed())
                .register(
                    "flaky",
                    ctx -> {
                      throw new IllegalStateException("no");
                    }));
    rt.client().enqueue(RuntimeTesting.job("ok", q));
    rt.client().enqueue(NewJob.builder("flaky").queue(q).maxAttempts(2).build());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> events.containsKey("completed") && events.containsKey("failed"));
    assertThat(events.get("claimed").get()).isEqualTo(3);
    assertThat(events.get("started").get()).isEqualTo(3);
    assertThat(events.get("completed").get()).isEqualTo(1);
    assertThat(events.get("retried").get()).isEqualTo(1);
    assertThat(events.get("failed").get()).isEqualTo(1);
  }

  @Test
  void handlersRunOnTheUserExecutorWhichIsLeftRunning(TestDatabase db) throws Exception {
    java.util.concurrent.ExecutorService mine =
        java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "user-pool");
              t.setDaemon(true);
              return t;
            });
    try {
      Set<String> threadNames = ConcurrentHashMap.newKeySet();
      AwaRuntime rt =
          started(
              AwaRuntime.builder(db.dataSource())
                  .queue("user-exec", 4)
                  .executor(mine)
                  .pollInterval(Duration.ofMillis(50))
                  .register(
                      "noop",
                      ctx -> {
                        threadNames.add(Thread.currentThread().getName());
                        return JobResult.completed();
                      }));
      rt.client().enqueueMany(Collections.nCopies(20, RuntimeTesting.job("noop", "user-exec")));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  db.queryLong(
                          "SELECT count(*) FROM awa.jobs WHERE queue = 'user-exec'"
                              + " AND state = 'completed'")
                      == 20);
      rt.close();
      assertThat(threadNames).containsOnly("user-pool");
      assertThat(mine.isShutdown()).isFalse();
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void builderRejectsBadOptionsByName(TestDatabase db) {
    AwaRuntime.Builder b = AwaRuntime.builder(db.dataSource());
    assertThatThrownBy(() -> b.queue("q", 0))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("concurrency");
    assertThatThrownBy(() -> b.claimBatchSize(0))
        .isInstanceOfSatisfying(
            InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("claimBatchSize"));
    assertThatThrownBy(() -> b.pollInterval(Duration.ofMillis(1)))
        .hasMessageContaining("pollInterval");
    assertThatThrownBy(() -> b.claimAhead(-1))
        .isInstanceOfSatisfying(
            InvalidConfigException.class, e -> assertThat(e.field()).isEqualTo("claimAhead"));
    assertThatThrownBy(() -> b.claimAhead(10_001)).hasMessageContaining("10000");
    assertThatThrownBy(() -> b.backstopPollInterval(Duration.ofMillis(5)))
        .isInstanceOfSatisfying(
            InvalidConfigException.class,
            e -> assertThat(e.field()).isEqualTo("backstopPollInterval"));
    assertThatThrownBy(b::build).hasMessageContaining("queues");
    b.queue("q", 1).heartbeatInterval(Duration.ofSeconds(100));
    assertThatThrownBy(b::build).hasMessageContaining("heartbeatStaleness");
    b.register("k", ctx -> null);
    assertThatThrownBy(() -> b.register("k", ctx -> null)).hasMessageContaining("already");
  }
}
