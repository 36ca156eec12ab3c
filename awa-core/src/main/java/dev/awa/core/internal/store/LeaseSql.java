package dev.awa.core.internal.store;

import dev.awa.core.JobLease;
import dev.awa.core.JobRow;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.JobColumns;
import dev.awa.core.internal.PgTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Not API. The SQL of the lease protocol: the claim and every write a worker makes under a lease
 * (complete, retry, snooze, fail, cancel, heartbeat, hand back, callback registration and park).
 *
 * <p>Every write is fenced on {@code id AND run_lease AND state = 'running'}: a rescued, cancelled
 * or re-claimed attempt matches nothing and changes nothing, and the caller learns that from the
 * row count (the lease is stale). States are literals so that the partial indexes apply, except in
 * the batch writes (see {@link #COMPLETE_MANY}). Inputs are validated by the caller ({@code
 * AwaClient}); these methods bind and run.
 */
public final class LeaseSql {
  private LeaseSql() {}

  /**
   * What one claim asks for. {@code from} is the claim's lower bound in claim order (the "mark"),
   * or null for a claim over the whole queue.
   */
  public record ClaimRequest(
      String queue, int limit, long deadlineMillis, String workerId, ClaimKey from) {
    /** A claim over the whole queue. */
    public ClaimRequest(String queue, int limit, long deadlineMillis, String workerId) {
      this(queue, limit, deadlineMillis, workerId, null);
    }
  }

  /**
   * A position in claim order: the key of {@code jobs_dequeue_idx} after its queue column, compared
   * as {@code (priority, run_at, id)}.
   */
  public record ClaimKey(int priority, Instant runAt, long id) {
    /** The key of {@code job}. */
    public static ClaimKey of(JobRow job) {
      return new ClaimKey(job.priority(), job.runAt(), job.id());
    }
  }

  /**
   * Claims up to {@code %d} (the limit, written into the text) due jobs of one unpaused queue.
   *
   * <p>Lock hint: {@code FOR UPDATE SKIP LOCKED} in a CTE, so concurrent claimers take disjoint
   * rows without waiting, and the planner cannot flatten the LIMIT into the UPDATE (the CTE is
   * evaluated once). Index: {@code jobs_dequeue_idx (queue, priority, run_at, id) WHERE state =
   * 'available'} gives the claim order without a sort. The UPDATE re-checks the state (a row may
   * have changed between the scan and the lock) and stamps a new lease.
   *
   * <p>The limit is text, not a parameter: with a bound LIMIT PostgreSQL's generic plan assumes 10
   * % of the table, reads the queue and sorts it, so it plans every execution afresh (about 1 ms
   * per claim, adr/0007 "Second pass"); with a literal the generic plan is the index scan and is
   * reused. Parameters: queue, queue, deadline millis, worker id.
   */
  static final String CLAIM =
      """
      WITH picked AS (
        SELECT id FROM awa.jobs
        WHERE state = 'available' AND queue = ? AND run_at <= now()
          AND NOT EXISTS (SELECT 1 FROM awa.queue_meta m WHERE m.queue = ? AND m.paused)
        ORDER BY priority, run_at, id
        LIMIT %d
        FOR UPDATE SKIP LOCKED)
      UPDATE awa.jobs j
      SET state = 'running', attempt = j.attempt + 1, run_lease = j.run_lease + 1,
          attempted_at = now(), heartbeat_at = now(),
          deadline_at = now() + ? * interval '1 millisecond', attempted_by = ?,
          callback_id = NULL, callback_timeout_at = NULL
      FROM picked
      WHERE j.id = picked.id AND j.state = 'available'
      RETURNING j.id, j.kind, j.queue, j.args::text, j.state, j.priority, j.attempt,
                j.max_attempts, j.run_at, j.created_at, j.attempted_at, j.heartbeat_at,
                j.deadline_at, j.finalized_at, j.errors::text, j.metadata::text, j.tags,
                j.unique_key, j.run_lease, j.callback_id, j.callback_timeout_at, j.attempted_by
      """;

  /**
   * The same claim with the limit bound as the third parameter: the shape before adr/0007's second
   * pass, kept only for A/B measurements ({@code -Dawa.claimLiteralLimit=false}).
   */
  static final String CLAIM_BOUND_LIMIT = CLAIM.replace("LIMIT %d", "LIMIT ?");

