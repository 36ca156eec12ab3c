package dev.awa.core.internal.store;

import dev.awa.core.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not API. The status reads shared by {@code awa status} (awa-cli) and the dashboard (awa-web):
 * queue health, the registered runtimes and the maintenance branches. Jobs live in two tables with
 * the same columns, so job reads cover both. States are SQL literals, never parameters, so
 * PostgreSQL can match the partial indexes defined on them. All are plain reads (no locks).
 */
public final class StatusSql {
  private StatusSql() {}

  /**
   * Job counts per queue and state, across both tables. A full count by design (operators want
   * exact numbers); no index helps a GROUP BY over every row.
   */
  public static final String COUNT_JOBS_BY_QUEUE_AND_STATE =
      """
      SELECT queue, state, count(*) AS jobs
        FROM (SELECT queue, state FROM awa.jobs
              UNION ALL
              SELECT queue, state FROM awa.scheduled_jobs) AS all_jobs
       GROUP BY queue, state
      """;

  /**
   * Age of the oldest due, available job per queue: how far behind its workers are. Walks
   * jobs_available_run_at_idx (partial: state = 'available').
   */
  public static final String QUEUE_LAG =
      """
      SELECT queue, extract(epoch FROM now() - min(run_at))::float8 AS lag_seconds
        FROM awa.jobs
       WHERE state = 'available' AND run_at <= now()
       GROUP BY queue
      """;

  /** Every pause flag (one small row per queue ever paused or resumed). */
  public static final String QUEUE_PAUSE_FLAGS = "SELECT queue, paused FROM awa.queue_meta";

  /** Registered runtimes, the leader first (a handful of rows; no index needed). */
  public static final String RUNTIME_INSTANCES =
      """
      SELECT instance_id, hostname, pid, started_at, last_seen_at,
             extract(epoch FROM now() - last_seen_at)::float8 AS last_seen_seconds_ago,
             is_leader, leader_since
        FROM awa.runtime_instances
       ORDER BY is_leader DESC, started_at, instance_id
      """;

  /**
   * What the maintenance leader last recorded per branch, urgent loop first (one row per branch; no
   * index needed).
   */
  public static final String MAINTENANCE_BRANCHES =
      """
      SELECT branch, loop_name, leader_instance, last_started_at,
             extract(epoch FROM now() - last_started_at)::float8 AS last_run_seconds_ago,
             last_success_at, last_duration_ms, overrun_state, overrun_episodes, last_error,
             updated_at, interval_ms, recent_runs, duration_p50_ms, duration_p99_ms,
             lateness_p50_ms, lateness_p99_ms
        FROM awa.maintenance_branches
       ORDER BY loop_name = 'urgent' DESC, loop_name, branch
      """;

  /**
   * One queue's health.
   *
   * @param queue queue name
   * @param paused whether claims are paused
   * @param counts jobs per state (database names), every state present (zero when none)
   * @param lagSeconds age of the oldest due available job, null when none is waiting
   */
  public record QueueSummary(
      String queue, boolean paused, Map<String, Long> counts, Double lagSeconds) {}

  /**
   * One registered runtime.
   *
   * @param instanceId runtime id (also {@code attempted_by} of its jobs)
   * @param hostname host it runs on
   * @param pid process id
   * @param startedAt when it registered
   * @param lastSeenAt its last heartbeat tick
   * @param lastSeenSecondsAgo seconds since then, by the database clock
   * @param leader whether it holds the maintenance lock
   * @param leaderSince when it became leader, or null
   */
  public record RuntimeInstanceRow(
      String instanceId,
      String hostname,
      long pid,
      Instant startedAt,
      Instant lastSeenAt,
      double lastSeenSecondsAgo,
      boolean leader,
      Instant leaderSince) {}

