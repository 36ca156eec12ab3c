package dev.awa.maintenance.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 3: every connection to the test database (runtime pool, LISTEN session, leader session,
 * enqueuer, execution log) is terminated with {@code pg_terminate_backend} over and over while jobs
 * flow at a steady rate. Afterwards everything completes, exactly once per lease.
 *
 * <p>Duration and rate are system properties: {@code awa.chaos.terminateSeconds} (default 20; the
 * issue's figure is 30) and {@code awa.chaos.rate} (jobs/s, default 200).
 */
@AwaTest
@Tag("chaos")
class TerminatedConnectionsTest {
  private static final Logger log = LoggerFactory.getLogger(TerminatedConnectionsTest.class);
  private static final String KILL_ALL =
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
          + " WHERE datname = current_database() AND pid <> pg_backend_pid()";

  private final TestDatabase db;

  TerminatedConnectionsTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void everythingCompletesWhileEveryConnectionIsTerminatedRepeatedly() throws Exception {
    int seconds = Integer.getInteger("awa.chaos.terminateSeconds", 20);
    int rate = Integer.getInteger("awa.chaos.rate", 200);
    db.truncateJobs();
    DataSource runtimePool = db.newDataSource(8, "chaos-runtime");
    DataSource leaderPool = db.newDataSource(3, "chaos-leader");
    DataSource logPool = db.newDataSource(8, "chaos-log");
    DataSource enqueuePool = db.newDataSource(2, "chaos-enqueue");
    Chaos.createExecLog(logPool);

    long kills = 0;
    long terminated = 0;
    Chaos.Enqueuer enqueuer;
    try (MaintenanceService leader = Chaos.maintenance(leaderPool, "term-leader").build().start();
        AwaRuntime runtime =
            Chaos.runtime(runtimePool, "term-runtime")
                .queue("chaos_term", 16)
                .register("work", Chaos.recording(logPool, "term-runtime", Duration.ofMillis(5)))
                .build()) {
      runtime.start();
      await().atMost(Duration.ofMinutes(1)).until(leader::isLeader);
      enqueuer = new Chaos.Enqueuer(AwaClient.create(enqueuePool), "work", "chaos_term", rate);
      enqueuer.start();
      long until = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      try (Connection killer = db.openConnection();
          Statement st = killer.createStatement()) {
        while (System.nanoTime() < until) {
          try (ResultSet rs = st.executeQuery(KILL_ALL)) {
            rs.next();
            terminated += rs.getLong(1);
          }
          kills++;
          // A kill round every ~700 ms: often enough that most statements meet a fresh pool.
          LockSupport.parkNanos(Duration.ofMillis(700).toNanos()); // chaos pacing
        }
      } finally {
        enqueuer.finish();
      }
      log.info(
          "terminate chaos: {} rounds, {} backends terminated, {} jobs enqueued, {} enqueue"
              + " failures",
          kills,
          terminated,
          enqueuer.ids.size(),
          enqueuer.failures.get());
      // Recovery: the leader is re-elected, rescues what lost its heartbeat and promotes retries.
      Chaos.awaitAllCompleted(logPool, Duration.ofMinutes(3));
      await().atMost(Duration.ofMinutes(1)).until(leader::isLeader);
    }
    assertThat(terminated).isPositive();
    assertThat(enqueuer.ids).hasSizeGreaterThan(rate); // jobs did flow during the chaos
    Chaos.Outcome o = Chaos.assertExactlyOnce(logPool, enqueuer.ids);
    log.info("terminate chaos outcome: {}", o);
  }
}
