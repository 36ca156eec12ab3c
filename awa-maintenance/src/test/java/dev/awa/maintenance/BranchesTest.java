package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** Each branch body driven directly against a real database. */
@AwaTest
class BranchesTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final TestDatabase db;
  private final AwaClient client;
  private final RecordingListener listener = new RecordingListener();
  private final Context ctx;

  BranchesTest(TestDatabase db) {
    this.db = db;
    this.client = AwaClient.create(db.dataSource());
    this.ctx = new Context(db.dataSource(), "test-instance", () -> true, listener);
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private JobRow claimOne(String queue, int maxAttempts) {
    client.enqueue(NewJob.builder("k").queue(queue).maxAttempts(maxAttempts).build());
    return client.leases().claim(queue, 1, Duration.ofMinutes(10), "w1").get(0);
  }

  private String errorsOf(long id) {
    return db.queryStrings(
            "SELECT errors::text FROM awa.jobs WHERE id = ? UNION ALL"
                + " SELECT errors::text FROM awa.scheduled_jobs WHERE id = ?",
            id,
            id)
        .get(0);
  }

  @Test
  void promotesDueRowsOnlyAndNotifiesTheQueue() throws Exception {
    client.enqueue(NewJob.builder("k").queue("due").runIn(Duration.ofHours(1)).build());
    JobRow later =
        client.enqueue(NewJob.builder("k").queue("due").runIn(Duration.ofHours(2)).build());
    db.update(
        "UPDATE awa.scheduled_jobs SET run_at = now() - interval '1 second' WHERE id <> ?",
        later.id());
    try (Connection listen = db.openConnection()) {
      try (Statement st = listen.createStatement()) {
        st.execute("LISTEN awa_job_available");
      }
      new PromoteScheduledBranch(Duration.ofMillis(250), 10, 3, TIMEOUT).run(ctx);
      PGNotification[] n = listen.unwrap(PGConnection.class).getNotifications(5_000);
      assertThat(n).isNotNull();
      assertThat(n[0].getParameter()).isEqualTo("due");
    }
    assertThat(db.countJobs("available")).isEqualTo(1);
    assertThat(db.countJobs("scheduled")).isEqualTo(1);
    assertThat(listener.promoted.get()).isEqualTo(1);
  }

  @Test
  void promotesSeveralBatchesPerTickButNoMore() throws Exception {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      jobs.add(NewJob.builder("k").runIn(Duration.ofHours(1)).build());
    }
    client.enqueueMany(jobs);
    db.backdateAllScheduled(Duration.ofHours(2));
    new PromoteScheduledBranch(Duration.ofMillis(250), 50, 3, TIMEOUT).run(ctx);
    assertThat(db.countJobs("available")).isEqualTo(150);
  }

  @Test
  void staleHeartbeatIsRetriedWithBackoffErrorAndCancelSignal() throws Exception {
    JobRow job = claimOne("hb", 5);
    JobRow fresh = claimOne("hb", 5);
    db.backdateHeartbeat(job.id(), Duration.ofMinutes(5));
    try (Connection listen = db.openConnection()) {
      try (Statement st = listen.createStatement()) {
        st.execute("LISTEN awa_job_cancel");
      }
      new RescueStaleHeartbeatsBranch(
              Duration.ofSeconds(30), 100, 5, TIMEOUT, Duration.ofSeconds(90))
          .run(ctx);
      PGNotification[] n = listen.unwrap(PGConnection.class).getNotifications(5_000);
      assertThat(n)
          .extracting(PGNotification::getParameter)
          .containsExactly(String.valueOf(job.id()));
    }
    JobRow after = client.operator().getJob(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.RETRYABLE);
    // attempt 1: 2 s plus up to 25 % jitter.
    assertThat(
            db.queryLong(
                "SELECT (extract(epoch FROM run_at - now()) * 1000)::bigint FROM awa.scheduled_jobs WHERE id = ?",
                job.id()))
        .isBetween(1_000L, 2_600L);
    assertThat(errorsOf(job.id())).contains("rescue.heartbeat").contains("no heartbeat since");
    assertThat(client.operator().getJob(fresh.id()).orElseThrow().state())
        .isEqualTo(JobState.RUNNING);
    // The old attempt's late completion is fenced out.
    assertThat(client.leases().complete(job)).isEqualTo(dev.awa.core.LeaseOutcome.STALE);
    assertThat(listener.count(listener.rescued, "heartbeat")).isEqualTo(1);
  }

  @Test
  void expiredDeadlineWithNoAttemptsLeftFails() throws Exception {
    JobRow job = claimOne("dl", 1);
    db.backdateDeadline(job.id(), Duration.ofHours(1));
    new RescueExpiredDeadlinesBranch(Duration.ofSeconds(30), 100, 5, TIMEOUT).run(ctx);
    JobRow after = client.operator().getJob(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(JobState.FAILED);
    assertThat(after.finalizedAt()).isNotNull();
    assertThat(errorsOf(job.id())).contains("rescue.deadline").contains("deadline");
  }

  @Test
  void expiredCallbackIsRetriedAndLateResolutionChangesNothing() throws Exception {
    JobRow job = claimOne("cb", 5);
    var callback = client.leases().registerCallback(job, Duration.ofMinutes(1)).orElseThrow();
    client.leases().parkForCallback(job);
    db.backdateCallbackTimeout(job.id(), Duration.ofMinutes(2));
    new RescueExpiredCallbacksBranch(Duration.ofSeconds(30), 100, 5, TIMEOUT).run(ctx);
    assertThat(client.operator().getJob(job.id()).orElseThrow().state())
        .isEqualTo(JobState.RETRYABLE);
    assertThat(errorsOf(job.id())).contains("rescue.callback_timeout").contains("timed out");
    assertThat(client.callbacks().completeCallback(callback, Map.of("ok", true)))
        .isNotEqualTo(dev.awa.core.CallbackOutcome.RESOLVED);
  }

  @Test
  void rescueDoesNotOverwriteAJobThatCompletedFirst() throws Exception {
    JobRow job = claimOne("race", 5);
    db.backdateHeartbeat(job.id(), Duration.ofMinutes(5));
    client.leases().complete(job);
    new RescueStaleHeartbeatsBranch(Duration.ofSeconds(30), 100, 5, TIMEOUT, Duration.ofSeconds(90))
        .run(ctx);
    assertThat(client.operator().getJob(job.id()).orElseThrow().state())
        .isEqualTo(JobState.COMPLETED);
  }

  @Test
  void cleanupDeletesOnlyPastRetentionAndReportsBacklog() throws Exception {
    db.update(
        "INSERT INTO awa.jobs (kind, queue, state, finalized_at) SELECT 'k', 'c', s, now() - age"
            + " FROM (VALUES ('completed', interval '2 days'), ('completed', interval '1 hour'),"
            + " ('failed', interval '2 days'), ('failed', interval '4 days'),"
            + " ('cancelled', interval '4 days')) v(s, age), generate_series(1, 30)");
    Map<String, Duration> retention =
        Map.of(
            "completed",
            Duration.ofHours(24),
            "failed",
            Duration.ofHours(72),
            "cancelled",
            Duration.ofHours(72));
    // Stepping down after the first round of batches leaves work behind: the backlog says how much.
    AtomicInteger calls = new AtomicInteger();
    Context oneRound =
        new Context(db.dataSource(), "test-instance", () -> calls.getAndIncrement() == 0, listener);
    new CleanupBranch(
            Duration.ofSeconds(60), retention, 10, Duration.ofSeconds(30), TIMEOUT, TIMEOUT)
        .run(oneRound);
    assertThat(listener.backlog)
        .containsEntry("completed", 20L)
        .containsEntry("failed", 20L)
        .containsEntry("cancelled", 20L);
    new CleanupBranch(
            Duration.ofSeconds(60), retention, 10, Duration.ofSeconds(30), TIMEOUT, TIMEOUT)
        .run(ctx);
    assertThat(db.countJobs("completed")).isEqualTo(30);
    assertThat(db.countJobs("failed")).isEqualTo(30);
    assertThat(db.countJobs("cancelled")).isZero();
    assertThat(listener.backlog).containsEntry("completed", 0L).containsEntry("failed", 0L);
  }

  @Test
  void queueStatsCountsPerQueueAndStateWithLag() throws Exception {
    client.enqueue(NewJob.builder("k").queue("s1").build());
    JobRow old = client.enqueue(NewJob.builder("k").queue("s1").build());
    db.update("UPDATE awa.jobs SET run_at = now() - interval '1 minute' WHERE id = ?", old.id());
    client.enqueue(NewJob.builder("k").queue("s2").runIn(Duration.ofHours(1)).build());
    new QueueStatsBranch(Duration.ofSeconds(30), TIMEOUT).run(ctx);
    QueueStats s = listener.lastStats;
    assertThat(s.count("s1", "available")).isEqualTo(2);
    assertThat(s.count("s2", "scheduled")).isEqualTo(1);
    assertThat(s.lag().get("s1")).isGreaterThanOrEqualTo(Duration.ofSeconds(59));
    assertThat(s.lag()).doesNotContainKey("s2");
  }

  @Test
  void priorityAgingIsBoundedAndRemembersTheOriginal() throws Exception {
    JobRow job = client.enqueue(NewJob.builder("k").queue("age").priority(4).build());
    db.update("UPDATE awa.jobs SET run_at = now() - interval '1 hour' WHERE id = ?", job.id());
    PriorityAgingBranch aging =
        new PriorityAgingBranch(Duration.ofSeconds(60), Duration.ofMinutes(5), 2, 100, 5, TIMEOUT);
    for (int i = 0; i < 5; i++) {
      aging.run(ctx);
    }
    assertThat(db.queryLong("SELECT priority FROM awa.jobs WHERE id = ?", job.id())).isEqualTo(2);
    assertThat(db.queryLong("SELECT original_priority FROM awa.jobs WHERE id = ?", job.id()))
        .isEqualTo(4);
  }

  @Test
  void refreshAdminMetadataWritesLeaderAndBranchRows() throws Exception {
    db.update(
        "INSERT INTO awa.runtime_instances (instance_id, hostname, pid, is_leader, leader_since) VALUES ('old', 'h', 1, true, now())");
    BranchStatus status =
        new BranchStatus(
            "promote_scheduled",
            "urgent",
            Duration.ofMillis(250),
            OverrunState.DELAYED,
            2,
            null,
            null,
            Duration.ofMillis(12),
            null);
    new RefreshAdminMetadataBranch(
            Duration.ofSeconds(60),
            TIMEOUT,
            "host",
            42,
            () -> List.of(status),
            Duration.ofMinutes(15))
        .run(ctx);
    assertThat(db.queryStrings("SELECT instance_id FROM awa.runtime_instances WHERE is_leader"))
        .containsExactly("test-instance");
    assertThat(
            db.queryStrings(
                "SELECT overrun_state || '/' || overrun_episodes || '/' || loop_name FROM awa.maintenance_branches"))
        .containsExactly("delayed/2/urgent");
  }

  @Test
  void refreshAdminMetadataPrunesInstancesThatStoppedLongAgo() throws Exception {
    db.update(
        "INSERT INTO awa.runtime_instances (instance_id, hostname, pid, last_seen_at) VALUES"
            + " ('killed', 'h', 1, now() - interval '1 hour'),"
            + " ('alive', 'h', 2, now() - interval '20 seconds')");
    new RefreshAdminMetadataBranch(
            Duration.ofSeconds(60), TIMEOUT, "host", 42, List::of, Duration.ofMinutes(15))
        .run(ctx);
    assertThat(db.queryStrings("SELECT instance_id FROM awa.runtime_instances ORDER BY 1"))
        .containsExactly("alive", "test-instance");
  }
}
