package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What schema version 4 promises (adr/0012): running rows have one index, keyed by deadline_at, so
 * a heartbeat changes no indexed column and is a HOT update when its page has room; both rescues
 * still find running rows through that index.
 */
@AwaTest
class RunningIndexTest {

  @Test
  void runningRowsHaveOneIndexKeyedByDeadline(TestDatabase db) {
    assertThat(
            db.queryStrings(
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'awa' AND tablename = 'jobs'"
                    + " AND indexdef LIKE '%WHERE (state = ''running''::text)'"))
        .containsExactly("jobs_running_idx");
    assertThat(
            db.queryStrings(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'jobs_running_idx'"
                    + " AND schemaname = 'awa'"))
        .singleElement()
        .asString()
        .contains("(deadline_at)");
  }

  @Test
  void heartbeatsAreHotUpdatesUnlessHeartbeatAtIsIndexed(TestDatabase db) throws Exception {
    db.truncateJobs();
    // One connection, so every write below is counted by one backend whose counters we flush.
    DataSource pool = db.newDataSource(1, "running-index-test");
    AwaClient awa = AwaClient.create(pool);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      jobs.add(NewJob.builder("k").queue("churn").build());
    }
    awa.enqueueMany(jobs);
    List<JobRow> leases = awa.leases().claim("churn", 4, Duration.ofMinutes(5), "w");
    assertThat(leases).hasSize(4);

    long[] before = flushedCounters(db, pool);
    for (int round = 0; round < 3; round++) {
      assertThat(awa.leases().heartbeat(leases)).hasSize(4);
    }
    long[] afterV4 = awaitUpdates(db, pool, before[0] + 12);
    assertThat(afterV4[1] - before[1]).as("HOT heartbeats on schema 4").isEqualTo(12);

    // Version 3 indexed heartbeat_at: the same heartbeats are then never HOT.
    db.update("CREATE INDEX jobs_heartbeat_idx ON awa.jobs (heartbeat_at) WHERE state = 'running'");
    try {
      for (int round = 0; round < 3; round++) {
        assertThat(awa.leases().heartbeat(leases)).hasSize(4);
      }
      long[] afterV3 = awaitUpdates(db, pool, afterV4[0] + 12);
      assertThat(afterV3[1] - afterV4[1]).as("HOT heartbeats with heartbeat_at indexed").isZero();
    } finally {
      db.update("DROP INDEX awa.jobs_heartbeat_idx");
    }
  }

  @Test
  void bothRescuesWalkTheRunningIndex(TestDatabase db) throws Exception {
    db.truncateJobs();
    AwaClient awa = AwaClient.create(db.dataSource());
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      jobs.add(NewJob.builder("k").queue("rescue").build());
    }
    awa.enqueueMany(jobs);
    List<JobRow> done = new ArrayList<>();
    for (int i = 0; i < 199; i++) {
      awa.leases().claim("rescue", 100, Duration.ofMinutes(5), "w").forEach(done::add);
    }
    awa.leases().completeMany(done);
    awa.leases().claim("rescue", 20, Duration.ofMinutes(5), "w");
    db.update("ANALYZE awa.jobs");

    // The rescues' candidate picks (awa-maintenance RescueBranch), one per rescue.
    String heartbeat =
        "SELECT id, run_lease FROM awa.jobs WHERE state = 'running'"
            + " AND heartbeat_at < now() - 60000 * interval '1 millisecond'"
            + " AND attempt < max_attempts ORDER BY heartbeat_at, id LIMIT 100"
            + " FOR UPDATE SKIP LOCKED";
    String deadline =
        "SELECT id, run_lease FROM awa.jobs WHERE state = 'running' AND deadline_at < now()"
            + " AND attempt < max_attempts ORDER BY deadline_at, id LIMIT 100"
            + " FOR UPDATE SKIP LOCKED";
    assertThat(explain(db, heartbeat)).contains("jobs_running_idx");
    assertThat(explain(db, deadline))
        .contains("jobs_running_idx")
        .contains("Index Cond: (deadline_at < now())");
  }

  /** n_tup_upd and n_tup_hot_upd of awa.jobs once {@code writer}'s backend flushed them. */
  private static long[] flushedCounters(TestDatabase db, DataSource writer) throws SQLException {
    try (Connection c = writer.getConnection();
        Statement st = c.createStatement()) {
      // Flushed when this backend next goes idle, i.e. before this statement's result returns.
      st.execute("SELECT pg_stat_force_next_flush()");
    }
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                  + " WHERE schemaname = 'awa' AND relname = 'jobs'")) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** Waits until awa.jobs has counted {@code updates} updates; returns the counters. */
  private static long[] awaitUpdates(TestDatabase db, DataSource writer, long updates) {
    long[][] seen = new long[1][];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              seen[0] = flushedCounters(db, writer);
              return seen[0][0] >= updates;
            });
    assertThat(seen[0][0]).isEqualTo(updates);
    return seen[0];
  }

  private static String explain(TestDatabase db, String sql) {
    return String.join("\n", db.queryStrings("EXPLAIN " + sql));
  }
}