  /**
   * One maintenance branch as the leader last recorded it.
   *
   * @param branch name
   * @param loop loop it runs on ({@code urgent}, {@code hygiene}, {@code single}, ...)
   * @param leaderInstance instance that ran it last
   * @param lastStartedAt start of its last run
   * @param lastRunSecondsAgo seconds since then, by the database clock
   * @param lastSuccessAt end of its last success
   * @param lastDurationMs duration of its last run
   * @param overrunState {@code on_time} or {@code delayed}
   * @param overrunEpisodes on-time to delayed flips so far
   * @param lastError message of its last failure, or null
   * @param updatedAt when the leader last wrote this row
   * @param intervalMs the branch's interval
   * @param recentRuns runs the percentiles cover (the leader's last 128 at most)
   * @param durationP50Ms median duration over the recent runs
   * @param durationP99Ms 99th percentile duration over the recent runs
   * @param latenessP50Ms median lateness (start behind schedule) over the recent runs
   * @param latenessP99Ms 99th percentile lateness over the recent runs
   */
  public record MaintenanceBranchRow(
      String branch,
      String loop,
      String leaderInstance,
      Instant lastStartedAt,
      Double lastRunSecondsAgo,
      Instant lastSuccessAt,
      Double lastDurationMs,
      String overrunState,
      long overrunEpisodes,
      String lastError,
      Instant updatedAt,
      Double intervalMs,
      int recentRuns,
      Double durationP50Ms,
      Double durationP99Ms,
      Double latenessP50Ms,
      Double latenessP99Ms) {}

  /** Every queue that has jobs or a pause flag, by name. */
  public static List<QueueSummary> queues(Connection c) throws SQLException {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    Map<String, Double> lags = new TreeMap<>();
    Map<String, Boolean> paused = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(COUNT_JOBS_BY_QUEUE_AND_STATE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts
            .computeIfAbsent(rs.getString("queue"), q -> zeroCounts())
            .put(rs.getString("state"), rs.getLong("jobs"));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(QUEUE_LAG);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lags.put(rs.getString("queue"), rs.getDouble("lag_seconds"));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(QUEUE_PAUSE_FLAGS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        paused.put(rs.getString("queue"), rs.getBoolean("paused"));
        counts.computeIfAbsent(rs.getString("queue"), q -> zeroCounts());
      }
    }
    List<QueueSummary> out = new ArrayList<>();
    counts.forEach(
        (queue, byState) ->
            out.add(
                new QueueSummary(
                    queue, paused.getOrDefault(queue, false), byState, lags.get(queue))));
    return out;
  }

  /** Every registered runtime, the leader first. */
  public static List<RuntimeInstanceRow> runtimeInstances(Connection c) throws SQLException {
    List<RuntimeInstanceRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(RUNTIME_INSTANCES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new RuntimeInstanceRow(
                rs.getString("instance_id"),
                rs.getString("hostname"),
                rs.getLong("pid"),
                JobRows.instant(rs, "started_at"),
                JobRows.instant(rs, "last_seen_at"),
                rs.getDouble("last_seen_seconds_ago"),
                rs.getBoolean("is_leader"),
                JobRows.instant(rs, "leader_since")));
      }
    }
    return out;
  }

  /** Every maintenance branch the leader recorded, urgent loop first. */
  public static List<MaintenanceBranchRow> maintenanceBranches(Connection c) throws SQLException {
    List<MaintenanceBranchRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(MAINTENANCE_BRANCHES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new MaintenanceBranchRow(
                rs.getString("branch"),
                rs.getString("loop_name"),
                rs.getString("leader_instance"),
                JobRows.instant(rs, "last_started_at"),
                nullableDouble(rs, "last_run_seconds_ago"),
                JobRows.instant(rs, "last_success_at"),
                nullableDouble(rs, "last_duration_ms"),
                rs.getString("overrun_state"),
                rs.getLong("overrun_episodes"),
                rs.getString("last_error"),
                JobRows.instant(rs, "updated_at"),
                nullableDouble(rs, "interval_ms"),
                rs.getInt("recent_runs"),
                nullableDouble(rs, "duration_p50_ms"),
                nullableDouble(rs, "duration_p99_ms"),
                nullableDouble(rs, "lateness_p50_ms"),
                nullableDouble(rs, "lateness_p99_ms")));
      }
    }
    return out;
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static Map<String, Long> zeroCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (JobState s : JobState.values()) {
      m.put(s.dbName(), 0L);
    }
    return m;
  }
}
