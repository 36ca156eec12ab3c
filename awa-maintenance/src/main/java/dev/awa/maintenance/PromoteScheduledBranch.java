package dev.awa.maintenance;

import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.store.MaintenanceSql;
import java.time.Duration;

/**
 * {@code promote_scheduled}: moves due scheduled and retryable jobs from {@code awa.scheduled_jobs}
 * into {@code awa.jobs} as available, several batches per tick, each batch its own transaction
 * ({@link MaintenanceSql#promoteDue}). Due is decided by the database clock. The insert trigger on
 * {@code awa.jobs} notifies the queues that were fed.
 */
final class PromoteScheduledBranch implements MaintenanceBranch {
  /** The branch name. */
  static final String NAME = "promote_scheduled";

  /** Default interval: 250 ms. */
  static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);

  /**
   * @param batchSize rows per batch transaction (option {@code promoteBatchSize}; default 2,000, 1
   *     to 50,000)
   * @param maxBatchesPerTick batches per tick at most (option {@code promoteMaxBatchesPerTick};
   *     default 10, 1 to 1,000)
   */
  record Config(int batchSize, int maxBatchesPerTick) {
    static final Config DEFAULTS = new Config(2_000, 10);

    Config {
      Limits.range("promoteBatchSize", batchSize, 1, 50_000);
      Limits.range("promoteMaxBatchesPerTick", maxBatchesPerTick, 1, 1_000);
    }
  }

  private final Duration interval;
  private final Config config;
  private final Duration statementTimeout;

  PromoteScheduledBranch(Duration interval, Config config, Duration statementTimeout) {
    this.interval = interval;
    this.config = config;
    this.statementTimeout = statementTimeout;
  }

  /** As {@link #PromoteScheduledBranch(Duration, Config, Duration)}, for tests. */
  PromoteScheduledBranch(
      Duration interval, int batchSize, int maxBatches, Duration statementTimeout) {
    this(interval, new Config(batchSize, maxBatches), statementTimeout);
  }

  @Override
  public String name() {
    return NAME;
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
    int total =
        Batches.untilCaughtUp(
            ctx, config.batchSize(), config.maxBatchesPerTick(), () -> promoteBatch(ctx));
    if (total > 0) {
      SafeCall.run(ctx.listener(), () -> ctx.listener().onPromoted(total));
    }
  }

  /** One batch in its own transaction; returns the number of rows promoted. */
  int promoteBatch(BranchContext ctx) throws Exception {
    return ctx.inTransaction(
        statementTimeout, null, c -> MaintenanceSql.promoteDue(c, config.batchSize()));
  }
}
