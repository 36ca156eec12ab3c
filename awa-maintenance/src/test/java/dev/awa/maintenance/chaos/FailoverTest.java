package dev.awa.maintenance.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.awa.core.AwaClient;
import dev.awa.core.AwaListener;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.ListenerMode;
import dev.awa.core.Migrations;
import dev.awa.core.NewJob;
import dev.awa.core.Worker;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.maintenance.PeriodicJob;
import dev.awa.testing.ReplicatedPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario: a PostgreSQL failover while jobs flow at about 200/s. A primary with a synchronous
 * streaming replica (two local server processes, {@link ReplicatedPostgres}); producers, the
 * runtime and the maintenance leader connect through one multi-host URL with {@code
 * targetServerType=primary}. The replica is promoted and the old primary stopped at once. Nothing
 * is restarted: pools, the LISTEN session and the leader find the new primary themselves.
 *
 * <p>Checked: every job whose enqueue commit succeeded completes on the new primary; no (job,
 * lease) runs twice; a job runs again under a new lease only if its first run started before the
 * switch (it was in flight); no cron fire is enqueued twice. The outage seen by producers (longest
 * gap between successful enqueues) and workers (longest gap between handler starts) is logged.
 */
@Tag("chaos")
class FailoverTest {
  private static final Logger log = LoggerFactory.getLogger(FailoverTest.class);
  private static final String QUEUE = "failover";
  private static final Duration STALENESS = Duration.ofSeconds(3);

  /** One handler start: job, lease, when. */
  private record Run(long id, long lease, long atNanos) {}

  @Test
  void runtimeAndLeaderFollowThePrimaryAcrossAFailover() throws Exception {
    ReplicatedPostgres.assumeAvailable();
    try (ReplicatedPostgres pg = ReplicatedPostgres.start();
        HikariDataSource ds = Chaos.pool(pg.jdbcUrl(), 12, "failover-runtime");
        HikariDataSource leaderDs = Chaos.pool(pg.jdbcUrl(), 4, "failover-leader");
        HikariDataSource producerDs = Chaos.pool(pg.jdbcUrl(), 4, "failover-producer")) {
      Migrations.migrate(ds);
      ConcurrentLinkedQueue<Run> runs = new ConcurrentLinkedQueue<>();
      Worker recording =
          ctx -> {
            runs.add(new Run(ctx.id(), ctx.job().runLease(), System.nanoTime()));
            return JobResult.completed();
          };
      List<ListenerMode> modes = new CopyOnWriteArrayList<>();
      AtomicLong leaderLostAt = new AtomicLong();
      AtomicLong leaderRegainedAt = new AtomicLong();
      MaintenanceListener leaderEvents =
          new MaintenanceListener() {
            @Override
            public void onLeaderGained(String instanceId) {
              if (leaderLostAt.get() != 0) {
                leaderRegainedAt.compareAndSet(0, System.nanoTime());
              }
            }

            @Override
            public void onLeaderLost(String instanceId, String reason) {
              leaderLostAt.compareAndSet(0, System.nanoTime());
            }
          };
      try (MaintenanceService leader =
              MaintenanceService.builder(leaderDs)
                  .instanceId("failover-leader")
                  .listener(leaderEvents)
                  .electionInterval(Duration.ofMillis(500))
                  .healthCheckInterval(Duration.ofMillis(200))
                  .healthCheckTimeout(Duration.ofSeconds(1))
                  .heartbeatStaleness(STALENESS)
                  .interval(MaintenanceService.RESCUE_STALE_HEARTBEATS, Duration.ofMillis(250))
                  .interval(MaintenanceService.PROMOTE_SCHEDULED, Duration.ofMillis(100))
                  .interval(MaintenanceService.CRON_SYNC, Duration.ofSeconds(1))
                  .periodicJob(
                      PeriodicJob.builder("failover-tick", "* * * * * *")
                          .job(NewJob.builder("tick").queue(QUEUE).build())
                          .build())
                  .build();
          AwaRuntime runtime =
              AwaRuntime.builder(ds)
                  .instanceId("failover-runtime")
                  .listener(
                      new AwaListener() {
                        @Override
                        public void onListenerModeChanged(String instanceId, ListenerMode mode) {
                          modes.add(mode);
                        }
                      })
                  .queue(QUEUE, 16)
                  .pollInterval(Duration.ofMillis(200))
                  .heartbeatInterval(Duration.ofMillis(300))
                  .heartbeatStaleness(STALENESS)
                  .retryPolicy(attempt -> Duration.ofMillis(200))
                  .register("work", recording)
                  .register("tick", recording)
                  .build()) {
        leader.start();
        runtime.start();
        assertThat(leader.awaitLeadership(Duration.ofSeconds(30))).isTrue();
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> runtime.listenerMode() == ListenerMode.LISTEN);

        // 200 jobs/s in batches of 10 every 50 ms.
        Chaos.Enqueuer producer =
            new Chaos.Enqueuer(AwaClient.create(producerDs), "work", QUEUE, 200);
        producer.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> producer.ids.size() >= 500);

        long switchStart = System.nanoTime();
        pg.promoteReplica();
        pg.stopPrimary();
        long switchEnd = System.nanoTime();
        log.info(
            "failover: replica promoted and old primary stopped in {} ms",
            (switchEnd - switchStart) / 1_000_000);

        // Everything finds the new primary without a restart.
        await().atMost(Duration.ofSeconds(30)).until(() -> leaderRegainedAt.get() != 0);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> runtime.listenerMode() == ListenerMode.LISTEN && modes.size() >= 3);
        int before = producer.ids.size();
        await().atMost(Duration.ofSeconds(20)).until(() -> producer.ids.size() >= before + 400);
        producer.finish();

