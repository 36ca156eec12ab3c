package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful hand-over: a closing leader announces its release and a waiting follower leads at once,
 * without the crash grace; a stale or forged notice never shortcuts the grace.
 */
@AwaTest
class HandOverTest {
  private static final Logger log = LoggerFactory.getLogger(HandOverTest.class);

  // Production defaults on purpose: a 5 s election interval and a 1 s + 2 s grace, so a takeover
  // inside 1.5 s can only come from the release notice.
  private static final Duration ELECTION = Duration.ofSeconds(5);

  private final TestDatabase db;

  HandOverTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private MaintenanceService service(String id) {
    return MaintenanceService.builder(db.newDataSource(4, "proc-" + id))
        .instanceId(id)
        .electionInterval(ELECTION)
        .interval(MaintenanceService.PROMOTE_SCHEDULED, Duration.ofMillis(50))
        .build();
  }

  private long candidates() {
    return db.queryLong(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?",
        LeaderElector.CANDIDATE_APPLICATION_NAME);
  }

  private void insertDueScheduled(String queue) {
    db.update(
        "INSERT INTO awa.scheduled_jobs (kind, queue, state, run_at)"
            + " VALUES ('k', ?, 'scheduled', now() - interval '1 second')",
        queue);
  }

  @Test
  void closingTheLeaderHandsOverToAWaitingFollowerAtOnce() throws Exception {
    MaintenanceService a = service("a").start();
    assertThat(a.awaitLeadership(Duration.ofSeconds(20))).isTrue();
    List<MaintenanceService> followers = new ArrayList<>();
    try {
      for (String id : List.of("b", "c", "d")) {
        followers.add(service(id).start());
      }
      // Every follower holds its LISTENing candidate connection.
      await().atMost(Duration.ofSeconds(10)).until(() -> candidates() == 3);
      insertDueScheduled("before");
      await().atMost(Duration.ofSeconds(5)).until(() -> db.countJobs("available") == 1);

      List<CompletableFuture<Void>> waits = new ArrayList<>();
      for (MaintenanceService f : followers) {
        waits.add(f.whenLeader());
      }
      long closeStart = System.nanoTime();
      a.close();
      long closed = System.nanoTime();
      CompletableFuture.anyOf(waits.toArray(CompletableFuture[]::new))
          .get(1500, TimeUnit.MILLISECONDS);
      long led = System.nanoTime();
      MaintenanceService leader =
          followers.stream().filter(MaintenanceService::isLeader).findFirst().orElseThrow();
      log.info(
          "hand-over: close() took {} ms; follower {} led {} ms after close() returned ({} ms"
              + " after it was called; server-side release-to-grant {} µs)",
          (closed - closeStart) / 1_000_000,
          leader.instanceId(),
          (led - closed) / 1_000_000,
          (led - closeStart) / 1_000_000,
          leader.lastHandOverMicros());
      // It took the fast path (no grace), and only it leads.
      assertThat(leader.lastHandOverMicros()).isNotNegative();
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(2))
          .until(() -> followers.stream().filter(MaintenanceService::isLeader).count() == 1);
      assertThat(db.queryLong(LeaderElector.HOLDER_SQL))
          .isEqualTo((long) leader.leaderBackendPid());

      // Promotion goes on under the new leader.
      insertDueScheduled("after");
      await().atMost(Duration.ofSeconds(5)).until(() -> db.countJobs("available") == 2);
    } finally {
      a.close();
      followers.forEach(MaintenanceService::close);
    }
  }

  @Test
  void aReleaseWhileABodyStillRunsKeepsTheGrace() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    MaintenanceBranch stubborn =
        new MaintenanceBranch() {
          @Override
          public String name() {
            return "stubborn";
          }

          @Override
          public Duration interval() {
            return Duration.ofMillis(20);
          }

          @Override
          public void run(BranchContext context) {
            entered.countDown();
            // Ignores interrupts, like a body stuck in a statement that outlives shutdownTimeout.
            boolean done = false;
            while (!done) {
              try {
                done = release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                // keep waiting
              }
            }
          }
        };
    MaintenanceService a =
        MaintenanceService.builder(db.newDataSource(4, "proc-a"))
            .instanceId("a")
            .shutdownTimeout(Duration.ZERO)
            .addBranch(stubborn)
            .build()
            .start();
    try (MaintenanceService b = service("b").start()) {
      assertThat(a.awaitLeadership(Duration.ofSeconds(20))).isTrue();
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> candidates() == 1);
      a.close(); // the body is still running: the notice says "unsafe"
      assertThat(b.awaitLeadership(Duration.ofSeconds(20))).isTrue();
      assertThat(b.lastHandOverMicros()).isEqualTo(-1);
    } finally {
      release.countDown();
      a.close();
    }
  }

  @Test
  void aStaleReleaseNoticeDoesNotSkipTheGrace() throws Exception {
    try (Connection holder = db.openConnection()) {
      try (Statement st = holder.createStatement()) {
        st.execute(LeaderElector.LOCK);
      }
      try (MaintenanceService b =
          MaintenanceService.builder(db.newDataSource(4, "proc-b"))
              .electionInterval(Duration.ofMillis(200))
              .healthCheckInterval(Duration.ofMillis(100))
              .healthCheckTimeout(Duration.ofSeconds(1))
              .build()
              .start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> candidates() == 1);
        // A notice ten seconds old, as if an earlier leader had released long ago.
        db.queryLong(
            "SELECT count(*) FROM (SELECT pg_notify('"
                + LeaderElector.LEADER_CHANNEL
                + "', 'released ' || (floor(extract(epoch FROM clock_timestamp()) * 1000000)"
                + " - 10000000)::bigint)) n");
        holder.close(); // the holder's session ends without any announcement
        assertThat(b.awaitLeadership(Duration.ofSeconds(10))).isTrue();
        assertThat(b.lastHandOverMicros()).isEqualTo(-1);
      }
    }
  }

  @Test
  void waitingEndsWithTheService() throws Exception {
    try (Connection holder = db.openConnection()) {
      try (Statement st = holder.createStatement()) {
        st.execute(LeaderElector.LOCK);
      }
      MaintenanceService b =
          MaintenanceService.builder(db.newDataSource(4, "proc-b"))
              .electionInterval(Duration.ofMillis(100))
              .build()
              .start();
      CompletableFuture<Void> f = b.whenLeader();
      assertThat(b.awaitLeadership(Duration.ofMillis(300))).isFalse();
      assertThat(f).isNotDone();
      b.close();
      assertThat(f).isCancelled();
      assertThatThrownBy(() -> b.awaitLeadership(Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> b.awaitLeadership(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("timeout");
    }
  }
}
