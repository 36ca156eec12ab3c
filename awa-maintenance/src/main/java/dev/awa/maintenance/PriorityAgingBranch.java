package dev.awa.maintenance;

import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.store.MaintenanceSql;
import java.time.Duration;

/**
 * {@code priority_aging}: an available job that has waited longer than the aging threshold gets one
 * priority level higher (a smaller number), once per further threshold of waiting, so low priority
 * work cannot starve forever behind a steady stream of high-priority jobs. Bounded: the first raise
 * records {@code original_priority}, and a job is never raised more than {@code maxLevels} levels
 * above it (nor above priority 1). See {@link MaintenanceSql#ageWaitingJobs}.
 */
final class PriorityAgingBranch implements MaintenanceBranch {
  /** The branch name. */
  static final String NAME = "priority_aging";

  /** Default interval: 60 s. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /**
   * @param threshold waiting time per level raised (option {@code priorityAgingThreshold}; default
   *     5 min, 1 s to 7 days)
   * @param maxLevels most levels above the original priority (option {@code
   *     priorityAgingMaxLevels}; default 3, 1 to 3)
   * @param batchSize rows per aging transaction (option {@code priorityAgingBatchSize}; default
   *     500, 1 to 10,000)
   * @param maxBatchesPerTick batches per tick at most (option {@code
   *     priorityAgingMaxBatchesPerTick}; default 20, 1 to 1,000)
   */
  record Config(Duration threshold, int maxLevels, int batchSize, int maxBatchesPerTick) {
    static final Config DEFAULTS = new Config(Duration.ofMinutes(5), 3, 500, 20);

    Config {
      Limits.range("priorityAgingThreshold", threshold, Duration.ofSeconds(1), Duration.ofDays(7));
      Limits.range("priorityAgingMaxLevels", maxLevels, 1, 3);
      Limits.range("priorityAgingBatchSize", batchSize, 1, 10_000);
      Limits.range("priorityAgingMaxBatchesPerTick", maxBatchesPerTick, 1, 1_000);
    }
  }

  private final Duration interval;
  private final Config config;
  private final Duration statementTimeout;

  PriorityAgingBranch(Duration interval, Config config, Duration statementTimeout) {
    this.interval = interval;
    this.config = config;
    this.statementTimeout = statementTimeout;
  }

  /** For tests. */
  PriorityAgingBranch(
      Duration interval,
      Duration threshold,
      int maxLevels,
      int batchSize,
      int maxBatches,
      Duration statementTimeout) {
    this(interval, new Config(threshold, maxLevels, batchSize, maxBatches), statementTimeout);
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
  public void run(BranchContext ctx) throws Exception {
    int total =
        Batches.untilCaughtUp(
            ctx, config.batchSize(), config.maxBatchesPerTick(), () -> ageBatch(ctx));
    if (total > 0) {
      SafeCall.run(ctx.listener(), () -> ctx.listener().onAged(total));
    }
  }

  int ageBatch(BranchContext ctx) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        null,
        c ->
            MaintenanceSql.ageWaitingJobs(
                c, config.threshold(), config.maxLevels(), config.batchSize()));
  }
}
