package dev.awa.maintenance;

import dev.awa.core.internal.JobColumns;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared shape of the three rescues. Each batch is one transaction of two statements over rows
 * the rescue takes with {@code FOR UPDATE SKIP LOCKED}:
 *
 * <ol>
 *   <li>rows with attempts left move to {@code awa.scheduled_jobs} as {@code retryable}, due after
 *       2^attempt s plus up to 25 % jitter, capped at 24 h (computed in SQL);
 *   <li>rows whose attempts are spent become {@code failed}.
 * </ol>
 *
 * Both append an error entry ({@code error_class} {@code rescue.<kind>}) saying why. Both are
 * fenced at the moment they write: the outer statement matches the {@code (id, run_lease)} the
 * locking subquery returned and re-checks the state, and the locking subquery re-evaluates its
 * condition on the newest row version (a heartbeat or completion that committed first wins and the
 * row is left alone). A job that was rescued while running gets {@code pg_notify('awa_job_cancel',
 * id)} so its handler, in whatever process, sees its cancel flag.
 */
abstract class RescueBranch implements MaintenanceBranch {
  /** Backoff in SQL, same formula as core's ExponentialBackoff. */
  static final String BACKOFF =
      "now() + least(interval '24 hours',"
          + " power(2, least(attempt, 30)) * (1 + 0.25 * random()) * interval '1 second')";

  static final String NOTIFY_CANCEL =
      "SELECT pg_notify('awa_job_cancel', x::text) FROM unnest(?::bigint[]) AS x";

  private final String kind;
  private final boolean notifiesCancel;
  private final Duration interval;
  private final int batchSize;
  private final int maxBatches;
  private final Duration statementTimeout;
  private final String retrySql;
  private final String failSql;

  /**
   * @param kind metric tag and error-class suffix: heartbeat, deadline, callback_timeout
   * @param notifiesCancel whether rescued rows may still have a running handler to tell
   * @param state the literal state rescued rows are in (so the partial index applies)
   * @param candidate predicate over a candidate row, may have one millis parameter
   * @param order the column of the partial index to walk
   * @param message SQL text expression over the row giving the error message
   */
  RescueBranch(
      String kind,
      boolean notifiesCancel,
      Duration interval,
      int batchSize,
      int maxBatches,
      Duration statementTimeout,
      String state,
      String candidate,
      String order,
      String message) {
    this.kind = kind;
    this.notifiesCancel = notifiesCancel;
    this.interval = interval;
    this.batchSize = batchSize;
    this.maxBatches = maxBatches;
    this.statementTimeout = statementTimeout;
    String entry =
        "jsonb_build_array(jsonb_build_object('attempt', attempt, 'at', now(),"
            + " 'error_class', 'rescue."
            + kind
            + "', 'message', "
            + message
            + "))";
    // MATERIALIZED: the LIMIT must bound the batch (see JobColumns.move); the CTE is read once.
    String pick =
        "picked AS MATERIALIZED (SELECT id, run_lease FROM awa.jobs WHERE state = '"
            + state
            + "' AND "
            + candidate
            + " AND attempt %s max_attempts ORDER BY "
            + order
            + ", id LIMIT ? FOR UPDATE SKIP LOCKED)";
    // The fence at the moment of writing: the lease and state the pick saw.
    String fence =
        "(id, run_lease) IN (SELECT id, run_lease FROM picked) AND state = '" + state + "'";
    this.retrySql =
        JobColumns.move(
            pick.formatted("<"),
            "awa.jobs",
            fence,
            "awa.scheduled_jobs",
            Map.of(
                "state", "'retryable'",
                "run_at", BACKOFF,
                "errors", "errors || " + entry,
                "heartbeat_at", "NULL",
                "deadline_at", "NULL",
                "callback_timeout_at", "NULL"));
    this.failSql =
        "WITH "
            + pick.formatted(">=")
            + ", f AS (UPDATE awa.jobs SET state = 'failed', finalized_at = now(),"
            + " callback_timeout_at = NULL, errors = errors || "
            + entry
            + " WHERE "
            + fence
            + " RETURNING id) SELECT id FROM f";
  }

  /** Metric tag and error-class suffix: heartbeat, deadline, callback_timeout. */
  final String kind() {
    return kind;
  }

  /** Binds the candidate's parameter (if any) at {@code index}; returns the next index. */
  int bindCandidate(PreparedStatement ps, int index) throws java.sql.SQLException {
    return index;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public MaintenanceLoop loop() {
    return MaintenanceLoop.URGENT;
  }

  @Override
  public void run(BranchContext ctx) throws Exception {
    int rescued = 0;
    int failed = 0;
    for (int batch = 0; batch < maxBatches && ctx.isLeader(); batch++) {
      int[] r = rescueBatch(ctx);
      rescued += r[0] + r[1];
      failed += r[1];
      if (r[0] + r[1] < batchSize) {
        break;
      }
    }
    if (rescued > 0) {
      int count = rescued;
      int dead = failed;
      Listeners.safely(() -> ctx.listener().onRescued(kind, count, dead));
    }
  }

  /** One batch in one transaction; returns {retried, failed}. */
  int[] rescueBatch(BranchContext ctx) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        null,
        c -> {
          List<Long> ids = new ArrayList<>();
          int retried = 0;
          try (PreparedStatement ps = c.prepareStatement(retrySql)) {
            ps.setInt(bindCandidate(ps, 1), batchSize);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
                retried++;
              }
            }
          }
          int failedCount = 0;
          try (PreparedStatement ps = c.prepareStatement(failSql)) {
            ps.setInt(bindCandidate(ps, 1), batchSize);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
                failedCount++;
              }
            }
          }
          if (notifiesCancel && !ids.isEmpty()) {
            // Delivered at commit, so a handler never sees a cancel that was rolled back.
            Array arr = c.createArrayOf("bigint", ids.toArray());
            try (PreparedStatement ps = c.prepareStatement(NOTIFY_CANCEL)) {
              ps.setArray(1, arr);
              ps.execute();
            }
          }
          return new int[] {retried, failedCount};
        });
  }
}