        Set<Long> committed = producer.ids;
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> notCompleted(ds) == 0 && completedAmong(ds, committed) == committed.size());

        // Exactly once per lease; re-runs only of jobs in flight at the switch.
        Map<Long, List<Run>> byJob = new ConcurrentHashMap<>();
        for (Run r : runs) {
          byJob.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r);
        }
        long sameLeaseTwice =
            byJob.values().stream()
                .filter(l -> l.stream().map(Run::lease).distinct().count() < l.size())
                .count();
        assertThat(sameLeaseTwice).as("(job, lease) pairs run twice").isZero();
        List<Long> rerun = new ArrayList<>();
        for (Map.Entry<Long, List<Run>> e : byJob.entrySet()) {
          if (e.getValue().size() > 1) {
            rerun.add(e.getKey());
            long first = e.getValue().stream().mapToLong(Run::atNanos).min().orElseThrow();
            assertThat(first)
                .as("job %d ran again although its first run started after the switch", e.getKey())
                .isLessThan(switchEnd);
          }
        }
        assertThat(byJob.keySet()).containsAll(committed);
        assertThat(doubledCronFires(ds)).as("cron fires enqueued twice").isZero();
        assertThat(modes).startsWith(ListenerMode.LISTEN).contains(ListenerMode.POLLING);

        log.info(
            "failover figures: {} jobs committed by producers ({} enqueue batches of 10 failed),"
                + " {} handler runs, {} jobs re-run (in flight at the switch); producer outage"
                + " {} ms, worker outage {} ms, leader absent {} ms; listener modes {}; {} cron"
                + " jobs",
            committed.size(),
            producer.failures.get(),
            runs.size(),
            rerun.size(),
            producer.longestGapMillis(),
            Chaos.longestGapMillis(runs.stream().mapToLong(Run::atNanos).toArray()),
            (leaderRegainedAt.get() - leaderLostAt.get()) / 1_000_000,
            modes,
            countKind(ds, "tick"));
      }
    }
  }

  private static long notCompleted(HikariDataSource ds) throws SQLException {
    return queryLong(
        ds,
        "SELECT (SELECT count(*) FROM awa.jobs WHERE state <> 'completed')"
            + " + (SELECT count(*) FROM awa.scheduled_jobs)",
        null);
  }

  private static long completedAmong(HikariDataSource ds, Set<Long> ids) throws SQLException {
    return queryLong(
        ds,
        "SELECT count(*) FROM awa.jobs WHERE state = 'completed' AND id = ANY(?)",
        ids.toArray(Long[]::new));
  }

  private static long doubledCronFires(HikariDataSource ds) throws SQLException {
    return queryLong(
        ds,
        "SELECT count(*) FROM (SELECT metadata->'awa_cron'->>'fire_at' FROM awa.jobs"
            + " WHERE kind = 'tick' GROUP BY 1 HAVING count(*) > 1) d",
        null);
  }

  private static long countKind(HikariDataSource ds, String kind) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM awa.jobs WHERE kind = ?")) {
      ps.setString(1, kind);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long queryLong(HikariDataSource ds, String sql, Long[] ids) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      if (ids != null) {
        ps.setArray(1, c.createArrayOf("bigint", ids));
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
