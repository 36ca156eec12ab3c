package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The claim-ahead buffer's responsibilities (adr/0007): attempts claimed but not yet started are
 * heartbeated, can be cancelled, are handed back first and at once on shutdown with their attempt
 * unchanged, and start with their full deadline; several runtimes with buffers run every job once.
 *
 * <p>How the buffer gets filled here: 300 fast jobs (priority 1) run first, so the queue's recent
 * handler durations let the runtime claim ahead; then blocking jobs (priority 2) take every handler
 * slot and the next ones wait in the buffer, claimed and running in the database but not started.
 * How many wait there depends on those durations (at most {@value #AHEAD}), so the tests wait for
 * at least one and count what they find.
 */
@AwaTest
class ClaimAheadTest {
  private static final int SLOTS = 4;
  private static final int AHEAD = 4;
  private static final int BLOCKING = 12;

  private final List<AwaRuntime> runtimes = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<Long> started = ConcurrentHashMap.newKeySet();
  private final Map<Long, Instant[]> deadlines = new ConcurrentHashMap<>();

  @AfterEach
  void closeRuntimes() {
    release.countDown();
    runtimes.forEach(AwaRuntime::close);
  }

  private AwaRuntime bufferedRuntime(TestDatabase db, String queue, Duration heartbeat) {
    AwaRuntime rt =
        AwaRuntime.builder(db.dataSource())
            .queue(QueueConfig.of(queue, SLOTS).withDeadline(Duration.ofMinutes(2)))
            .claimAhead(AHEAD)
            .heartbeatInterval(heartbeat)
            .heartbeatStaleness(heartbeat.multipliedBy(100))
            .drainTimeout(Duration.ofSeconds(20))
            .register("fast", ctx -> JobResult.completed())
            .register(
                "block",
                ctx -> {
                  started.add(ctx.id());
                  deadlines.put(ctx.id(), new Instant[] {Instant.now(), ctx.deadline()});
                  release.await();
                  return JobResult.completed();
                })
            .build();
    runtimes.add(rt);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      jobs.add(NewJob.builder("fast").queue(queue).priority(1).build());
    }
    for (int i = 0; i < BLOCKING; i++) {
      jobs.add(NewJob.builder("block").queue(queue).build());
    }
    rt.client().enqueueMany(jobs);
    rt.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              int waiting = buffered(db, queue).size();
              return completed(db, queue) == 300
                  && started.size() == SLOTS
                  && waiting > 0
                  && rt.inFlightCount() == SLOTS + waiting;
            });
    assertThat(buffered(db, queue)).hasSizeBetween(1, AHEAD);
    return rt;
  }

  /** Each test class gets one database, so every count is per queue. */
  private static long completed(TestDatabase db, String queue) {
    return RuntimeTesting.completed(db, queue);
  }

  /** Running in the database, claimed by this runtime, but its handler never started. */
  private List<Long> buffered(TestDatabase db, String queue) {
    return RuntimeTesting.claimedNotStarted(db, queue, "block", started);
  }

  @Test
  void shutdownHandsBufferedJobsBackFirstAndAtOnceWithTheirAttemptUnchanged(TestDatabase db)
      throws Exception {
    String q = "ahead_shutdown";
    AwaRuntime rt = bufferedRuntime(db, q, Duration.ofSeconds(30));
    List<Long> waiting = buffered(db, q);

    ExecutorService closer = Executors.newSingleThreadExecutor();
    try {
      Future<?> closing = closer.submit(rt::close);
      // While close() still waits for the two blocked handlers, the buffered jobs are already
      // available again, not counted as an attempt, and were never started.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  db.queryLong(
                          "SELECT count(*) FROM awa.jobs WHERE queue = ? AND kind = 'block'"
                              + " AND state = 'available' AND attempt = 0",
                          q)
                      == BLOCKING - SLOTS);
      assertThat(closing.isDone()).isFalse();
      assertThat(
              db.queryLong(
                  "SELECT count(*) FROM awa.jobs WHERE queue = ? AND state = 'running'", q))
          .isEqualTo(SLOTS);
      release.countDown();
      closing.get();
    } finally {
      closer.shutdownNow();
    }
    assertThat(started).hasSize(SLOTS).doesNotContainAnyElementsOf(waiting);
    assertThat(
            db.queryLong("SELECT count(*) FROM awa.jobs WHERE queue = ? AND state = 'running'", q))
        .isZero();
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.jobs WHERE queue = ? AND kind = 'block'"
                    + " AND state = 'completed' AND attempt = 1",
                q))
        .isEqualTo(SLOTS);
  }

  @Test
  void bufferedJobsAreHeartbeatedWhileTheyWait(TestDatabase db) {
    String q = "ahead_heartbeat";
    bufferedRuntime(db, q, Duration.ofMillis(100));
    long id = buffered(db, q).get(0);
    String first =
        db.queryStrings("SELECT heartbeat_at::text FROM awa.jobs WHERE id = ?", id).get(0);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                db.queryLong(
                        "SELECT count(*) FROM awa.jobs WHERE id = ? AND heartbeat_at > ?::timestamptz",
                        id,
                        first)
                    == 1);
    assertThat(started).doesNotContain(id);
  }

  @Test
  void aCancelledBufferedJobNeverStartsAndFreesItsPlaceAtOnce(TestDatabase db) {
    String q = "ahead_cancel";
    AwaRuntime rt = bufferedRuntime(db, q, Duration.ofSeconds(30));
    long id = buffered(db, q).get(0);
    assertThat(rt.client().operator().cancelJob(id)).isTrue();
    // The cancel notification removes it from the buffer and frees its place.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                rt.inFlightCount() == SLOTS + buffered(db, q).size()
                    && !buffered(db, q).contains(id));
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> completed(db, q) == 300 + BLOCKING - 1);
    assertThat(started).hasSize(BLOCKING - 1).doesNotContain(id);
    assertThat(db.queryStrings("SELECT state FROM awa.jobs WHERE id = ?", id))
        .containsExactly("cancelled");
  }

  @Test
  void aBufferedJobGetsItsWholeDeadlineFromItsStartAndTheDatabaseNoEarlierOne(TestDatabase db) {
    String q = "ahead_deadline";
    bufferedRuntime(db, q, Duration.ofSeconds(30));
    long id = buffered(db, q).get(0);
    Instant released = Instant.now();
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> deadlines.containsKey(id));
    Instant deadline = deadlines.get(id)[1];
    // The job was claimed before the release but could start only after it: its deadline counts
    // from its start, so it lies a whole deadline after the release ...
    assertThat(deadline).isAfterOrEqualTo(released.plus(Duration.ofMinutes(2)));
    // ... and the row's deadline_at (what the leader's rescue reads) is not before it.
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.jobs WHERE id = ? AND deadline_at >= ?::timestamptz",
                id,
                deadline.toString()))
        .isEqualTo(1);
  }

  @Test
  void fourRuntimesWithBuffersRunEveryJobExactlyOnce(TestDatabase db) {
    int jobs = 20_000;
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> perRuntime = new ConcurrentHashMap<>();
    for (int i = 0; i < 4; i++) {
      String name = "ahead-rt" + i;
      DataSource pool = db.newDataSource(6, "awa-" + name);
      runtimes.add(
          AwaRuntime.builder(pool)
              .instanceId(name)
              .queue("ahead_bulk", 8)
              .claimAhead(8)
              .register(
                  "noop",
                  ctx -> {
                    runs.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
                    perRuntime.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                    return JobResult.completed();
                  })
              .build());
    }
    runtimes.forEach(AwaRuntime::start);
    long[] ids =
        runtimes
            .get(0)
            .client()
            .enqueueMany(Collections.nCopies(jobs, RuntimeTesting.job("noop", "ahead_bulk")));
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> completed(db, "ahead_bulk") == jobs);
    assertThat(runs).hasSize(jobs);
    for (long id : ids) {
      assertThat(runs.get(id).get()).as("runs of job %d", id).isEqualTo(1);
    }
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.jobs WHERE queue = 'ahead_bulk' AND attempt <> 1"))
        .isZero();
    assertThat(perRuntime.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(jobs);
  }
}