  /**
   * {@link #CLAIM} starting at a mark in claim order (adr/0007 "Third pass: bounded claim"): only
   * rows with {@code (priority, run_at, id) >= (mark)}. Index: the row comparison is over the
   * columns of {@code jobs_dequeue_idx} after {@code queue}, in index and ORDER BY order, so it is
   * an index condition that starts the scan at the mark instead of at the queue's first entry. A
   * drain leaves the entries of claimed rows at the front of the index until VACUUM removes them
   * (adr/0012); the unbounded claim walks all of them on every claim, the bounded one starts past
   * them. Parameters: queue, mark priority, mark run_at, mark id, queue, deadline millis, worker
   * id.
   */
  static final String CLAIM_FROM_MARK =
      CLAIM.replace(
          "run_at <= now()\n",
          "run_at <= now()\n"
              + "    AND (priority, run_at, id) >= (?::smallint, ?::timestamptz, ?::bigint)\n");

  /**
   * Completes many attempts; returns the ids that were still leased.
   *
   * <p>Index: each lease is a {@code jobs_pkey} probe. The state check is written {@code COLLATE
   * "C"} so the planner cannot match it to the partial indexes over running rows ({@code WHERE
   * state = 'running'}): with the plain predicate it scans every running row through such an index
   * (dead entries included) and hash-joins them with the batch, so a batch of 100 acks read
   * thousands of entries (docs/benchmarks/README.md, finding 1). Equality under "C" is byte
   * equality, so the meaning is unchanged. Parameters: ids array, leases array.
   */
  public static final String COMPLETE_MANY =
      """
      UPDATE awa.jobs j SET state = 'completed', finalized_at = now()
      FROM unnest(?::bigint[], ?::bigint[]) AS l(id, lease)
      WHERE j.id = l.id AND j.run_lease = l.lease AND j.state COLLATE "C" = 'running'
      RETURNING j.id
      """;

  /** Completes one attempt. Index: {@code jobs_pkey}. Parameters: id, lease. */
  static final String COMPLETE =
      """
      UPDATE awa.jobs SET state = 'completed', finalized_at = now()
      WHERE id = ? AND run_lease = ? AND state = 'running'
      """;

  /** Fails the job for good. Index: {@code jobs_pkey}. Parameters: errors json, id, lease. */
  static final String FAIL =
      """
      UPDATE awa.jobs SET state = 'failed', finalized_at = now(), errors = errors || ?::jsonb
      WHERE id = ? AND run_lease = ? AND state = 'running'
      """;

  /**
   * Cancels the job from its own handler. Index: {@code jobs_pkey}. Parameters: errors json, id,
   * lease.
   */
  static final String CANCEL =
      """
      UPDATE awa.jobs SET state = 'cancelled', finalized_at = now(), errors = errors || ?::jsonb
      WHERE id = ? AND run_lease = ? AND state = 'running'
      """;

  /**
   * Retry or snooze: the attempt gets another run at {@code run_at}, and the database clock decides
   * where it waits. Due now ({@code run_at <= now()}): the row stays in awa.jobs, available at once
   * with {@code run_at = now()}, and idle workers are woken. Later: the row moves to
   * awa.scheduled_jobs (the promoter brings it back when due) in the same statement, so it is never
   * in both tables or in neither. The two data-modifying CTEs have exclusive predicates on {@code
   * p.due}, so at most one of them touches the row. A retry is stored {@code retryable} with its
   * error appended; a snooze {@code scheduled} with its attempt not counted.
   *
   * <p>The run-at is either bound ({@code retry} at an instant the caller chose) or computed from a
   * delay on the database clock ({@code snooze}): one clock rule for due vs scheduled, as in
   * enqueue (adr/0006). Index: {@code jobs_pkey}. Parameters: run_at (or null), delay millis (used
   * when run_at is null), errors json to append ({@code []} for none), state for the scheduled
   * table ({@code retryable} / {@code scheduled}), uncount attempt (boolean), id, lease, id, lease.
   */
  static final String RESCHEDULE =
      """
      WITH p AS (
        SELECT t.run_at, t.run_at <= now() AS due, t.errors, t.state, t.uncount
        FROM (SELECT coalesce(?::timestamptz, now() + ?::bigint * interval '1 millisecond') AS run_at,
                     ?::jsonb AS errors, ?::text AS state, ?::boolean AS uncount) t),
      now_due AS (
        UPDATE awa.jobs j SET state = 'available', run_at = now(), errors = j.errors || p.errors,
            attempt = CASE WHEN p.uncount THEN greatest(j.attempt - 1, 0) ELSE j.attempt END
        FROM p
        WHERE p.due AND j.id = ? AND j.run_lease = ? AND j.state = 'running'
        RETURNING j.queue),
      moved AS (
        DELETE FROM awa.jobs j USING p
        WHERE NOT p.due AND j.id = ? AND j.run_lease = ? AND j.state = 'running'
        RETURNING j.*),
      scheduled AS (
        INSERT INTO awa.scheduled_jobs (id, kind, queue, args, state, priority, attempt,
            max_attempts, run_at, created_at, attempted_at, heartbeat_at, deadline_at,
            finalized_at, errors, metadata, tags, unique_key, unique_states, run_lease,
            callback_id, callback_timeout_at, attempted_by, original_priority, unique_claim)
        SELECT m.id, m.kind, m.queue, m.args, p.state, m.priority,
            CASE WHEN p.uncount THEN greatest(m.attempt - 1, 0) ELSE m.attempt END,
            m.max_attempts, p.run_at, m.created_at, m.attempted_at, m.heartbeat_at, m.deadline_at,
            m.finalized_at, m.errors || p.errors, m.metadata, m.tags, m.unique_key,
            m.unique_states, m.run_lease, m.callback_id, m.callback_timeout_at, m.attempted_by,
            m.original_priority, m.unique_claim
        FROM moved m, p
        RETURNING id)
      SELECT n.queue FROM (SELECT queue, pg_notify('awa_job_available', queue) FROM now_due) n
      UNION ALL
      SELECT NULL FROM scheduled
      """;

