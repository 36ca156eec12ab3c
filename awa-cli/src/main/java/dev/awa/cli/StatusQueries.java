package dev.awa.cli;

import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.internal.JobColumns;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every statement the CLI reads with, in one place. Jobs live in two tables (awa.jobs and
 * awa.scheduled_jobs, same columns), so every read covers both. States are SQL literals, never
 * parameters, so PostgreSQL can use the partial indexes that are defined on them.
 */
final class StatusQueries {
  private StatusQueries() {}

  /** Job counts per queue and state, across both tables. */
  static final String COUNTS_BY_QUEUE_AND_STATE =
      """
      SELECT queue, state, count(*) AS jobs
        FROM (SELECT queue, state FROM awa.jobs
              UNION ALL
              SELECT queue, state FROM awa.scheduled_jobs) AS all_jobs
       GROUP BY queue, state
      """;

  /** Age of the oldest due, available job per queue: how far behind its workers are. */
  static final String LAG_BY_QUEUE =
      """
      SELECT queue, extract(epoch FROM now() - min(run_at))::float8 AS lag_seconds
        FROM awa.jobs
       WHERE state = 'available' AND run_at <= now()
       GROUP BY queue
      """;

  static final String PAUSED_QUEUES = "SELECT queue, paused FROM awa.queue_meta";

  /**
   * Whether anything names the queue: a pause flag, a job in either table, a live runtime's
   * configuration or a schedule. A queue nobody names is a typo more often than an intent. On a
   * huge jobs table a name that matches nothing costs a scan; operators run this by hand.
   */
  static final String QUEUE_KNOWN =
      """
      SELECT EXISTS (SELECT 1 FROM awa.queue_meta WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.runtime_instances WHERE (queues -> ?) IS NOT NULL)
          OR EXISTS (SELECT 1 FROM awa.cron_jobs WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.jobs WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.scheduled_jobs WHERE queue = ?)
      """;

  /** Registered worker runtimes, the leader first. */
  static final String RUNTIME_INSTANCES =
      """
      SELECT instance_id, hostname, pid, started_at,
             extract(epoch FROM now() - last_seen_at)::float8 AS last_seen_seconds_ago,
             is_leader, leader_since
        FROM awa.runtime_instances
       ORDER BY is_leader DESC, started_at, instance_id
      """;

