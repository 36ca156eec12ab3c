package dev.awa.core.internal.store;

import dev.awa.core.JobRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Not API. Operator actions on one job or one queue: read, cancel, retry or delete a finished job,
 * pause and resume. Every job statement finds its row by primary key, so none needs a lock hint
 * beyond the row lock its UPDATE or DELETE takes; a concurrent writer of the same row (a worker's
 * outcome, a maintenance branch) waits for it or finds the state changed and matches nothing.
 */
public final class OperatorSql {
  private OperatorSql() {}

  /**
   * A job from either table, by primary key (a job is in exactly one of them). Parameters: id, id.
   */
  public static final String SELECT_JOB_BY_ID =
      """
      SELECT id, kind, queue, args::text, state, priority, attempt, max_attempts, run_at,
             created_at, attempted_at, heartbeat_at, deadline_at, finalized_at, errors::text,
             metadata::text, tags, unique_key, run_lease, callback_id, callback_timeout_at,
             attempted_by
        FROM awa.jobs
       WHERE id = ?
      UNION ALL
      SELECT id, kind, queue, args::text, state, priority, attempt, max_attempts, run_at,
             created_at, attempted_at, heartbeat_at, deadline_at, finalized_at, errors::text,
             metadata::text, tags, unique_key, run_lease, callback_id, callback_timeout_at,
             attempted_by
        FROM awa.scheduled_jobs
       WHERE id = ?
      """;

  /**
   * Cancels an available, running or parked job (primary key). A running handler is told through
   * NOTIFY on {@code awa_job_cancel} (payload: job id); its later writes are fenced out by the
   * state change. Parameter: id.
   */
  public static final String CANCEL_UNFINISHED_JOB =
      """
      WITH c AS (
        UPDATE awa.jobs SET state = 'cancelled', finalized_at = now()
         WHERE id = ? AND state IN ('available', 'running', 'waiting_external')
        RETURNING id)
      SELECT id, pg_notify('awa_job_cancel', id::text) FROM c
      """;

  /**
   * Cancels a scheduled or retryable job: its row moves from {@code awa.scheduled_jobs} into {@code
   * awa.jobs} as cancelled, in one statement (delete by primary key, insert every column), so the
   * unique-claim trigger sees one move and keeps or frees the claim correctly. Parameter: id.
   */
  public static final String CANCEL_SCHEDULED_JOB =
      """
      WITH moved AS (DELETE FROM awa.scheduled_jobs WHERE id = ? RETURNING *)
      INSERT INTO awa.jobs (id, kind, queue, args, state, priority, attempt, max_attempts, run_at,
                            created_at, attempted_at, heartbeat_at, deadline_at, finalized_at,
                            errors, metadata, tags, unique_key, unique_states, run_lease,
                            callback_id, callback_timeout_at, attempted_by, original_priority,
                            unique_claim)
      SELECT id, kind, queue, args, 'cancelled', priority, attempt, max_attempts, run_at,
             created_at, attempted_at, heartbeat_at, deadline_at, now(), errors, metadata, tags,
             unique_key, unique_states, run_lease, callback_id, callback_timeout_at, attempted_by,
             original_priority, unique_claim
        FROM moved
      RETURNING id
      """;

  /**
   * Makes a finished job available again at the database's now (never the application's clock); if
   * its attempts are spent it gets one more. Wakes the queue's workers. A unique job whose scope a
   * successor now holds is refused by the unique-claim trigger. Parameter: id.
   */
  public static final String RETRY_FINISHED_JOB =
      """
      WITH r AS (
        UPDATE awa.jobs SET state = 'available', run_at = now(), finalized_at = NULL,
                            max_attempts = greatest(max_attempts, attempt + 1)
         WHERE id = ? AND state IN ('completed', 'failed', 'cancelled')
        RETURNING id, queue)
      SELECT id, pg_notify('awa_job_available', queue) FROM r
      """;

  /**
   * Deletes a finished job (the dashboard's delete; {@code JobOperator} has no such method). The
   * DELETE re-checks the state on the row it locks, so a job retried meanwhile is kept. Parameter:
   * id.
   */
  public static final String DELETE_FINISHED_JOB =
      """
      DELETE FROM awa.jobs
       WHERE id = ? AND state IN ('completed', 'failed', 'cancelled')
      RETURNING id
      """;

  /**
   * Sets a queue's pause flag, creating its row when the queue has none (a queue may be paused
   * before its first job). The upsert locks the one queue_meta row. Parameters: queue, paused.
   */
  public static final String UPSERT_QUEUE_PAUSED =
      """
      INSERT INTO awa.queue_meta (queue, paused, updated_at) VALUES (?, ?, now())
      ON CONFLICT (queue) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()
      """;

  /** Wakes the workers of a resumed queue. Parameter: queue. */
  public static final String NOTIFY_QUEUE_AVAILABLE = "SELECT pg_notify('awa_job_available', ?)";

  /** The job with {@code id} from either table. */
  public static Optional<JobRow> selectJob(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_JOB_BY_ID)) {
      ps.setLong(1, id);
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(JobRows.map(rs)) : Optional.empty();
      }
    }
  }

  /** Cancels the job if it has not finished; whether it did. Run both in one transaction. */
  public static boolean cancelJob(Connection c, long id) throws SQLException {
    return matches(c, CANCEL_UNFINISHED_JOB, id) || matches(c, CANCEL_SCHEDULED_JOB, id);
  }

  /** Retries the finished job; whether it did (false: no such job or not finished). */
  public static boolean retryFinishedJob(Connection c, long id) throws SQLException {
    return matches(c, RETRY_FINISHED_JOB, id);
  }

  /** Deletes the job if it is finished; whether it did (false: no such job or not finished). */
  public static boolean deleteFinishedJob(Connection c, long id) throws SQLException {
    return matches(c, DELETE_FINISHED_JOB, id);
  }

  /** Sets the pause flag of {@code queue}; wakes its workers when resumed. */
  public static void setQueuePaused(Connection c, String queue, boolean paused)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UPSERT_QUEUE_PAUSED)) {
      ps.setString(1, queue);
      ps.setBoolean(2, paused);
      ps.executeUpdate();
    }
    if (!paused) {
      try (PreparedStatement ps = c.prepareStatement(NOTIFY_QUEUE_AVAILABLE)) {
        ps.setString(1, queue);
        ps.execute();
      }
    }
  }

  private static boolean matches(Connection c, String sql, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
