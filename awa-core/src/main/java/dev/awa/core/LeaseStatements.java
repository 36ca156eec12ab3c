package dev.awa.core;

import dev.awa.core.internal.JobColumns;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SQL of the claim and of every write a worker makes under a lease. Each write matches {@code id
 * AND run_lease = ? AND state = 'running'}: a rescued, cancelled or re-claimed attempt matches
 * nothing and changes nothing. States are literals so the partial indexes apply.
 */
final class LeaseStatements {
  private LeaseStatements() {}

  /**
   * One statement per batch. The CTE picks due, available rows of one unpaused queue in claim order
   * and locks them, skipping rows other claimers hold; keeping it a CTE stops the planner from
   * flattening the LIMIT into the UPDATE. The UPDATE re-checks the state and stamps a new lease.
   * Parameters: queue, queue, limit, deadline millis, worker id.
   */
  private static final String ROW_J = JobColumns.row("j");

  static final String CLAIM = claimHead("?");

  /**
   * The claim with its limit written into the text instead of bound. A bound LIMIT makes PostgreSQL
   * plan every execution afresh (its generic plan for an unknown LIMIT reads the whole queue and
   * sorts it, so it keeps choosing custom plans), which cost ~1 ms per claim: a third of a 100-row
   * claim (adr/0007, "Second pass"). With the limit in the text the generic plan is the index scan,
   * and after five executions the server reuses it without planning. Parameters: queue, queue,
   * deadline millis, worker id.
   */
  static String claimWithLimit(int limit) {
    return CLAIM_BY_LIMIT.computeIfAbsent(limit, n -> claimHead(Integer.toString(n)));
  }

  private static final ConcurrentHashMap<Integer, String> CLAIM_BY_LIMIT =
      new ConcurrentHashMap<>();

  private static String claimHead(String limit) {
    return "WITH picked AS ("
        + " SELECT id FROM awa.jobs"
        + " WHERE state = 'available' AND queue = ? AND run_at <= now()"
        + " AND NOT EXISTS (SELECT 1 FROM awa.queue_meta m WHERE m.queue = ? AND m.paused)"
        + " ORDER BY priority, run_at, id"
        + " LIMIT "
        + limit
        + " FOR UPDATE SKIP LOCKED)"
        + " UPDATE awa.jobs j SET state = 'running', attempt = j.attempt + 1,"
        + " run_lease = j.run_lease + 1, attempted_at = now(), heartbeat_at = now(),"
        + " deadline_at = now() + ? * interval '1 millisecond', attempted_by = ?,"
        + " callback_id = NULL, callback_timeout_at = NULL"
        + " FROM picked WHERE j.id = picked.id AND j.state = 'available'"
        + " RETURNING "
        + ROW_J;
  }

  private static final String FENCE = "id = ? AND run_lease = ? AND state = 'running'";

  /**
   * The state check of the batch writes, written so the planner cannot match it to the partial
   * indexes over running rows ({@code WHERE state = 'running'}). With the plain predicate it scans
   * every running row through such an index (dead entries included) and hash-joins them with the
   * batch; a batch of 100 acks then reads thousands of entries. The "C" collation gives the same
   * answer for this equality but is not the indexes' predicate, so each lease becomes a primary-key
   * probe. Found by awa-bench (docs/benchmarks/README.md, finding 1).
   */
  static final String RUNNING_BY_ID = "j.state COLLATE \"C\" = 'running'";

  /** Completes many attempts in one statement; returns the ids that were still leased. */
  static final String COMPLETE_MANY =
      "UPDATE awa.jobs j SET state = 'completed', finalized_at = now()"
          + " FROM unnest(?::bigint[], ?::bigint[]) AS l(id, lease)"
          + " WHERE j.id = l.id AND j.run_lease = l.lease AND "
          + RUNNING_BY_ID
          + " RETURNING j.id";

  static final String COMPLETE =
      "UPDATE awa.jobs SET state = 'completed', finalized_at = now() WHERE " + FENCE;

  /** Parameters: errors json, id, lease. */
  static final String FAIL =
      "UPDATE awa.jobs SET state = 'failed', finalized_at = now(), errors = errors || ?::jsonb"
          + " WHERE "
          + FENCE;

  /** Parameters: errors json, id, lease. */
  static final String CANCEL =
      "UPDATE awa.jobs SET state = 'cancelled', finalized_at = now(), errors = errors || ?::jsonb"
          + " WHERE "
          + FENCE;

  /** Retry due now: stays in awa.jobs. Parameters: errors json, id, lease. */
  static final String RETRY_NOW =
      "WITH r AS (UPDATE awa.jobs SET state = 'available', run_at = now(),"
          + " errors = errors || ?::jsonb WHERE "
          + FENCE
          + " RETURNING queue) SELECT pg_notify('awa_job_available', queue) FROM r";

  /** Retry later: moves to awa.scheduled_jobs. Parameters: id, lease, run_at, errors json. */
  static final String RETRY_LATER =
      JobColumns.move(
          "awa.jobs",
          FENCE,
          "awa.scheduled_jobs",
          Map.of(
              "state", "'retryable'",
              "run_at", "?::timestamptz",
              "errors", "errors || ?::jsonb"));

  /** Snooze now: attempt not counted. Parameters: id, lease. */
  static final String SNOOZE_NOW =
      "WITH r AS (UPDATE awa.jobs SET state = 'available', run_at = now(),"
          + " attempt = greatest(attempt - 1, 0) WHERE "
          + FENCE
          + " RETURNING queue) SELECT pg_notify('awa_job_available', queue) FROM r";

  /** Snooze later: attempt not counted. Parameters: id, lease, run_at. */
  static final String SNOOZE_LATER =
      JobColumns.move(
          "awa.jobs",
          FENCE,
          "awa.scheduled_jobs",
          Map.of(
              "state", "'scheduled'",
              "run_at", "?::timestamptz",
              "attempt", "greatest(attempt - 1, 0)"));

  /** Heartbeats many attempts; returns the ids still leased (the rest were taken away). */
  static final String HEARTBEAT_MANY =
      "UPDATE awa.jobs j SET heartbeat_at = now()"
          + " FROM unnest(?::bigint[], ?::bigint[]) AS l(id, lease)"
          + " WHERE j.id = l.id AND j.run_lease = l.lease AND "
          + RUNNING_BY_ID
          + " RETURNING j.id";

  /**
   * Hands unfinished attempts back at shutdown: available again at once, attempt not counted, and
   * idle workers elsewhere are woken.
   */
  static final String HAND_BACK =
      "WITH h AS (UPDATE awa.jobs j SET state = 'available', attempt = greatest(j.attempt - 1, 0),"
          + " heartbeat_at = NULL, deadline_at = NULL"
          + " FROM unnest(?::bigint[], ?::bigint[]) AS l(id, lease)"
          + " WHERE j.id = l.id AND j.run_lease = l.lease AND "
          + RUNNING_BY_ID
          + " RETURNING j.id, j.queue)"
          + " SELECT h.id, pg_notify('awa_job_available', h.queue) FROM h";

  /** Parameters: callback id, timeout millis, id, lease. */
  static final String REGISTER_CALLBACK =
      "UPDATE awa.jobs SET callback_id = ?, callback_timeout_at = now() + ? * interval '1"
          + " millisecond' WHERE "
          + FENCE;

  /** Parks the attempt until its callback resolves, freeing the worker slot. */
  static final String PARK =
      "UPDATE awa.jobs SET state = 'waiting_external', heartbeat_at = NULL, deadline_at = NULL"
          + " WHERE callback_id IS NOT NULL AND "
          + FENCE;
}
