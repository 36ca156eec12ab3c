package dev.awa.maintenance;

import dev.awa.core.internal.PgTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code refresh_admin_metadata}: keeps the tables operators and {@code awa status} read in step
 * with this leader: its {@code awa.runtime_instances} row (liveness and leader flag; any other row
 * still flagged as leader is stale, because this process holds the lock) and one {@code
 * awa.maintenance_branches} row per branch. Upserts of whole rows: two leaders running it at once
 * just write in turn, the last one wins, and the next tick of the true leader puts it right.
 */
final class RefreshAdminMetadataBranch implements MaintenanceBranch {
  /**
   * Parameters: instance id, hostname, pid. Does not touch queues or info, which the worker runtime
   * owns; keeps leader_since while the row already says leader.
   */
  static final String UPSERT_LEADER =
      "INSERT INTO awa.runtime_instances AS r (instance_id, hostname, pid, is_leader,"
          + " leader_since, last_seen_at) VALUES (?, ?, ?, true, now(), now())"
          + " ON CONFLICT (instance_id) DO UPDATE SET is_leader = true, last_seen_at = now(),"
          + " leader_since = CASE WHEN r.is_leader AND r.leader_since IS NOT NULL"
          + " THEN r.leader_since ELSE now() END";

  /** Parameters: instance id. */
  static final String CLEAR_OTHERS =
      "UPDATE awa.runtime_instances SET is_leader = false, leader_since = NULL"
          + " WHERE is_leader AND instance_id <> ?";

  /**
   * Removes rows of processes that stopped without {@code close()} (SIGKILL, OOM, lost host): a
   * live runtime refreshes {@code last_seen_at} with every heartbeat and puts its row back if it is
   * ever missing, so an old row belongs to a dead process. Parameters: instance id, age in
   * milliseconds.
   */
  static final String PRUNE_STALE =
      "DELETE FROM awa.runtime_instances WHERE instance_id <> ?"
          + " AND last_seen_at < now() - ? * interval '1 millisecond'";

  /** Parameters: instance id. */
  static final String CLEAR_SELF =
      "UPDATE awa.runtime_instances SET is_leader = false, leader_since = NULL"
          + " WHERE instance_id = ?";

  static final String UPSERT_BRANCH =
      "INSERT INTO awa.maintenance_branches (branch, loop_name, leader_instance,"
          + " last_started_at, last_success_at, last_duration_ms, overrun_state,"
          + " overrun_episodes, last_error, interval_ms, recent_runs, duration_p50_ms,"
          + " duration_p99_ms, lateness_p50_ms, lateness_p99_ms, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())"
          + " ON CONFLICT (branch) DO UPDATE SET loop_name = EXCLUDED.loop_name,"
          + " leader_instance = EXCLUDED.leader_instance,"
          + " last_started_at = EXCLUDED.last_started_at,"
          + " last_success_at = EXCLUDED.last_success_at,"
          + " last_duration_ms = EXCLUDED.last_duration_ms,"
          + " overrun_state = EXCLUDED.overrun_state,"
          + " overrun_episodes = EXCLUDED.overrun_episodes,"
          + " last_error = EXCLUDED.last_error, interval_ms = EXCLUDED.interval_ms,"
          + " recent_runs = EXCLUDED.recent_runs, duration_p50_ms = EXCLUDED.duration_p50_ms,"
          + " duration_p99_ms = EXCLUDED.duration_p99_ms,"
          + " lateness_p50_ms = EXCLUDED.lateness_p50_ms,"
          + " lateness_p99_ms = EXCLUDED.lateness_p99_ms, updated_at = now()";

  /**
   * Records this leadership term (keyed by instance and leader_since, which stays fixed while the
   * term lasts) or extends its last_seen_at. Parameters: instance id.
   */
  static final String RECORD_TERM =
      "INSERT INTO awa.leader_history AS h (instance_id, hostname, leader_since, last_seen_at)"
          + " SELECT instance_id, hostname, leader_since, now() FROM awa.runtime_instances"
          + " WHERE instance_id = ? AND is_leader AND leader_since IS NOT NULL"
          + " ON CONFLICT (instance_id, leader_since) DO UPDATE SET last_seen_at = now()";