  /** What the leader last recorded per maintenance branch, urgent loop first. */
  static final String MAINTENANCE_BRANCHES =
      """
      SELECT branch, loop_name, leader_instance, last_started_at,
             extract(epoch FROM now() - last_started_at)::float8 AS last_run_seconds_ago,
             last_duration_ms, overrun_state, overrun_episodes, last_error
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
  record QueueSummary(String queue, boolean paused, Map<String, Long> counts, Double lagSeconds) {}

  /**
   * One worker runtime.
   *
   * @param instanceId runtime id (also {@code attempted_by} of its jobs)
   * @param hostname host it runs on
   * @param pid process id
   * @param startedAt when it registered
   * @param lastSeenSecondsAgo seconds since its last heartbeat tick
   * @param leader whether it holds the maintenance lock
   * @param leaderSince when it became leader, or null
   */
  record RuntimeInstance(
      String instanceId,
      String hostname,
      long pid,
      Instant startedAt,
      double lastSeenSecondsAgo,
      boolean leader,
      Instant leaderSince) {}

  /**
   * One maintenance branch as the leader last recorded it.
   *
   * @param branch branch name (metric tag value)
   * @param loop {@code urgent} or {@code hygiene}
   * @param leaderInstance runtime that ran it last
   * @param lastStartedAt start of its last tick
   * @param lastRunSecondsAgo seconds since then
   * @param lastDurationMs duration of its last body
   * @param overrunState {@code on_time} or {@code delayed}
   * @param overrunEpisodes how often it has flipped to delayed
   * @param lastError message of its last failure, or null
   */
  record MaintenanceBranch(
      String branch,
      String loop,
      String leaderInstance,
      Instant lastStartedAt,
      Double lastRunSecondsAgo,
      Double lastDurationMs,
      String overrunState,
      long overrunEpisodes,
      String lastError) {}

  /** Every queue that has jobs or a pause flag, by name. */
  static List<QueueSummary> queues(Connection c) throws SQLException {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    Map<String, Double> lags = new TreeMap<>();
    Map<String, Boolean> paused = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(COUNTS_BY_QUEUE_AND_STATE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts
            .computeIfAbsent(rs.getString("queue"), q -> zeroCounts())
            .put(rs.getString("state"), rs.getLong("jobs"));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(LAG_BY_QUEUE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lags.put(rs.getString("queue"), rs.getDouble("lag_seconds"));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(PAUSED_QUEUES);
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

  /** See {@link #QUEUE_KNOWN}. */
  static boolean queueKnown(Connection c, String queue) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(QUEUE_KNOWN)) {
      for (int i = 1; i <= 5; i++) {
        ps.setString(i, queue);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  static List<RuntimeInstance> runtimeInstances(Connection c) throws SQLException {
    List<RuntimeInstance> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(RUNTIME_INSTANCES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new RuntimeInstance(
                rs.getString("instance_id"),
                rs.getString("hostname"),
                rs.getLong("pid"),
                instant(rs, "started_at"),
                rs.getDouble("last_seen_seconds_ago"),
                rs.getBoolean("is_leader"),
                instant(rs, "leader_since")));
      }
    }
    return out;
  }

  static List<MaintenanceBranch> maintenanceBranches(Connection c) throws SQLException {
    List<MaintenanceBranch> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(MAINTENANCE_BRANCHES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new MaintenanceBranch(
                rs.getString("branch"),
                rs.getString("loop_name"),
                rs.getString("leader_instance"),
                instant(rs, "last_started_at"),
                nullableDouble(rs, "last_run_seconds_ago"),
                nullableDouble(rs, "last_duration_ms"),
                rs.getString("overrun_state"),
                rs.getLong("overrun_episodes"),
                rs.getString("last_error")));
      }
    }
    return out;
  }

  /**
   * The statement for {@code filter}: one branch per table that can hold a matching row, each
   * limited on its own (a backward scan of the primary key), then merged newest first. Only fixed
   * fragments and {@link JobState#dbName()} literals are concatenated; queue, kind and limit are
   * parameters.
   */
  static String listJobsSql(JobFilter filter) {
    List<String> branches = new ArrayList<>();
    if (filter.readsJobsTable()) {
      branches.add(listBranch("awa.jobs", filter));
    }
    if (filter.readsScheduledTable()) {
      branches.add(listBranch("awa.scheduled_jobs", filter));
    }
    // The outer SELECT keeps the column order JobColumns.map reads by position.
    return "SELECT * FROM ("
        + String.join("\nUNION ALL\n", branches)
        + ") AS matching\nORDER BY id DESC LIMIT ?";
  }

  private static String listBranch(String table, JobFilter filter) {
    List<String> conditions = new ArrayList<>();
    if (filter.state() != null) {
      conditions.add("state = '" + filter.state().dbName() + "'");
    }
    if (filter.queue() != null) {
      conditions.add("queue = ?");
    }
    if (filter.kind() != null) {
      conditions.add("kind = ?");
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    return "(SELECT " + JobColumns.ROW + " FROM " + table + where + " ORDER BY id DESC LIMIT ?)";
  }

  /** The jobs matching {@code filter}, newest first. */
  static List<JobRow> listJobs(Connection c, JobFilter filter) throws SQLException {
    int branches = (filter.readsJobsTable() ? 1 : 0) + (filter.readsScheduledTable() ? 1 : 0);
    List<JobRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(listJobsSql(filter))) {
      int i = 1;
      for (int b = 0; b < branches; b++) {
        if (filter.queue() != null) {
          ps.setString(i++, filter.queue());
        }
        if (filter.kind() != null) {
          ps.setString(i++, filter.kind());
        }
        ps.setInt(i++, filter.limit());
      }
      ps.setInt(i, filter.limit());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(JobColumns.map(rs));
        }
      }
    }
    return out;
  }

  private static Map<String, Long> zeroCounts() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (JobState s : JobState.values()) {
      m.put(s.dbName(), 0L);
    }
    return m;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }
}
