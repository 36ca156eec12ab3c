package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Election against a real PostgreSQL: failover, single leadership, explicit release. */
@AwaTest
class ElectionTest {
  // Takeover needs up to one election interval plus the grace (health interval + timeout), so
  // "within two election intervals" holds with a generous timeout for a loaded CI machine.
  private static final Duration ELECTION = Duration.ofMillis(1500);
  private static final Duration HEALTH = Duration.ofMillis(100);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);

  private final TestDatabase db;

  ElectionTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private MaintenanceService service(String id, RecordingListener listener) {
    return MaintenanceService.builder(db.newDataSource(4, "proc-" + id))
        .instanceId(id)
        .listener(listener)
        .electionInterval(ELECTION)
        .healthCheckInterval(HEALTH)
        .healthCheckTimeout(HEALTH_TIMEOUT)
        .interval(MaintenanceService.PROMOTE_SCHEDULED, Duration.ofMillis(50))
        .build();
  }

  /** Samples both services' belief continuously and keeps the longest stretch where both lead. */
  private static final class Sampler extends Thread {
    private final MaintenanceService a;
    private final MaintenanceService b;
    final AtomicLong longestBothNanos = new AtomicLong();
    final AtomicLong samples = new AtomicLong();
    final AtomicBoolean stop = new AtomicBoolean();

    Sampler(MaintenanceService a, MaintenanceService b) {
      super("leader-sampler");
      this.a = a;
      this.b = b;
      setDaemon(true);
    }

    @Override
    public void run() {
      long since = -1;
      while (!stop.get()) {
        boolean both = a.isLeader() && b.isLeader();
        long now = System.nanoTime();
        if (both) {
          if (since < 0) {
            since = now;
          }
          long stretch = now - since;
          longestBothNanos.accumulateAndGet(stretch, Math::max);
        } else {
          since = -1;
        }
        samples.incrementAndGet();
        LockSupport.parkNanos(200_000); // sampling period, not synchronisation
      }
    }
  }

  private void insertDueScheduled(String queue) {
    db.update(
        "INSERT INTO awa.scheduled_jobs (kind, queue, state, run_at)"
            + " VALUES ('k', ?, 'scheduled', now() - interval '1 second')",
        queue);
  }

  @Test
  void terminatedLeaderBackendFailsOverAndNeverTwoLeaders() throws Exception {
    RecordingListener la = new RecordingListener();
    RecordingListener lb = new RecordingListener();
    try (MaintenanceService a = service("a", la).start()) {
      await().atMost(Duration.ofSeconds(10)).until(a::isLeader);
      try (MaintenanceService b = service("b", lb).start()) {
        Sampler sampler = new Sampler(a, b);
        sampler.start();
        try {
          // While the leader is healthy the follower's attempts fail.
          await()
              .during(ELECTION.multipliedBy(2))
              .atMost(ELECTION.multipliedBy(4))
              .until(() -> !b.isLeader());
          insertDueScheduled("before");
          await().atMost(Duration.ofSeconds(5)).until(() -> db.countJobs("available") == 1);
          assertThat(
                  db.queryStrings("SELECT instance_id FROM awa.runtime_instances WHERE is_leader"))
              .containsExactly("a");

          Long holder = db.queryLong(LeaderElector.HOLDER_SQL);
          assertThat(holder).isEqualTo((long) a.leaderBackendPid());
          assertThat(
                  db.queryStrings(
                      "SELECT application_name FROM pg_stat_activity WHERE pid = ?",
                      holder.intValue()))
              .containsExactly("awa-leader");
          db.queryLong(
              "SELECT CASE WHEN pg_terminate_backend(?) THEN 1 ELSE 0 END", holder.intValue());

          await().atMost(ELECTION.multipliedBy(2)).until(b::isLeader);
          await().atMost(Duration.ofSeconds(5)).until(() -> !a.isLeader());
          assertThat(la.lostReasons).hasSize(1);
          assertThat(la.lostReasons.get(0)).contains("health check failed");
          assertThat(lb.gained.get()).isEqualTo(1);

          // Promotion goes on under the new leader.
          insertDueScheduled("after");
          await().atMost(Duration.ofSeconds(5)).until(() -> db.countJobs("available") == 2);
          await()
              .atMost(Duration.ofSeconds(5))
              .until(
                  () ->
                      db.queryStrings(
                              "SELECT instance_id FROM awa.runtime_instances WHERE is_leader")
                          .equals(java.util.List.of("b")));
        } finally {
          sampler.stop.set(true);
          sampler.join();
        }
        assertThat(sampler.samples.get()).isGreaterThan(100);
        assertThat(Duration.ofNanos(sampler.longestBothNanos.get())).isLessThanOrEqualTo(HEALTH);
      }
      // b.close() unlocked explicitly: a takes over without waiting for a session to die.
      await().atMost(ELECTION.multipliedBy(4)).until(a::isLeader);
      assertThat(lb.lostReasons).containsExactly("service closed");
    }
  }

  @Test
  void servicesStartingTogetherNeverBothLead() throws Exception {
    RecordingListener la = new RecordingListener();
    RecordingListener lb = new RecordingListener();
    try (MaintenanceService a = service("a", la);
        MaintenanceService b = service("b", lb)) {
      Sampler sampler = new Sampler(a, b);
      sampler.start();
      a.start();
      b.start();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isLeader() || b.isLeader());
        await()
            .during(ELECTION.multipliedBy(2))
            .atMost(ELECTION.multipliedBy(4))
            .until(() -> a.isLeader() != b.isLeader());
      } finally {
        sampler.stop.set(true);
        sampler.join();
      }
      assertThat(sampler.longestBothNanos.get()).isZero();
    }
    // close() released the lock explicitly and no step re-took it afterwards.
    assertThat(db.queryLong(LeaderElector.HOLDER_SQL)).isNull();
  }

  @Test
  void aFollowerRunsNoBranchAndLeadsOnceTheHolderLetsGo() throws Exception {
    AtomicLong runs = new AtomicLong();
    MaintenanceBranch counting =
        new MaintenanceBranch() {
          @Override
          public String name() {
            return "counting";
          }

          @Override
          public Duration interval() {
            return Duration.ofMillis(20);
          }

          @Override
          public void run(BranchContext context) {
            runs.incrementAndGet();
          }
        };
    AtomicReference<MaintenanceService> ref = new AtomicReference<>();
    try (Connection holder = db.openConnection()) {
      try (Statement st = holder.createStatement()) {
        st.execute(LeaderElector.LOCK);
      }
      MaintenanceService s =
          MaintenanceService.builder(db.newDataSource(4, "proc-c"))
              .electionInterval(Duration.ofMillis(200))
              .healthCheckInterval(HEALTH)
              .healthCheckTimeout(HEALTH_TIMEOUT)
              .addBranch(counting)
              .build()
              .start();
      ref.set(s);
      await()
          .during(Duration.ofMillis(800))
          .atMost(Duration.ofSeconds(2))
          .until(() -> runs.get() == 0);
      assertThat(s.isLeader()).isFalse();
    }
    try (MaintenanceService s = ref.get()) {
      // The holder's session ended: the follower takes over and its branches start running.
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() > 3);
      assertThat(s.isLeader()).isTrue();
    }
  }
}
