package dev.awa.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Not API. Resolution of external callbacks by callback id; every statement finds its row through
 * {@code jobs_callback_id_idx} (partial: callback_id IS NOT NULL). A resolution matches the row
 * only while it is parked ({@code waiting_external}), or still running when the external system
 * answered before the handler returned, and its UPDATE changes the state or the timeout under the
 * row lock, so of several concurrent resolutions exactly one matches; the others find it resolved.
 */
public final class CallbackSql {
  private CallbackSql() {}

  /** Completes the waiting job, storing the result in metadata. Parameters: result json, id. */
  public static final String COMPLETE_BY_CALLBACK_ID =
      """
      UPDATE awa.jobs
         SET state = 'completed', finalized_at = now(), callback_timeout_at = NULL,
             metadata = metadata || jsonb_build_object('callback_result', ?::jsonb)
       WHERE callback_id = ? AND state IN ('waiting_external', 'running')
      RETURNING id
      """;

  /** Fails the waiting job for good, recording the message. Parameters: message, callback id. */
  public static final String FAIL_BY_CALLBACK_ID =
      """
      UPDATE awa.jobs
         SET state = 'failed', finalized_at = now(), callback_timeout_at = NULL,
             errors = errors || jsonb_build_array(jsonb_build_object(
                 'attempt', attempt, 'at', now(), 'error_class', 'callback.failed',
                 'message', ?::text))
       WHERE callback_id = ? AND state IN ('waiting_external', 'running')
      RETURNING id
      """;

  /**
   * Makes a parked job available now and wakes its queue. Only a parked one: a running handler
   * would otherwise race its own next attempt. Parameter: callback id.
   */
  public static final String RETRY_PARKED_BY_CALLBACK_ID =
      """
      WITH r AS (
        UPDATE awa.jobs SET state = 'available', run_at = now(), callback_timeout_at = NULL
         WHERE callback_id = ? AND state = 'waiting_external'
        RETURNING id, queue)
      SELECT id, pg_notify('awa_job_available', queue) FROM r
      """;

  /** Extends the callback's timeout from the database's now. Parameters: millis, callback id. */
  public static final String EXTEND_CALLBACK_TIMEOUT =
      """
      UPDATE awa.jobs SET callback_timeout_at = now() + ? * interval '1 millisecond'
       WHERE callback_id = ? AND state IN ('waiting_external', 'running')
      RETURNING id
      """;

  /**
   * Whether any job carries this callback id, in either table (both have a callback_id index):
   * tells an already resolved callback from an unknown one. Parameters: callback id, callback id.
   */
  public static final String CALLBACK_ID_EXISTS =
      """
      SELECT EXISTS (SELECT 1 FROM awa.jobs WHERE callback_id = ?)
          OR EXISTS (SELECT 1 FROM awa.scheduled_jobs WHERE callback_id = ?) AS known
      """;

  /** Completes the job waiting on {@code callbackId}; whether it matched. */
  public static boolean complete(Connection c, UUID callbackId, String resultJson)
      throws SQLException {
    return matches(c, COMPLETE_BY_CALLBACK_ID, resultJson, callbackId);
  }

  /** Fails the job waiting on {@code callbackId}; whether it matched. */
  public static boolean fail(Connection c, UUID callbackId, String message) throws SQLException {
    return matches(c, FAIL_BY_CALLBACK_ID, message, callbackId);
  }

  /** Retries the parked job waiting on {@code callbackId}; whether it matched. */
  public static boolean retryParked(Connection c, UUID callbackId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RETRY_PARKED_BY_CALLBACK_ID)) {
      ps.setObject(1, callbackId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /**
   * Extends the timeout of {@code callbackId} to {@code timeoutMillis} from now; whether it did.
   */
  public static boolean extendTimeout(Connection c, UUID callbackId, long timeoutMillis)
      throws SQLException {
    return matches(c, EXTEND_CALLBACK_TIMEOUT, timeoutMillis, callbackId);
  }

  /** Whether any job, in either table, has {@code callbackId}. */
  public static boolean exists(Connection c, UUID callbackId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CALLBACK_ID_EXISTS)) {
      ps.setObject(1, callbackId);
      ps.setObject(2, callbackId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean("known");
      }
    }
  }

  private static boolean matches(Connection c, String sql, Object first, UUID callbackId)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, first);
      ps.setObject(2, callbackId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
