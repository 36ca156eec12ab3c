package dev.awa.maintenance;

import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.store.MaintenanceSql;
import java.time.Duration;

/**
 * {@code queue_stats}: counts jobs per queue and state in both tables and the lag of the oldest due
 * available job per queue, and publishes the snapshot through {@link
 * MaintenanceListener#onQueueStats}. Read-only, so two leaders running it at once is harmless.
 */
final class QueueStatsBranch implements MaintenanceBranch {
  /** The branch name. */
  static final String NAME = "queue_stats";

  /** Default interval: 30 s. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  private final Duration interval;
  private final Duration statementTimeout;

  QueueStatsBranch(Duration interval, Duration statementTimeout) {
    this.interval = interval;
    this.statementTimeout = statementTimeout;
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
    QueueStats stats = snapshot(ctx);
    SafeCall.run(ctx.listener(), () -> ctx.listener().onQueueStats(stats));
  }

  QueueStats snapshot(BranchContext ctx) throws Exception {
    MaintenanceSql.QueueSnapshot s =
        ctx.inTransaction(statementTimeout, null, MaintenanceSql::queueSnapshot);
    return new QueueStats(s.at(), s.counts(), s.lag());
  }
}
