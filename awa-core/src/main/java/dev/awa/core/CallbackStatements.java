package dev.awa.core;

/**
 * Resolution of external callbacks by callback id. A resolution matches the row only while it is
 * parked (or still running, when the external system answered before the handler returned), so of
 * several concurrent resolutions exactly one matches; the others find the row resolved.
 */
final class CallbackStatements {
  private CallbackStatements() {}

  private static final String OPEN = "callback_id = ? AND state IN ('waiting_external', 'running')";

  /** Parameters: result json, callback id. */
  static final String COMPLETE =
      "UPDATE awa.jobs SET state = 'completed', finalized_at = now(), callback_timeout_at = NULL,"
          + " metadata = metadata || jsonb_build_object('callback_result', ?::jsonb)"
          + " WHERE "
          + OPEN
          + " RETURNING id";

  /** Parameters: message, callback id. */
  static final String FAIL =
      "UPDATE awa.jobs SET state = 'failed', finalized_at = now(), callback_timeout_at = NULL,"
          + " errors = errors || jsonb_build_array(jsonb_build_object('attempt', attempt,"
          + " 'at', now(), 'error_class', 'callback.failed', 'message', ?::text))"
          + " WHERE "
          + OPEN
          + " RETURNING id";

  /**
   * Retry only a parked job: a running handler would otherwise race its own next attempt.
   * Parameters: callback id.
   */
  static final String RETRY =
      "WITH r AS (UPDATE awa.jobs SET state = 'available', run_at = now(),"
          + " callback_timeout_at = NULL"
          + " WHERE callback_id = ? AND state = 'waiting_external' RETURNING id, queue)"
          + " SELECT id, pg_notify('awa_job_available', queue) FROM r";

  /** Parameters: timeout millis, callback id. */
  static final String HEARTBEAT =
      "UPDATE awa.jobs SET callback_timeout_at = now() + ? * interval '1 millisecond'"
          + " WHERE "
          + OPEN
          + " RETURNING id";

  /** Whether a job with this callback id exists at all. Parameters: callback id twice. */
  static final String EXISTS =
      "SELECT EXISTS (SELECT 1 FROM awa.jobs WHERE callback_id = ?)"
          + " OR EXISTS (SELECT 1 FROM awa.scheduled_jobs WHERE callback_id = ?)";
}
