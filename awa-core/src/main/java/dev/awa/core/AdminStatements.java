package dev.awa.core;

import dev.awa.core.internal.JobColumns;
import java.util.Map;

/** Operator actions on single jobs and queues. */
final class AdminStatements {
  private AdminStatements() {}

  static final String GET =
      "SELECT "
          + JobColumns.ROW
          + " FROM awa.jobs WHERE id = ? UNION ALL SELECT "
          + JobColumns.ROW
          + " FROM awa.scheduled_jobs WHERE id = ?";

  /**
   * Cancels a job that is not running: scheduled rows move into awa.jobs as cancelled. Parameters:
   * id.
   */
  static final String CANCEL_SCHEDULED =
      JobColumns.move(
          "awa.scheduled_jobs",
          "id = ?",
          "awa.jobs",
          Map.of("state", "'cancelled'", "finalized_at", "now()"));

  /**
   * Cancels an available, running or parked job. A running handler is told through NOTIFY on
   * awa_job_cancel (payload: job id); its later writes are fenced out by the state change.
   */
  static final String CANCEL_HOT =
      "WITH c AS (UPDATE awa.jobs SET state = 'cancelled', finalized_at = now()"
          + " WHERE id = ? AND state IN ('available', 'running', 'waiting_external')"
          + " RETURNING id)"
          + " SELECT id, pg_notify('awa_job_cancel', id::text) FROM c";

  /**
   * Makes a finished job available again now; if its attempts are spent it gets one more.
   * Parameters: id.
   */
  static final String RETRY =
      "WITH r AS (UPDATE awa.jobs SET state = 'available', run_at = now(), finalized_at = NULL,"
          + " max_attempts = greatest(max_attempts, attempt + 1)"
          + " WHERE id = ? AND state IN ('completed', 'failed', 'cancelled') RETURNING id, queue)"
          + " SELECT id, pg_notify('awa_job_available', queue) FROM r";

  /** Parameters: queue, paused. */
  static final String SET_PAUSED =
      "INSERT INTO awa.queue_meta (queue, paused, updated_at) VALUES (?, ?, now())"
          + " ON CONFLICT (queue) DO UPDATE SET paused = EXCLUDED.paused, updated_at = now()";

  /** Wakes workers of a resumed queue. Parameters: queue. */
  static final String NOTIFY_QUEUE = "SELECT pg_notify('awa_job_available', ?)";
}
