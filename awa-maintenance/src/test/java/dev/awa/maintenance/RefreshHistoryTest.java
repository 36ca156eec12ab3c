package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** refresh_admin_metadata's schema-V3 writes: branch percentiles and the leader history. */
@AwaTest
class RefreshHistoryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final TestDatabase db;
  private final Context ctx;

  RefreshHistoryTest(TestDatabase db) {
    this.db = db;
    this.ctx = new Context(db.dataSource(), "test-instance", () -> true, MaintenanceListener.NOOP);
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
    db.update("TRUNCATE awa.leader_history");
  }

  private RefreshAdminMetadataBranch refresh(BranchStatus status) {
    return new RefreshAdminMetadataBranch(
        Duration.ofSeconds(60), TIMEOUT, "host", 42, () -> List.of(status), Duration.ofMinutes(15));
  }

  @Test
  void writesIntervalAndRecentPercentiles() throws Exception {
    BranchStatus status =
        new BranchStatus(
            "promote_scheduled",
            "urgent",
            Duration.ofMillis(250),
            OverrunState.ON_TIME,
            0,
            null,
            null,
            Duration.ofMillis(7),
            null,
            10,
            Duration.ofMillis(5),
            Duration.ofMillis(9),
            Duration.ofMillis(1),
            Duration.ofMillis(3));
    refresh(status).run(ctx);
    assertThat(
            db.queryStrings(
                "SELECT interval_ms || '/' || recent_runs || '/' || duration_p50_ms || '/'"
                    + " || duration_p99_ms || '/' || lateness_p50_ms || '/' || lateness_p99_ms"
                    + " FROM awa.maintenance_branches"))
        .containsExactly("250/10/5/9/1/3");
  }

  @Test
  void recordsOneRowPerLeadershipTermAndKeepsTheNewest() throws Exception {
    BranchStatus status =
        new BranchStatus(
            "cleanup",
            "hygiene",
            Duration.ofSeconds(60),
            OverrunState.ON_TIME,
            0,
            null,
            null,
            null,
            null);
    RefreshAdminMetadataBranch branch = refresh(status);
    branch.run(ctx);
    branch.run(ctx);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.leader_history WHERE instance_id = 'test-instance'"))
        .isEqualTo(1);
    // The percentile columns stay empty without runs.
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.maintenance_branches WHERE duration_p50_ms IS NULL"))
        .isEqualTo(1);

    // Leadership lost and regained: a new term.
    db.update("UPDATE awa.runtime_instances SET is_leader = false, leader_since = NULL");
    branch.run(ctx);
    assertThat(db.queryLong("SELECT count(*) FROM awa.leader_history")).isEqualTo(2);

    db.update(
        "INSERT INTO awa.leader_history (instance_id, hostname, leader_since, last_seen_at)"
            + " SELECT 'old-' || g, 'h', now() - g * interval '1 hour', now() - g * interval '1 hour'"
            + " FROM generate_series(1, 150) g");
    branch.run(ctx);
    assertThat(db.queryLong("SELECT count(*) FROM awa.leader_history"))
        .isEqualTo(dev.awa.core.internal.store.MaintenanceSql.LEADER_HISTORY_ROWS);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.leader_history WHERE instance_id = 'test-instance'"))
        .isEqualTo(2);
  }
}
