package dev.awa.core.internal.store;

import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Not API. The status reads of awa-cli ({@code awa status}, {@code awa jobs list}, the queue and
 * cron commands) and the dashboard (awa-web): queue health, the registered runtimes, the
 * maintenance branches and the job list. Jobs live in two tables with the same columns, so job
 * reads cover both. States are SQL literals, never parameters, so PostgreSQL can match the partial
 * indexes defined on them. All are plain reads (no locks).
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
   * The database's clock, the one clock status pages and the demo compare against (no table, no
   * lock).
   */
  public static final String DATABASE_NOW = "SELECT now() AS now";

  /**
   * Whether anything names the queue: a pause flag, a job in either table, a live runtime's
   * configuration or a schedule. A queue nobody names is a typo more often than an intent. The
   * pause flag is a primary-key lookup; on a huge jobs table a name that matches nothing costs a
   * scan of each job table (no index leads with queue alone), which is acceptable for a command
   * operators run by hand. No lock. Parameters: queue, five times (one per table).
   */
  public static final String QUEUE_IS_NAMED =
      """
      SELECT EXISTS (SELECT 1 FROM awa.queue_meta WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.runtime_instances WHERE (queues -> ?) IS NOT NULL)
          OR EXISTS (SELECT 1 FROM awa.cron_jobs WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.jobs WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.scheduled_jobs WHERE queue = ?)
          AS named
      """;

  /**
   * Kinds registered by runtimes seen within their own heartbeat staleness (AwaRuntime records its
   * kinds in {@code info.kinds} of its {@code awa.runtime_instances} row). A handful of rows; no
   * index, no lock.
   */
  public static final String LIVE_RUNTIME_KINDS =
      """
      SELECT DISTINCT kind
        FROM awa.runtime_instances,
             jsonb_array_elements_text(coalesce(info -> 'kinds', '[]'::jsonb)) AS kind
       WHERE last_seen_at > now() - make_interval(
                 secs => coalesce((info ->> 'heartbeat_staleness_ms')::float8, 30000) / 1000)
      """;

  /**
   * The head of a job list's branch over {@code awa.jobs}: {@link #listJobsSql} appends the filter
   * (only the fixed conditions below, the state as a {@link JobState#dbName()} literal), {@code
   * ORDER BY id} and a LIMIT, so each branch is a walk of the primary key in the list's order that
   * stops after one page, whatever the table's size. No lock. On its own: every job of the table.
   */
  public static final String LIST_JOBS_IN_JOBS_TABLE =
      """
      SELECT id, kind, queue, args::text, state, priority, attempt, max_attempts, run_at,
             created_at, attempted_at, heartbeat_at, deadline_at, finalized_at, errors::text,
             metadata::text, tags, unique_key, run_lease, callback_id, callback_timeout_at,
             attempted_by
        FROM awa.jobs
      """;

  /** The same head over {@code awa.scheduled_jobs} (see {@link #LIST_JOBS_IN_JOBS_TABLE}). */
  public static final String LIST_JOBS_IN_SCHEDULED_TABLE =
      """
      SELECT id, kind, queue, args::text, state, priority, attempt, max_attempts, run_at,
             created_at, attempted_at, heartbeat_at, deadline_at, finalized_at, errors::text,
             metadata::text, tags, unique_key, run_lease, callback_id, callback_timeout_at,
             attempted_by
        FROM awa.scheduled_jobs
      """;

  // The only fragments a job list is composed of besides the two heads: fixed text, every value
  // bound (the state is an enum's database name, a literal so the partial indexes match).
  private static final String QUEUE_IS = "queue = ?";
  private static final String KIND_IS = "kind = ?";
  private static final String HAS_TAG = "tags @> ARRAY[?]::text[]";
  private static final String ID_IS = "id = ?";
  private static final String ID_BELOW = "id < ?";
  private static final String ID_ABOVE = "id > ?";
  private static final String UNION_ALL = "\nUNION ALL\n";

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

  /**
   * What a job list selects ({@code awa jobs list}, the dashboard's jobs page); a null filter
   * matches everything.
   *
   * @param queue exact queue name, or null
   * @param kind exact kind, or null
   * @param state one state, or null for all
   * @param tag a tag the job must carry, or null
   * @param id one job id, or null
   * @param newestFirst id descending, or ascending
   * @param cursor keyset cursor: the last id of the previous page; only ids after it in that order
   *     (exclusive), or null for the first page
   * @param limit at most this many rows
   */
  public record JobListQuery(
      String queue,
      String kind,
      JobState state,
      String tag,
      Long id,
      boolean newestFirst,
      Long cursor,
      int limit) {
    /** The same filter, order and cursor, reading at most {@code limit} rows. */
    public JobListQuery withLimit(int limit) {
      return new JobListQuery(queue, kind, state, tag, id, newestFirst, cursor, limit);
    }

    /** Rows in these states are only in awa.scheduled_jobs, every other state only in awa.jobs. */
    private boolean scheduledState() {
      return state == JobState.SCHEDULED || state == JobState.RETRYABLE;
    }

    /** Whether rows of awa.jobs can match. */
    public boolean readsJobsTable() {
      return state == null || !scheduledState();
    }

    /** Whether rows of awa.scheduled_jobs can match. */
    public boolean readsScheduledTable() {
      return state == null || scheduledState();
    }
  }

  /**
   * The statement {@link #listJobs} runs for {@code q}: one branch per table that can hold a
   * matching row ({@link #LIST_JOBS_IN_JOBS_TABLE}, {@link #LIST_JOBS_IN_SCHEDULED_TABLE}), each
   * limited on its own, then merged in the same order. Only the fixed fragments of this class and
   * {@link JobState#dbName()} literals are concatenated; every value is a parameter.
   */
  public static String listJobsSql(JobListQuery q) {
    List<String> branches = new ArrayList<>();
    if (q.readsJobsTable()) {
      branches.add(listBranch(LIST_JOBS_IN_JOBS_TABLE, q));
    }
    if (q.readsScheduledTable()) {
      branches.add(listBranch(LIST_JOBS_IN_SCHEDULED_TABLE, q));
    }
    return "SELECT * FROM ("
        + String.join(UNION_ALL, branches)
        + ") AS matching\nORDER BY id "
        + (q.newestFirst() ? "DESC" : "ASC")
        + " LIMIT ?";
  }

  private static String listBranch(String head, JobListQuery q) {
    List<String> where = new ArrayList<>();
    if (q.state() != null) {
      where.add("state = '" + q.state().dbName() + "'");
    }
    if (q.queue() != null) {
      where.add(QUEUE_IS);
    }
    if (q.kind() != null) {
      where.add(KIND_IS);
    }
    if (q.tag() != null) {
      where.add(HAS_TAG);
    }
    if (q.id() != null) {
      where.add(ID_IS);
    }
    if (q.cursor() != null) {
      where.add(q.newestFirst() ? ID_BELOW : ID_ABOVE);
    }
    return "("
        + head.strip()
        + (where.isEmpty() ? "" : "\n WHERE " + String.join(" AND ", where))
        + "\n ORDER BY id "
        + (q.newestFirst() ? "DESC" : "ASC")
        + " LIMIT ?)";
  }

  /** The jobs matching {@code q}, at most {@code q.limit()}, in its order. */
  public static List<JobRow> listJobs(Connection c, JobListQuery q) throws SQLException {
    int branches = (q.readsJobsTable() ? 1 : 0) + (q.readsScheduledTable() ? 1 : 0);
    try (PreparedStatement ps = c.prepareStatement(listJobsSql(q))) {
      int i = 1;
      for (int b = 0; b < branches; b++) {
        if (q.queue() != null) {
          ps.setString(i++, q.queue());
        }
        if (q.kind() != null) {
          ps.setString(i++, q.kind());
        }
        if (q.tag() != null) {
          ps.setString(i++, q.tag());
        }
        if (q.id() != null) {
          ps.setLong(i++, q.id());
        }
        if (q.cursor() != null) {
          ps.setLong(i++, q.cursor());
        }
        ps.setInt(i++, q.limit());
      }
      ps.setInt(i, q.limit());
      try (ResultSet rs = ps.executeQuery()) {
        return JobRows.all(rs);
      }
    }
  }

  /** The database's now ({@link #DATABASE_NOW}). */
  public static Instant now(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DATABASE_NOW);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getObject("now", OffsetDateTime.class).toInstant();
    }
  }

  /** Whether anything names {@code queue} ({@link #QUEUE_IS_NAMED}). */
  public static boolean queueIsNamed(Connection c, String queue) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(QUEUE_IS_NAMED)) {
      for (int i = 1; i <= 5; i++) {
        ps.setString(i, queue);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean("named");
      }
    }
  }

  /** The kinds live runtimes register ({@link #LIVE_RUNTIME_KINDS}). */
  public static Set<String> liveRuntimeKinds(Connection c) throws SQLException {
    Set<String> kinds = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(LIVE_RUNTIME_KINDS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        kinds.add(rs.getString("kind"));
      }
    }
    return kinds;
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