  /**
   * Heartbeats many attempts; returns the ids still leased (the rest were taken away). Index and
   * {@code COLLATE "C"}: as {@link #COMPLETE_MANY}. Parameters: ids array, leases array.
   */
  public static final String HEARTBEAT_MANY =
      """
      UPDATE awa.jobs j SET heartbeat_at = now()
      FROM unnest(?::bigint[], ?::bigint[]) AS l(id, lease)
      WHERE j.id = l.id AND j.run_lease = l.lease AND j.state COLLATE "C" = 'running'
      RETURNING j.id
      """;

  /**
   * Hands unfinished attempts back (shutdown, a buffered attempt that waited too long): available
   * again at once, attempt not counted, and idle workers elsewhere are woken. Index and {@code
   * COLLATE "C"}: as {@link #COMPLETE_MANY}. Parameters: ids array, leases array.
   */
  public static final String HAND_BACK =
      """
      WITH h AS (
        UPDATE awa.jobs j SET state = 'available', attempt = greatest(j.attempt - 1, 0),
            heartbeat_at = NULL, deadline_at = NULL
        FROM unnest(?::bigint[], ?::bigint[]) AS l(id, lease)
        WHERE j.id = l.id AND j.run_lease = l.lease AND j.state COLLATE "C" = 'running'
        RETURNING j.id, j.queue)
      SELECT h.id, pg_notify('awa_job_available', h.queue) FROM h
      """;

  /**
   * Gives the running attempt a callback id. Index: {@code jobs_pkey}. Parameters: callback id,
   * timeout millis, id, lease.
   */
  static final String REGISTER_CALLBACK =
      """
      UPDATE awa.jobs
      SET callback_id = ?, callback_timeout_at = now() + ? * interval '1 millisecond'
      WHERE id = ? AND run_lease = ? AND state = 'running'
      """;

  /**
   * Parks the attempt until its callback resolves, freeing the worker slot; only an attempt that
   * registered a callback. Index: {@code jobs_pkey}. Parameters: id, lease.
   */
  static final String PARK_FOR_CALLBACK =
      """
      UPDATE awa.jobs SET state = 'waiting_external', heartbeat_at = NULL, deadline_at = NULL
      WHERE callback_id IS NOT NULL AND id = ? AND run_lease = ? AND state = 'running'
      """;

  private static final ConcurrentHashMap<Integer, String> CLAIM_BY_LIMIT =
      new ConcurrentHashMap<>();

  private static final ConcurrentHashMap<Integer, String> CLAIM_FROM_MARK_BY_LIMIT =
      new ConcurrentHashMap<>();

  /** {@link #CLAIM} with {@code limit} written in. */
  public static String claimSql(int limit) {
    return CLAIM_BY_LIMIT.computeIfAbsent(limit, n -> CLAIM.formatted(n));
  }

  /** {@link #CLAIM_FROM_MARK} with {@code limit} written in. */
  public static String claimFromMarkSql(int limit) {
    return CLAIM_FROM_MARK_BY_LIMIT.computeIfAbsent(limit, n -> CLAIM_FROM_MARK.formatted(n));
  }