  static final int LEADER_HISTORY_ROWS = 100;

  /** Keeps the newest {@value #LEADER_HISTORY_ROWS} terms. */
  static final String PRUNE_TERMS =
      "DELETE FROM awa.leader_history WHERE leader_since < (SELECT leader_since"
          + " FROM awa.leader_history ORDER BY leader_since DESC OFFSET "
          + (LEADER_HISTORY_ROWS - 1)
          + " LIMIT 1)";

  private final Duration interval;
  private final Duration statementTimeout;
  private final String hostname;
  private final long pid;
  private final Supplier<List<BranchStatus>> statuses;
  private final Duration staleInstanceAfter;

  RefreshAdminMetadataBranch(
      Duration interval,
      Duration statementTimeout,
      String hostname,
      long pid,
      Supplier<List<BranchStatus>> statuses,
      Duration staleInstanceAfter) {
    this.staleInstanceAfter = staleInstanceAfter;
    this.interval = interval;
    this.statementTimeout = statementTimeout;
    this.hostname = hostname;
    this.pid = pid;
    this.statuses = statuses;
  }

  @Override
  public String name() {
    return MaintenanceService.REFRESH_ADMIN_METADATA;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void run(BranchContext ctx) throws Exception {
    ctx.inTransaction(
        statementTimeout,
        null,
        c -> {
          markLeader(c, ctx.instanceId(), hostname, pid);
          try (PreparedStatement ps = c.prepareStatement(PRUNE_STALE)) {
            ps.setString(1, ctx.instanceId());
            ps.setLong(2, staleInstanceAfter.toMillis());
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement(UPSERT_BRANCH)) {
            for (BranchStatus s : statuses.get()) {
              ps.setString(1, s.branch());
              ps.setString(2, s.loop());
              ps.setString(3, ctx.instanceId());
              PgTime.bind(ps, 4, s.lastStartedAt());
              PgTime.bind(ps, 5, s.lastSuccessAt());
              if (s.lastDuration() == null) {
                ps.setNull(6, java.sql.Types.DOUBLE);
              } else {
                ps.setDouble(6, s.lastDuration().toNanos() / 1e6);
              }
              ps.setString(7, s.overrunState().dbValue());
              ps.setLong(8, s.overrunEpisodes());
              ps.setString(9, s.lastError());
              ps.setDouble(10, s.interval().toNanos() / 1e6);
              ps.setInt(11, s.recentRuns());
              setMillis(ps, 12, s.durationP50());
              setMillis(ps, 13, s.durationP99());
              setMillis(ps, 14, s.latenessP50());
              setMillis(ps, 15, s.latenessP99());
              ps.addBatch();
            }
            ps.executeBatch();
          }
          try (PreparedStatement ps = c.prepareStatement(RECORD_TERM)) {
            ps.setString(1, ctx.instanceId());
            ps.executeUpdate();
          }
          try (PreparedStatement ps = c.prepareStatement(PRUNE_TERMS)) {
            ps.executeUpdate();
          }
          return null;
        });
  }

  private static void setMillis(PreparedStatement ps, int i, Duration d) throws SQLException {
    if (d == null) {
      ps.setNull(i, java.sql.Types.DOUBLE);
    } else {
      ps.setDouble(i, d.toNanos() / 1e6);
    }
  }

  /** Flags this instance as leader and clears the flag everywhere else. */
  static void markLeader(Connection c, String instanceId, String hostname, long pid)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_LEADER)) {
      ps.setString(1, instanceId);
      ps.setString(2, hostname);
      ps.setLong(3, pid);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(CLEAR_OTHERS)) {
      ps.setString(1, instanceId);
      ps.executeUpdate();
    }
  }
}
