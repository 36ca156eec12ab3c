package dev.awa.maintenance;

import dev.awa.core.RetryPolicy;
import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.store.MaintenanceSql;
import dev.awa.core.internal.store.MaintenanceSql.RescueCandidate;
import dev.awa.core.internal.store.MaintenanceSql.RescueKind;
import dev.awa.core.internal.store.MaintenanceSql.RescueRetry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The shared shape of the three rescues. Each batch is one transaction over rows the rescue takes
 * with {@code FOR UPDATE SKIP LOCKED} (see {@link MaintenanceSql}):
 *
 * <ol>
 *   <li>rows with attempts left move to {@code awa.scheduled_jobs} as {@code retryable}, due after
 *       the configured {@link RetryPolicy}'s backoff for the attempt that was running (default
 *       2^attempt s plus up to 25 % jitter, capped at 24 h), on the database clock;
 *   <li>rows whose attempts are spent become {@code failed}.
 * </ol>
 *
 * Both append an error entry ({@code error_class} {@code rescue.<kind>}) saying why. Both are
 * fenced: the pick holds the rows locked and its condition is re-evaluated on the newest row
 * version (a heartbeat or completion that committed first wins and the row is left alone), and the
 * writes match the {@code (id, run_lease)} and state the pick saw. A job that was rescued while
 * running gets {@code pg_notify('awa_job_cancel', id)} so its handler, in whatever process, sees
 * its cancel flag.
 */
abstract class RescueBranch implements MaintenanceBranch {
  /** Default interval of each rescue: 30 s. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  /**
   * The settings every rescue has (each of the three rescues applies them to itself).
   *
   * @param batchSize rows per rescue transaction (option {@code rescueBatchSize}; default 500, 1 to
   *     10,000)
   * @param maxBatchesPerTick batches per tick at most (option {@code rescueMaxBatchesPerTick};
   *     default 20, 1 to 1,000)
   * @param retryPolicy the delay before a rescued job's next attempt (option {@code retryPolicy};
   *     default {@link RetryPolicy#exponential()}, the runtime's default)
   */
  record Config(int batchSize, int maxBatchesPerTick, RetryPolicy retryPolicy) {
    static final Config DEFAULTS = new Config(500, 20, RetryPolicy.exponential());

    Config {
      Limits.range("rescueBatchSize", batchSize, 1, 10_000);
      Limits.range("rescueMaxBatchesPerTick", maxBatchesPerTick, 1, 1_000);
      Objects.requireNonNull(retryPolicy, "retryPolicy");
    }

    /** With the default retry policy. */
    Config(int batchSize, int maxBatchesPerTick) {
      this(batchSize, maxBatchesPerTick, RetryPolicy.exponential());
    }
  }

  private final String kind;
  private final RescueKind writes;
  private final boolean notifiesCancel;
  private final Duration interval;
  private final Config config;
  private final Duration statementTimeout;

  /**
   * @param kind metric tag and error-class suffix: heartbeat, deadline, callback_timeout
   * @param fromState the state rescued rows are in
   * @param notifiesCancel whether rescued rows may still have a running handler to tell
   */
  RescueBranch(
      String kind,
      String fromState,
      boolean notifiesCancel,
      Duration interval,
      Config config,
      Duration statementTimeout) {
    this.kind = kind;
    this.writes = new RescueKind(fromState, "rescue." + kind);
    this.notifiesCancel = notifiesCancel;
    this.interval = interval;
    this.config = config;
    this.statementTimeout = statementTimeout;
  }

  /** Takes up to {@code limit} rows to rescue, locked, in index order. */
  abstract List<RescueCandidate> pick(Connection c, int limit) throws SQLException;

  /** Metric tag and error-class suffix: heartbeat, deadline, callback_timeout. */
  final String kind() {
    return kind;
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
    int[] failed = {0};
    int rescued =
        Batches.untilCaughtUp(
            ctx,
            config.batchSize(),
            config.maxBatchesPerTick(),
            () -> {
              int[] r = rescueBatch(ctx);
              failed[0] += r[1];
              return r[0] + r[1];
            });
    if (rescued > 0) {
      int dead = failed[0];
      SafeCall.run(ctx.listener(), () -> ctx.listener().onRescued(kind, rescued, dead));
    }
  }

  /** One batch in one transaction; returns {retried, failed}. */
  int[] rescueBatch(BranchContext ctx) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        null,
        c -> {
          List<RescueRetry> retry = new ArrayList<>();
          List<RescueCandidate> fail = new ArrayList<>();
          for (RescueCandidate candidate : pick(c, config.batchSize())) {
            if (candidate.hasAttemptsLeft()) {
              retry.add(
                  new RescueRetry(candidate, config.retryPolicy().backoff(candidate.attempt())));
            } else {
              fail.add(candidate);
            }
          }
          List<Long> ids = new ArrayList<>(MaintenanceSql.retryRescued(c, writes, retry));
          int retried = ids.size();
          ids.addAll(MaintenanceSql.failRescued(c, writes, fail));
          if (notifiesCancel) {
            MaintenanceSql.notifyCancel(c, ids);
          }
          return new int[] {retried, ids.size() - retried};
        });
  }
}