  /**
   * Runs the claim; rows come back in the order PostgreSQL returned them (the caller sorts). With
   * {@code literalLimit} false the limit is bound (A/B measurements only); a request with a mark
   * always has its limit in the text.
   */
  public static List<JobRow> claim(Connection c, ClaimRequest r, boolean literalLimit)
      throws SQLException {
    ClaimKey from = r.from();
    boolean bound = !literalLimit && from == null;
    String sql =
        from != null
            ? claimFromMarkSql(r.limit())
            : literalLimit ? claimSql(r.limit()) : CLAIM_BOUND_LIMIT;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int p = 1;
      ps.setString(p++, r.queue());
      if (from != null) {
        ps.setInt(p++, from.priority());
        PgTime.bind(ps, p++, from.runAt());
        ps.setLong(p++, from.id());
      }
      ps.setString(p++, r.queue());
      if (bound) {
        ps.setInt(p++, r.limit());
      }
      ps.setLong(p++, r.deadlineMillis());
      ps.setString(p, r.workerId());
      List<JobRow> out = new ArrayList<>(r.limit());
      try (ResultSet rs = ps.executeQuery()) {
        JobColumns.Reader reader = null;
        while (rs.next()) {
          if (reader == null) {
            reader = JobColumns.reader(rs);
          }
          out.add(reader.read(rs));
        }
      }
      return out;
    }
  }

  /** Completes one attempt; true when it was still leased. */
  public static boolean complete(Connection c, JobLease lease) throws SQLException {
    return fenced(c, COMPLETE, lease);
  }

  /** Completes many attempts; returns the ids that were still leased. */
  public static Set<Long> completeMany(Connection c, long[] ids, long[] leases)
      throws SQLException {
    return batch(c, COMPLETE_MANY, ids, leases);
  }

  /** Records heartbeats; returns the ids still leased. */
  public static Set<Long> heartbeatMany(Connection c, long[] ids, long[] leases)
      throws SQLException {
    return batch(c, HEARTBEAT_MANY, ids, leases);
  }

  /** Hands attempts back; returns the ids handed back. */
  public static Set<Long> handBack(Connection c, long[] ids, long[] leases) throws SQLException {
    return batch(c, HAND_BACK, ids, leases);
  }

  /** Fails the job for good with {@code errorsJson} (a one-entry JSON array) appended. */
  public static boolean fail(Connection c, JobLease lease, String errorsJson) throws SQLException {
    return withErrors(c, FAIL, lease, errorsJson);
  }

  /** Cancels the job from its handler with {@code errorsJson} appended. */
  public static boolean cancel(Connection c, JobLease lease, String errorsJson)
      throws SQLException {
    return withErrors(c, CANCEL, lease, errorsJson);
  }

  /**
   * Schedules another attempt at {@code runAt} with {@code errorsJson} appended: available at once
   * when the database clock says it is due, else moved to the scheduled table.
   */
  public static boolean retry(Connection c, JobLease lease, Instant runAt, String errorsJson)
      throws SQLException {
    return reschedule(c, lease, runAt, 0, errorsJson, "retryable", false);
  }

  /**
   * Puts the job back for {@code delayMillis} on the database clock without counting the attempt:
   * available at once for 0.
   */
  public static boolean snooze(Connection c, JobLease lease, long delayMillis) throws SQLException {
    return reschedule(c, lease, null, delayMillis, "[]", "scheduled", true);
  }

  private static boolean reschedule(
      Connection c,
      JobLease lease,
      Instant runAt,
      long delayMillis,
      String errors,
      String state,
      boolean uncount)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RESCHEDULE)) {
      PgTime.bind(ps, 1, runAt); // null: run_at is now() + the delay
      ps.setLong(2, delayMillis);
      ps.setString(3, errors);
      ps.setString(4, state);
      ps.setBoolean(5, uncount);
      bindLease(ps, 6, lease);
      bindLease(ps, 8, lease);
      return returnsRow(ps);
    }
  }

  /** Gives the attempt callback id {@code id}, expiring after {@code timeoutMillis}. */
  public static boolean registerCallback(Connection c, JobLease lease, UUID id, long timeoutMillis)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(REGISTER_CALLBACK)) {
      ps.setObject(1, id);
      ps.setLong(2, timeoutMillis);
      bindLease(ps, 3, lease);
      return ps.executeUpdate() > 0;
    }
  }

  /** Parks an attempt that registered a callback. */
  public static boolean parkForCallback(Connection c, JobLease lease) throws SQLException {
    return fenced(c, PARK_FOR_CALLBACK, lease);
  }

  private static boolean fenced(Connection c, String sql, JobLease lease) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindLease(ps, 1, lease);
      return ps.executeUpdate() > 0;
    }
  }

  private static boolean withErrors(Connection c, String sql, JobLease lease, String errorsJson)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, errorsJson);
      bindLease(ps, 2, lease);
      return ps.executeUpdate() > 0;
    }
  }

  private static void bindLease(PreparedStatement ps, int first, JobLease lease)
      throws SQLException {
    ps.setLong(first, lease.id());
    ps.setLong(first + 1, lease.runLease());
  }

  private static boolean returnsRow(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  private static Set<Long> batch(Connection c, String sql, long[] ids, long[] leases)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setArray(1, Jdbc.longs(c, ids));
      ps.setArray(2, Jdbc.longs(c, leases));
      Set<Long> out = new HashSet<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong(1));
        }
      }
      return out;
    }
  }
}
