package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two leaders (the window after a leader's backend dies) run every branch at once over the same
 * 20,000 jobs. Election is bypassed: each "leader" is a thread with its own pool driving the branch
 * bodies directly, so the overlap is forced rather than hoped for.
 */
@AwaTest
class OverlapTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final int PER_KIND = 2_500;

  @Test
  void twoLeadersRunningEveryBranchLoseAndDoubleNothing(TestDatabase db) throws Exception {
    // 8 groups x 2,500 = 20,000 jobs, the group in `kind`.
    String insertHot =
        "INSERT INTO awa.jobs (kind, queue, state, attempt, max_attempts, run_lease, attempted_at,"
            + " heartbeat_at, deadline_at, callback_id, callback_timeout_at)"
            + " SELECT ?, 'q' || (g % 7), ?, ?, ?, 3, now(), now() + ? * interval '1 second',"
            + " now() + ? * interval '1 second', CASE WHEN ? THEN gen_random_uuid() END,"
            + " now() + ? * interval '1 second' FROM generate_series(1, ?) g";
    // kind, state, attempt, max, heartbeat offset, deadline offset, callback?, callback offset
    hot(db, insertHot, "hb_retry", "running", 10, 25, -600, 3600, false, 0);
    hot(db, insertHot, "hb_fail", "running", 3, 3, -600, 3600, false, 0);
    hot(db, insertHot, "dl_retry", "running", 10, 25, 0, -60, false, 0);
    hot(db, insertHot, "dl_fail", "running", 3, 3, 0, -60, false, 0);
    hot(db, insertHot, "cb_retry", "waiting_external", 10, 25, 0, 3600, true, -60);
    hot(db, insertHot, "healthy", "running", 1, 25, 0, 3600, false, 0);
    db.update(
        "UPDATE awa.jobs SET callback_timeout_at = NULL WHERE kind IN ('hb_retry', 'hb_fail',"
            + " 'dl_retry', 'dl_fail', 'healthy'); UPDATE awa.jobs SET heartbeat_at = NULL,"
            + " deadline_at = NULL WHERE kind = 'cb_retry'");
    db.update(
        "INSERT INTO awa.scheduled_jobs (kind, queue, state, run_at, attempt)"
            + " SELECT 'promote', 'q' || (g % 7), CASE WHEN g % 2 = 0 THEN 'scheduled'"
            + " ELSE 'retryable' END, now() - interval '1 second', g % 3"
            + " FROM generate_series(1, ?) g",
        PER_KIND);
    db.update(
        "INSERT INTO awa.jobs (kind, queue, state, finalized_at)"
            + " SELECT 'old_done', 'q', 'completed', now() - interval '2 days'"
            + " FROM generate_series(1, ?) g",
        PER_KIND);
    assertThat(
            db.queryLong(
                "SELECT (SELECT count(*) FROM awa.jobs) + (SELECT count(*) FROM"
                    + " awa.scheduled_jobs)"))
        .isEqualTo(20_000L);

    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    List<MaintenanceBranch> branchesA = branches();
    List<MaintenanceBranch> branchesB = branches();
    Context ctxA = new Context(db.newDataSource(4, "leader-a"), "a", () -> true, a);
    Context ctxB = new Context(db.newDataSource(4, "leader-b"), "b", () -> true, b);

    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      done.add(pool.submit(() -> drive(go, branchesA, ctxA)));
      done.add(pool.submit(() -> drive(go, branchesB, ctxB)));
      go.countDown();
      for (Future<?> f : done) {
        f.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    // Every job exists exactly once, in exactly the expected state, with exactly one error entry
    // where a rescue touched it.
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs j JOIN awa.scheduled_jobs s USING (id)"))
        .isZero();
    Map<String, String> expected =
        Map.of(
            "hb_retry", "retryable:1:rescue.heartbeat",
            "hb_fail", "failed:1:rescue.heartbeat",
            "dl_retry", "retryable:1:rescue.deadline",
            "dl_fail", "failed:1:rescue.deadline",
            "cb_retry", "retryable:1:rescue.callback_timeout",
            "healthy", "running:0:",
            "promote", "available:0:");
    List<String> actual =
        db.queryStrings(
            "SELECT kind || '=' || state || ':' || jsonb_array_length(errors) || ':'"
                + " || coalesce(errors -> 0 ->> 'error_class', '') || '#' || count(*)"
                + " FROM (SELECT kind, state, errors FROM awa.jobs UNION ALL"
                + " SELECT kind, state, errors FROM awa.scheduled_jobs) t"
                + " GROUP BY kind, state, errors -> 0 ->> 'error_class', jsonb_array_length(errors)");
    List<String> want = new ArrayList<>();
    expected.forEach((kind, outcome) -> want.add(kind + "=" + outcome + "#" + PER_KIND));
    assertThat(actual).containsExactlyInAnyOrderElementsOf(want);
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE kind = 'old_done'")).isZero();
    // Rescued retries are not due for 2^10 s, so promotion cannot have touched them.
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.scheduled_jobs WHERE run_at < now() + interval '1000 seconds'"))
        .isZero();
    // Both leaders really did work (the overlap happened), and together they counted each job once.
    int rescuedA = a.rescued.values().stream().mapToInt(v -> v.get()).sum();
    int rescuedB = b.rescued.values().stream().mapToInt(v -> v.get()).sum();
    assertThat(rescuedA + rescuedB).isEqualTo(5 * PER_KIND);
    assertThat(a.promoted.get() + b.promoted.get()).isEqualTo(PER_KIND);
    assertThat(rescuedA).isPositive();
    assertThat(rescuedB).isPositive();
  }

  private static void hot(
      TestDatabase db,
      String sql,
      String kind,
      String state,
      int attempt,
      int max,
      int heartbeatOffset,
      int deadlineOffset,
      boolean callback,
      int callbackOffset) {
    db.update(
        sql,
        kind,
        state,
        attempt,
        max,
        heartbeatOffset,
        deadlineOffset,
        callback,
        callbackOffset,
        PER_KIND);
  }

  /** Small batches, so the two leaders interleave many transactions over the same rows. */
  private static List<MaintenanceBranch> branches() {
    Duration t = TIMEOUT;
    return List.of(
        new PromoteScheduledBranch(Duration.ofMillis(250), 100, 5, t),
        new RescueStaleHeartbeatsBranch(Duration.ofSeconds(1), 100, 5, t, Duration.ofSeconds(90)),
        new RescueExpiredDeadlinesBranch(Duration.ofSeconds(1), 100, 5, t),
        new RescueExpiredCallbacksBranch(Duration.ofSeconds(1), 100, 5, t),
        new CleanupBranch(
            Duration.ofSeconds(1),
            Map.of("completed", Duration.ofHours(24)),
            100,
            Duration.ofMillis(200),
            t,
            t),
        new PriorityAgingBranch(Duration.ofSeconds(1), Duration.ofMinutes(5), 3, 100, 5, t),
        new QueueStatsBranch(Duration.ofSeconds(1), t));
  }

  /** Runs every branch, round after round, until a whole round finds nothing left to do. */
  private static Void drive(CountDownLatch go, List<MaintenanceBranch> branches, Context ctx)
      throws Exception {
    go.await();
    RecordingListener l = (RecordingListener) ctx.listener();
    for (int round = 0; round < 500; round++) {
      long before = progress(l);
      for (MaintenanceBranch branch : branches) {
        branch.run(ctx);
      }
      if (progress(l) == before && round > 0) {
        return null;
      }
    }
    throw new AssertionError("branches never ran out of work");
  }

  private static long progress(RecordingListener l) {
    return l.promoted.get()
        + l.rescued.values().stream().mapToLong(v -> v.get()).sum()
        + l.cleaned.values().stream().mapToLong(v -> v.get()).sum();
  }
}
