package dev.awa.maintenance;

import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.store.MaintenanceSql;
import dev.awa.core.internal.store.MaintenanceSql.CleanupBacklog;
import dev.awa.core.internal.store.MaintenanceSql.FinishedState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cleanup}: deletes finished jobs past their retention in batches by index order, each batch
 * its own short transaction under the lock timeout, within a time budget per tick, taking the
 * states round-robin so one huge state cannot starve the others. After each tick it reports how far
 * behind it is: the rows past retention that are still there (probed up to {@value
 * #BACKLOG_PROBE_LIMIT}) and how overdue the oldest is.
 */
final class CleanupBranch implements MaintenanceBranch {
  /** The branch name. */
  static final String NAME = "cleanup";

  /** Default interval: 60 s. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  static final int BACKLOG_PROBE_LIMIT = 100_000;

  /**
   * @param retention per finished state (option {@code retention(state)}; default completed 24 h,
   *     failed and cancelled 72 h; 1 s to 3,650 days)
   * @param batchSize rows per delete (option {@code cleanupBatchSize}; default 5,000, 1 to 100,000)
   * @param timeBudget time a tick may spend deleting (option {@code cleanupTimeBudget}; default 20
   *     s, 10 ms to 1 h)
   */
  record Config(Map<String, Duration> retention, int batchSize, Duration timeBudget) {
    static final Config DEFAULTS = new Config(defaultRetention(), 5_000, Duration.ofSeconds(20));

    Config {
      Map<String, Duration> checked = new LinkedHashMap<>();
      retention.forEach(
          (state, d) -> {
            if (FinishedState.fromDb(state) == null) {
              throw new InvalidMaintenanceConfigException(
                  "retention", "state must be completed, failed or cancelled, was '" + state + "'");
            }
            checked.put(
                state,
                Limits.range(
                    "retention(" + state + ")", d, Duration.ofSeconds(1), Duration.ofDays(3650)));
          });
      retention = java.util.Collections.unmodifiableMap(checked);
      Limits.range("cleanupBatchSize", batchSize, 1, 100_000);
      Limits.range("cleanupTimeBudget", timeBudget, Duration.ofMillis(10), Duration.ofHours(1));
    }

    /** With {@code state}'s retention replaced. */
    Config withRetention(String state, Duration d) {
      Map<String, Duration> next = new LinkedHashMap<>(retention);
      next.put(state, d);
      return new Config(next, batchSize, timeBudget);
    }

    private static Map<String, Duration> defaultRetention() {
      Map<String, Duration> m = new LinkedHashMap<>();
      m.put("completed", Duration.ofHours(24));
      m.put("failed", Duration.ofHours(72));
      m.put("cancelled", Duration.ofHours(72));
      return m;
    }
  }

  private final Duration interval;
  private final Config config;
  private final Duration statementTimeout;
  private final Duration lockTimeout;

  CleanupBranch(Duration interval, Config config, Duration statementTimeout, Duration lockTimeout) {
    this.interval = interval;
    this.config = config;
    this.statementTimeout = statementTimeout;
    this.lockTimeout = lockTimeout;
  }

  /** For tests. */
  CleanupBranch(
      Duration interval,
      Map<String, Duration> retention,
      int batchSize,
      Duration timeBudget,
      Duration statementTimeout,
      Duration lockTimeout) {
    this(interval, new Config(retention, batchSize, timeBudget), statementTimeout, lockTimeout);
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
    long deadline = System.nanoTime() + config.timeBudget().toNanos();
    Map<String, Duration> retention = config.retention();
    List<String> pending = new ArrayList<>(retention.keySet());
    Map<String, Integer> deleted = new LinkedHashMap<>();
    while (!pending.isEmpty() && ctx.isLeader() && System.nanoTime() - deadline < 0) {
      for (var it = pending.iterator(); it.hasNext(); ) {
        String state = it.next();
        int n = deleteBatch(ctx, state);
        deleted.merge(state, n, Integer::sum);
        if (n < config.batchSize()) {
          it.remove(); // caught up for this state
        }
        if (System.nanoTime() - deadline >= 0) {
          break;
        }
      }
    }
    MaintenanceListener l = ctx.listener();
    deleted.forEach(
        (state, n) -> {
          if (n > 0) {
            SafeCall.run(l, () -> l.onCleaned(state, n));
          }
        });
    for (String state : retention.keySet()) {
      if (!pending.contains(state)) {
        SafeCall.run(l, () -> l.onCleanupBacklog(state, 0, Duration.ZERO));
      } else {
        CleanupBacklog b = backlog(ctx, state);
        SafeCall.run(l, () -> l.onCleanupBacklog(state, b.remaining(), b.oldestOverdue()));
      }
    }
  }

  int deleteBatch(BranchContext ctx, String state) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        lockTimeout,
        c ->
            MaintenanceSql.deleteFinished(
                c, FinishedState.fromDb(state), config.retention().get(state), config.batchSize()));
  }

  private CleanupBacklog backlog(BranchContext ctx, String state) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        null,
        c ->
            MaintenanceSql.cleanupBacklog(
                c,
                FinishedState.fromDb(state),
                config.retention().get(state),
                BACKLOG_PROBE_LIMIT));
  }
}
