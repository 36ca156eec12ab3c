package dev.awa.core.internal.store;

import dev.awa.core.internal.PgTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Not API. Every statement of the maintenance branches (promotion, the three rescues, cleanup,
 * priority aging, queue stats, the admin tables) as one complete literal, with typed methods. Each
 * method runs on the caller's connection and transaction ({@code Jdbc.inTransaction} sets the
 * timeouts); rows are read by column name.
 *
 * <p>The moving statements ({@code DELETE ... RETURNING} feeding an {@code INSERT} into the other
 * job table) list every stored column of {@code awa.jobs}; a migration that adds a column to both
 * job tables must add it to {@link #PROMOTE_DUE} and {@link #RETRY_RESCUED} too.
 */
public final class MaintenanceSql {
  private MaintenanceSql() {}

  // ---------------------------------------------------------------- promote_scheduled

  /**
   * Moves one batch of due scheduled and retryable jobs to {@code awa.jobs} as available. The
   * picking CTE walks {@code scheduled_jobs_due_idx (run_at, id)} oldest first; {@code FOR UPDATE
   * SKIP LOCKED} makes two leaders (or an operator cancelling a scheduled job) take disjoint rows,
   * and a row another transaction moved meanwhile is skipped on recheck, so nothing is promoted
   * twice. {@code MATERIALIZED} makes the LIMIT bound the batch: as a plain {@code IN (subquery)} a
   * nested-loop semi join re-runs it per outer row and moves far more. run_at is kept so claim-wait
   * metrics still start at the due time. "Due" is the database clock's {@code now()}.
   */
  static final String PROMOTE_DUE =
      """
      WITH picked AS MATERIALIZED (
        SELECT id FROM awa.scheduled_jobs
        WHERE state IN ('scheduled', 'retryable') AND run_at <= now()
        ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED),
      moved AS (
        DELETE FROM awa.scheduled_jobs WHERE id IN (SELECT id FROM picked) RETURNING *)
      INSERT INTO awa.jobs (id, kind, queue, args, state, priority, attempt, max_attempts, run_at,
        created_at, attempted_at, heartbeat_at, deadline_at, finalized_at, errors, metadata, tags,
        unique_key, unique_states, run_lease, callback_id, callback_timeout_at, attempted_by,
        original_priority, unique_claim)
      SELECT id, kind, queue, args, 'available', priority, attempt, max_attempts, run_at,
        created_at, attempted_at, heartbeat_at, deadline_at, finalized_at, errors, metadata, tags,
        unique_key, unique_states, run_lease, callback_id, callback_timeout_at, attempted_by,
        original_priority, unique_claim
      FROM moved
      RETURNING id
      """;

  /** Promotes at most {@code limit} due jobs; returns how many moved. */
  public static int promoteDue(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PROMOTE_DUE)) {
      ps.setInt(1, limit);
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          n++;
        }
      }
      return n;
    }
  }

  // ---------------------------------------------------------------- rescues

  /** A row a rescue took (and holds locked until its transaction ends), with why it was taken. */
  public record RescueCandidate(long id, long runLease, int attempt, int maxAttempts, String why) {
    /** Whether the job has attempts left (it is retried) or not (it fails for good). */
    public boolean hasAttemptsLeft() {
      return attempt < maxAttempts;
    }
  }

  /**
   * A rescued row to retry: back to {@code awa.scheduled_jobs} as retryable after {@code delay}.
   */
  public record RescueRetry(RescueCandidate candidate, Duration delay) {}

  /** What a rescue writes into the error entry and which state fences its writes. */
  public record RescueKind(String fromState, String errorClass) {}

  /**
   * Running jobs whose heartbeat is older than the staleness their runtime registered ({@code
   * info.heartbeat_staleness_ms} of its {@code awa.runtime_instances} row, matched by {@code
   * attempted_by}), or than the fallback (parameter 1) when no row says (the row is gone or has no
   * staleness). The rows come from {@code jobs_running_idx (deadline_at) WHERE state = 'running'}
   * (V4: heartbeat_at is deliberately not indexed, so heartbeats are HOT updates; running rows are
   * bounded by the slots and claim-ahead of the live runtimes, so reading and sorting them all is
   * cheap). The scalar subquery is evaluated once and gives the smallest staleness in use; the
   * per-row condition then applies each job's own. {@code FOR UPDATE OF j SKIP LOCKED}: a heartbeat
   * or completion holding the row wins, and its recheck on the newest version leaves a refreshed
   * row alone. Parameters: fallback ms (three times), limit.
   */
  static final String PICK_STALE_HEARTBEATS =
      """
      SELECT j.id, j.run_lease, j.attempt, j.max_attempts,
        format('rescued: no heartbeat since %s, longer than the staleness limit of %s ms;'
          || ' the worker is presumed dead (attempt %s of %s)', j.heartbeat_at,
          coalesce((r.info ->> 'heartbeat_staleness_ms')::bigint, ?), j.attempt,
          j.max_attempts) AS why
      FROM awa.jobs j
      LEFT JOIN awa.runtime_instances r ON r.instance_id = j.attempted_by
      WHERE j.state = 'running'
        AND j.heartbeat_at < now() - (
          SELECT least(?, min((info ->> 'heartbeat_staleness_ms')::bigint))
          FROM awa.runtime_instances) * interval '1 millisecond'
        AND j.heartbeat_at < now()
          - coalesce((r.info ->> 'heartbeat_staleness_ms')::bigint, ?) * interval '1 millisecond'
      ORDER BY j.heartbeat_at, j.id
      LIMIT ? FOR UPDATE OF j SKIP LOCKED
      """;

  /**
   * Running jobs past their deadline, oldest deadline first through {@code jobs_running_idx
   * (deadline_at) WHERE state = 'running'} (literal state so the partial index applies). SKIP
   * LOCKED as above. Parameter: limit.
   */
  static final String PICK_EXPIRED_DEADLINES =
      """
      SELECT id, run_lease, attempt, max_attempts,
        format('rescued: deadline %s passed while the attempt was still running'
          || ' (attempt %s of %s)', deadline_at, attempt, max_attempts) AS why
      FROM awa.jobs
      WHERE state = 'running' AND deadline_at < now()
      ORDER BY deadline_at, id
      LIMIT ? FOR UPDATE SKIP LOCKED
      """;

  /**
   * Parked jobs whose callback timed out, through {@code jobs_callback_timeout_idx
   * (callback_timeout_at) WHERE state = 'waiting_external'}. SKIP LOCKED: a resolution holding the
   * row wins. Parameter: limit.
   */
  static final String PICK_EXPIRED_CALLBACKS =
      """
      SELECT id, run_lease, attempt, max_attempts,
        format('rescued: callback %s timed out at %s without a resolution (attempt %s of %s)',
          callback_id, callback_timeout_at, attempt, max_attempts) AS why
      FROM awa.jobs
      WHERE state = 'waiting_external' AND callback_timeout_at < now()
      ORDER BY callback_timeout_at, id
      LIMIT ? FOR UPDATE SKIP LOCKED
      """;

  /**
   * Moves rescued rows with attempts left to {@code awa.scheduled_jobs} as retryable, each due
   * after its own delay (the configured {@code RetryPolicy}, computed by the caller) on the
   * database clock, with an error entry. Fenced at the moment of writing: the row must still have
   * the {@code (id, run_lease)} and state the pick saw (the pick holds the lock, so this only
   * guards against a caller mixing batches). By primary key, so no partial index is needed.
   * Parameters: ids, leases, delay ms, messages (arrays of equal length), error class, state.
   */
  static final String RETRY_RESCUED =
      """
      WITH input AS (
        SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::bigint[], ?::text[])
          AS t(id, run_lease, delay_ms, why)),
      moved AS (
        DELETE FROM awa.jobs j USING input i
        WHERE j.id = i.id AND j.run_lease = i.run_lease AND j.state = ?
        RETURNING j.*, i.delay_ms, i.why)
      INSERT INTO awa.scheduled_jobs (id, kind, queue, args, state, priority, attempt,
        max_attempts, run_at, created_at, attempted_at, heartbeat_at, deadline_at, finalized_at,
        errors, metadata, tags, unique_key, unique_states, run_lease, callback_id,
        callback_timeout_at, attempted_by, original_priority, unique_claim)
      SELECT id, kind, queue, args, 'retryable', priority, attempt, max_attempts,
        now() + delay_ms * interval '1 millisecond', created_at, attempted_at, NULL, NULL,
        finalized_at,
        errors || jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(),
          'error_class', ?::text, 'message', why)),
        metadata, tags, unique_key, unique_states, run_lease, callback_id, NULL, attempted_by,
        original_priority, unique_claim
      FROM moved
      RETURNING id
      """;

  /**
   * Fails rescued rows whose attempts are spent, with an error entry. Same fence as {@link
   * #RETRY_RESCUED}. Parameters: ids, leases, messages, error class, state.
   */
  static final String FAIL_RESCUED =
      """
      WITH input AS (
        SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[]) AS t(id, run_lease, why))
      UPDATE awa.jobs j SET state = 'failed', finalized_at = now(), callback_timeout_at = NULL,
        errors = j.errors || jsonb_build_array(jsonb_build_object('attempt', j.attempt,
          'at', now(), 'error_class', ?::text, 'message', i.why))
      FROM input i
      WHERE j.id = i.id AND j.run_lease = i.run_lease AND j.state = ?
      RETURNING j.id
      """;

  /**
   * Tells a rescued job's handler, in whatever process, to stop. Delivered at commit, so a handler
   * never sees a cancel that was rolled back. Parameter: ids.
   */
  static final String NOTIFY_CANCEL =
      """
      SELECT pg_notify('awa_job_cancel', x::text) FROM unnest(?::bigint[]) AS x
      """;

  /** Takes up to {@code limit} running jobs whose heartbeat is stale (see the statement). */
  public static List<RescueCandidate> pickStaleHeartbeats(
      Connection c, Duration fallbackStaleness, int limit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PICK_STALE_HEARTBEATS)) {
      long ms = fallbackStaleness.toMillis();
      ps.setLong(1, ms);
      ps.setLong(2, ms);
      ps.setLong(3, ms);
      ps.setInt(4, limit);
      return candidates(ps);
    }
  }

  /** Takes up to {@code limit} running jobs past their deadline. */
  public static List<RescueCandidate> pickExpiredDeadlines(Connection c, int limit)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PICK_EXPIRED_DEADLINES)) {
      ps.setInt(1, limit);
      return candidates(ps);
    }
  }

  /** Takes up to {@code limit} parked jobs whose callback timed out. */
  public static List<RescueCandidate> pickExpiredCallbacks(Connection c, int limit)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PICK_EXPIRED_CALLBACKS)) {
      ps.setInt(1, limit);
      return candidates(ps);
    }
  }

  private static List<RescueCandidate> candidates(PreparedStatement ps) throws SQLException {
    List<RescueCandidate> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new RescueCandidate(
                rs.getLong("id"),
                rs.getLong("run_lease"),
                rs.getInt("attempt"),
                rs.getInt("max_attempts"),
                rs.getString("why")));
      }
    }
    return out;
  }

  /** Retries {@code rows}; returns the ids moved. */
  public static List<Long> retryRescued(Connection c, RescueKind kind, List<RescueRetry> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    Long[] ids = new Long[rows.size()];
    Long[] leases = new Long[rows.size()];
    Long[] delays = new Long[rows.size()];
    String[] why = new String[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      RescueRetry r = rows.get(i);
      ids[i] = r.candidate().id();
      leases[i] = r.candidate().runLease();
      delays[i] = Math.max(0, r.delay().toMillis());
      why[i] = r.candidate().why();
    }
    try (PreparedStatement ps = c.prepareStatement(RETRY_RESCUED)) {
      ps.setArray(1, c.createArrayOf("bigint", ids));
      ps.setArray(2, c.createArrayOf("bigint", leases));
      ps.setArray(3, c.createArrayOf("bigint", delays));
      ps.setArray(4, c.createArrayOf("text", why));
      ps.setString(5, kind.fromState());
      ps.setString(6, kind.errorClass());
      return ids(ps);
    }
  }

  /** Fails {@code rows} for good; returns the ids failed. */
  public static List<Long> failRescued(Connection c, RescueKind kind, List<RescueCandidate> rows)
      throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    Long[] ids = new Long[rows.size()];
    Long[] leases = new Long[rows.size()];
    String[] why = new String[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      ids[i] = rows.get(i).id();
      leases[i] = rows.get(i).runLease();
      why[i] = rows.get(i).why();
    }
    try (PreparedStatement ps = c.prepareStatement(FAIL_RESCUED)) {
      ps.setArray(1, c.createArrayOf("bigint", ids));
      ps.setArray(2, c.createArrayOf("bigint", leases));
      ps.setArray(3, c.createArrayOf("text", why));
      ps.setString(4, kind.errorClass());
      ps.setString(5, kind.fromState());
      return ids(ps);
    }
  }

  /** Sends {@code awa_job_cancel} for each id, at commit. */
  public static void notifyCancel(Connection c, List<Long> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(NOTIFY_CANCEL)) {
      ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
      ps.execute();
    }
  }

  private static List<Long> ids(PreparedStatement ps) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong("id"));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- cleanup

  /** A finished state cleanup deletes, each with its own literal statements. */
  public enum FinishedState {
    /** {@code completed}. */
    COMPLETED(DELETE_COMPLETED, COMPLETED_BACKLOG),
    /** {@code failed}. */
    FAILED(DELETE_FAILED, FAILED_BACKLOG),
    /** {@code cancelled}. */
    CANCELLED(DELETE_CANCELLED, CANCELLED_BACKLOG);

    private final String delete;
    private final String backlog;

    FinishedState(String delete, String backlog) {
      this.delete = delete;
      this.backlog = backlog;
    }

    /** The state as stored. */
    public String dbValue() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The state for its stored value, or null when it is not a finished state. */
    public static FinishedState fromDb(String value) {
      for (FinishedState s : values()) {
        if (s.dbValue().equals(value)) {
          return s;
        }
      }
      return null;
    }
  }

  /**
   * One cleanup batch of completed rows past retention. The state is a literal so {@code
   * jobs_finalized_idx (state, finalized_at, id)} applies and the subquery reads it in order: the
   * oldest rows go first and each batch starts where the index begins, with no offset scan. {@code
   * SKIP LOCKED} steps over rows an operator is retrying at this moment instead of waiting on them;
   * the outer state check keeps a row that was retried meanwhile. MATERIALIZED: as a plain {@code
   * IN (subquery)} a nested-loop semi join re-runs the LIMIT per row and deletes far more than one
   * batch. Parameters: retention ms, limit. The failed and cancelled variants are the same.
   */
  static final String DELETE_COMPLETED =
      """
      WITH picked AS MATERIALIZED (
        SELECT id FROM awa.jobs
        WHERE state = 'completed' AND finalized_at < now() - ? * interval '1 millisecond'
        ORDER BY finalized_at, id LIMIT ? FOR UPDATE SKIP LOCKED),
      d AS (DELETE FROM awa.jobs WHERE id IN (SELECT id FROM picked) AND state = 'completed'
        RETURNING 1)
      SELECT count(*) AS deleted FROM d
      """;

  /** As {@link #DELETE_COMPLETED}, for failed rows. */
  static final String DELETE_FAILED =
      """
      WITH picked AS MATERIALIZED (
        SELECT id FROM awa.jobs
        WHERE state = 'failed' AND finalized_at < now() - ? * interval '1 millisecond'
        ORDER BY finalized_at, id LIMIT ? FOR UPDATE SKIP LOCKED),
      d AS (DELETE FROM awa.jobs WHERE id IN (SELECT id FROM picked) AND state = 'failed'
        RETURNING 1)
      SELECT count(*) AS deleted FROM d
      """;

  /** As {@link #DELETE_COMPLETED}, for cancelled rows. */
  static final String DELETE_CANCELLED =
      """
      WITH picked AS MATERIALIZED (
        SELECT id FROM awa.jobs
        WHERE state = 'cancelled' AND finalized_at < now() - ? * interval '1 millisecond'
        ORDER BY finalized_at, id LIMIT ? FOR UPDATE SKIP LOCKED),
      d AS (DELETE FROM awa.jobs WHERE id IN (SELECT id FROM picked) AND state = 'cancelled'
        RETURNING 1)
      SELECT count(*) AS deleted FROM d
      """;

  /**
   * How far behind cleanup is for completed rows: a count bounded by the probe limit over the same
   * index range as the delete (literal state for {@code jobs_finalized_idx}), and how far past
   * retention the oldest row is. Parameters: retention ms (twice), probe limit.
   */
  static final String COMPLETED_BACKLOG =
      """
      SELECT count(*) AS remaining,
        coalesce(extract(epoch FROM (now() - ? * interval '1 millisecond') - min(finalized_at)), 0)
          AS overdue_s
      FROM (SELECT finalized_at FROM awa.jobs
        WHERE state = 'completed' AND finalized_at < now() - ? * interval '1 millisecond'
        ORDER BY finalized_at, id LIMIT ?) s
      """;

  /** As {@link #COMPLETED_BACKLOG}, for failed rows. */
  static final String FAILED_BACKLOG =
      """
      SELECT count(*) AS remaining,
        coalesce(extract(epoch FROM (now() - ? * interval '1 millisecond') - min(finalized_at)), 0)
          AS overdue_s
      FROM (SELECT finalized_at FROM awa.jobs
        WHERE state = 'failed' AND finalized_at < now() - ? * interval '1 millisecond'
        ORDER BY finalized_at, id LIMIT ?) s
      """;

  /** As {@link #COMPLETED_BACKLOG}, for cancelled rows. */
  static final String CANCELLED_BACKLOG =
      """
      SELECT count(*) AS remaining,
        coalesce(extract(epoch FROM (now() - ? * interval '1 millisecond') - min(finalized_at)), 0)
          AS overdue_s
      FROM (SELECT finalized_at FROM awa.jobs
        WHERE state = 'cancelled' AND finalized_at < now() - ? * interval '1 millisecond'
        ORDER BY finalized_at, id LIMIT ?) s
      """;

  /** Rows of one state past retention still there (capped) and how overdue the oldest is. */
  public record CleanupBacklog(long remaining, Duration oldestOverdue) {}

  /** Deletes one batch of {@code state} rows past {@code retention}; returns how many. */
  public static int deleteFinished(Connection c, FinishedState state, Duration retention, int limit)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(state.delete)) {
      ps.setLong(1, retention.toMillis());
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt("deleted");
      }
    }
  }

  /** The backlog of {@code state} past {@code retention}, probing at most {@code probeLimit}. */
  public static CleanupBacklog cleanupBacklog(
      Connection c, FinishedState state, Duration retention, int probeLimit) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(state.backlog)) {
      long ms = retention.toMillis();
      ps.setLong(1, ms);
      ps.setLong(2, ms);
      ps.setInt(3, probeLimit);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new CleanupBacklog(
            rs.getLong("remaining"), Duration.ofMillis((long) (rs.getDouble("overdue_s") * 1000)));
      }
    }
  }

  // ---------------------------------------------------------------- priority_aging

  /**
   * Raises the priority of one batch of long-waiting available jobs by one level. The MATERIALIZED
   * CTE (so the LIMIT is applied once) takes candidates oldest first with {@code SKIP LOCKED}
   * (claimers hold the rows they are taking; waiting on them is pointless) through {@code
   * jobs_available_run_at_idx}. The outer update is a compare-and-set on the priority the subquery
   * saw, and the threshold grows with each level already raised, so two leaders running it at once
   * raise a job one level, not two. Parameters: threshold ms, max levels, limit.
   */
  static final String AGE_WAITING_JOBS =
      """
      WITH p AS MATERIALIZED (
        SELECT id, priority FROM awa.jobs
        WHERE state = 'available' AND priority > 1
          AND run_at < now() - ? * interval '1 millisecond'
            * (coalesce(original_priority, priority) - priority + 1)
          AND coalesce(original_priority, priority) - priority < ?
        ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
      UPDATE awa.jobs j SET priority = j.priority - 1,
        original_priority = coalesce(j.original_priority, j.priority)
      FROM p
      WHERE j.id = p.id AND j.state = 'available' AND j.priority = p.priority
      """;

  /** Ages one batch; returns how many jobs were raised a level. */
  public static int ageWaitingJobs(Connection c, Duration threshold, int maxLevels, int limit)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(AGE_WAITING_JOBS)) {
      ps.setLong(1, threshold.toMillis());
      ps.setInt(2, maxLevels);
      ps.setInt(3, limit);
      return ps.executeUpdate();
    }
  }

  // ---------------------------------------------------------------- queue_stats

  /** The database clock, so the snapshot time and the lag use the same clock. */
  static final String DATABASE_NOW =
      """
      SELECT now() AS now
      """;

  /** Whole-table counts of both tables: the statement timeout bounds them on very large tables. */
  static final String COUNT_BY_QUEUE_AND_STATE =
      """
      SELECT queue, state, count(*) AS n FROM awa.jobs GROUP BY queue, state
      UNION ALL
      SELECT queue, state, count(*) AS n FROM awa.scheduled_jobs GROUP BY queue, state
      """;

  /** Lag of the oldest due available job per queue; literal state so a partial index applies. */
  static final String AVAILABLE_LAG_BY_QUEUE =
      """
      SELECT queue, extract(epoch FROM now() - min(run_at)) AS lag_s
      FROM awa.jobs
      WHERE state = 'available' AND run_at <= now()
      GROUP BY queue
      """;

  /** One queue_stats read: database time, counts per queue and state, lag per queue. */
  public record QueueSnapshot(
      Instant at, Map<String, Map<String, Long>> counts, Map<String, Duration> lag) {}

  /** The database's {@code now()}. */
  public static Instant databaseNow(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DATABASE_NOW);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getObject("now", OffsetDateTime.class).toInstant();
    }
  }

  /** Reads one snapshot (immutable maps). */
  public static QueueSnapshot queueSnapshot(Connection c) throws SQLException {
    Instant at = databaseNow(c);
    Map<String, Map<String, Long>> counts = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(COUNT_BY_QUEUE_AND_STATE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        counts
            .computeIfAbsent(rs.getString("queue"), q -> new HashMap<>())
            .merge(rs.getString("state"), rs.getLong("n"), Long::sum);
      }
    }
    Map<String, Duration> lag = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(AVAILABLE_LAG_BY_QUEUE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        lag.put(rs.getString("queue"), Duration.ofMillis((long) (rs.getDouble("lag_s") * 1000)));
      }
    }
    Map<String, Map<String, Long>> frozen = new HashMap<>();
    counts.forEach((q, m) -> frozen.put(q, Map.copyOf(m)));
    return new QueueSnapshot(at, Map.copyOf(frozen), Map.copyOf(lag));
  }

  // ---------------------------------------------------------------- admin tables

  /**
   * Flags this instance as leader. Does not touch queues or info, which the worker runtime owns;
   * keeps leader_since while the row already says leader. By primary key. Parameters: instance id,
   * hostname, pid.
   */
  static final String UPSERT_LEADER =
      """
      INSERT INTO awa.runtime_instances AS r (instance_id, hostname, pid, is_leader, leader_since,
        last_seen_at)
      VALUES (?, ?, ?, true, now(), now())
      ON CONFLICT (instance_id) DO UPDATE SET is_leader = true, last_seen_at = now(),
        leader_since = CASE WHEN r.is_leader AND r.leader_since IS NOT NULL
          THEN r.leader_since ELSE now() END
      """;

  /**
   * Any other row still flagged as leader is stale: this process holds the lock. A small table,
   * scanned. Parameter: instance id.
   */
  static final String CLEAR_OTHER_LEADERS =
      """
      UPDATE awa.runtime_instances SET is_leader = false, leader_since = NULL
      WHERE is_leader AND instance_id <> ?
      """;

  /** Clears this instance's leader flag (it stepped down). By primary key. Parameter: id. */
  static final String CLEAR_OWN_LEADER_FLAG =
      """
      UPDATE awa.runtime_instances SET is_leader = false, leader_since = NULL
      WHERE instance_id = ?
      """;

  /**
   * Removes rows of processes that stopped without {@code close()} (SIGKILL, OOM, lost host): a
   * live runtime refreshes {@code last_seen_at} with every heartbeat and puts its row back if it is
   * ever missing, so an old row belongs to a dead process. A small table, scanned. Parameters:
   * instance id, age ms.
   */
  static final String PRUNE_STALE_INSTANCES =
      """
      DELETE FROM awa.runtime_instances
      WHERE instance_id <> ? AND last_seen_at < now() - ? * interval '1 millisecond'
      """;

  /** One row per branch, upserted by primary key (branch). */
  static final String UPSERT_BRANCH_STATUS =
      """
      INSERT INTO awa.maintenance_branches (branch, loop_name, leader_instance, last_started_at,
        last_success_at, last_duration_ms, overrun_state, overrun_episodes, last_error,
        interval_ms, recent_runs, duration_p50_ms, duration_p99_ms, lateness_p50_ms,
        lateness_p99_ms, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
      ON CONFLICT (branch) DO UPDATE SET loop_name = EXCLUDED.loop_name,
        leader_instance = EXCLUDED.leader_instance,
        last_started_at = EXCLUDED.last_started_at,
        last_success_at = EXCLUDED.last_success_at,
        last_duration_ms = EXCLUDED.last_duration_ms,
        overrun_state = EXCLUDED.overrun_state,
        overrun_episodes = EXCLUDED.overrun_episodes,
        last_error = EXCLUDED.last_error, interval_ms = EXCLUDED.interval_ms,
        recent_runs = EXCLUDED.recent_runs, duration_p50_ms = EXCLUDED.duration_p50_ms,
        duration_p99_ms = EXCLUDED.duration_p99_ms,
        lateness_p50_ms = EXCLUDED.lateness_p50_ms,
        lateness_p99_ms = EXCLUDED.lateness_p99_ms, updated_at = now()
      """;

  /**
   * Records this leadership term (keyed by instance and leader_since, which stays fixed while the
   * term lasts) or extends its last_seen_at; by primary keys. Parameter: instance id.
   */
  static final String RECORD_TERM =
      """
      INSERT INTO awa.leader_history AS h (instance_id, hostname, leader_since, last_seen_at)
      SELECT instance_id, hostname, leader_since, now() FROM awa.runtime_instances
      WHERE instance_id = ? AND is_leader AND leader_since IS NOT NULL
      ON CONFLICT (instance_id, leader_since) DO UPDATE SET last_seen_at = now()
      """;

  /** Terms kept in {@code awa.leader_history}. */
  public static final int LEADER_HISTORY_ROWS = 100;

  /** Keeps the newest {@value #LEADER_HISTORY_ROWS} terms (a table of about that many rows). */
  static final String PRUNE_TERMS =
      """
      DELETE FROM awa.leader_history WHERE leader_since < (
        SELECT leader_since FROM awa.leader_history ORDER BY leader_since DESC OFFSET 99 LIMIT 1)
      """;

  /** One row of {@code awa.maintenance_branches}; durations in ms, null when unknown. */
  public record BranchRow(
      String branch,
      String loop,
      String leaderInstance,
      Instant lastStartedAt,
      Instant lastSuccessAt,
      Duration lastDuration,
      String overrunState,
      long overrunEpisodes,
      String lastError,
      Duration interval,
      int recentRuns,
      Duration durationP50,
      Duration durationP99,
      Duration latenessP50,
      Duration latenessP99) {}

  /** Flags {@code instanceId} as leader and clears the flag everywhere else. */
  public static void markLeader(Connection c, String instanceId, String hostname, long pid)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_LEADER)) {
      ps.setString(1, instanceId);
      ps.setString(2, hostname);
      ps.setLong(3, pid);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(CLEAR_OTHER_LEADERS)) {
      ps.setString(1, instanceId);
      ps.executeUpdate();
    }
  }

  /** Clears {@code instanceId}'s leader flag. */
  public static void clearLeaderFlag(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CLEAR_OWN_LEADER_FLAG)) {
      ps.setString(1, instanceId);
      ps.executeUpdate();
    }
  }

  /** Removes other instances not seen for {@code age}. */
  public static int pruneStaleInstances(Connection c, String instanceId, Duration age)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(PRUNE_STALE_INSTANCES)) {
      ps.setString(1, instanceId);
      ps.setLong(2, age.toMillis());
      return ps.executeUpdate();
    }
  }

  /** Upserts one row per branch in one batch. */
  public static void upsertBranchStatus(Connection c, List<BranchRow> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_BRANCH_STATUS)) {
      for (BranchRow s : rows) {
        ps.setString(1, s.branch());
        ps.setString(2, s.loop());
        ps.setString(3, s.leaderInstance());
        PgTime.bind(ps, 4, s.lastStartedAt());
        PgTime.bind(ps, 5, s.lastSuccessAt());
        setMillis(ps, 6, s.lastDuration());
        ps.setString(7, s.overrunState());
        ps.setLong(8, s.overrunEpisodes());
        ps.setString(9, s.lastError());
        setMillis(ps, 10, s.interval());
        ps.setInt(11, s.recentRuns());
        setMillis(ps, 12, s.durationP50());
        setMillis(ps, 13, s.durationP99());
        setMillis(ps, 14, s.latenessP50());
        setMillis(ps, 15, s.latenessP99());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Records or extends this instance's leadership term and keeps the newest terms. */
  public static void recordTerm(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RECORD_TERM)) {
      ps.setString(1, instanceId);
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(PRUNE_TERMS)) {
      ps.executeUpdate();
    }
  }

  private static void setMillis(PreparedStatement ps, int i, Duration d) throws SQLException {
    if (d == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, d.toNanos() / 1e6);
    }
  }
}
