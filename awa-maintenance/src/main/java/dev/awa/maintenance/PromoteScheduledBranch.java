package dev.awa.maintenance;

import dev.awa.core.internal.JobColumns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

/**
 * {@code promote_scheduled}: moves due scheduled and retryable jobs from {@code awa.scheduled_jobs}
 * into {@code awa.jobs} as available, several batches per tick, each batch its own transaction. The
 * insert trigger on {@code awa.jobs} notifies the queues that were fed.
 */
final class PromoteScheduledBranch implements MaintenanceBranch {
  /**
   * Moves one batch. The picking CTE walks {@code scheduled_jobs_due_idx} (run_at, id) oldest
   * first; {@code FOR UPDATE SKIP LOCKED} makes two leaders (or an operator cancelling a scheduled
   * job) take disjoint rows, and a row another transaction moved meanwhile is skipped on recheck,
   * so nothing is promoted twice. {@code MATERIALIZED} makes the LIMIT bound the batch: as a plain
   * {@code IN (subquery)} a nested-loop semi join re-runs it per outer row and moves far more. The
   * run_at is kept so claim-wait metrics still start at the due time. Parameter: batch size.
   */
  static final String PROMOTE =
      JobColumns.move(
          "picked AS MATERIALIZED (SELECT id FROM awa.scheduled_jobs"
              + " WHERE state IN ('scheduled', 'retryable') AND run_at <= now()"
              + " ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED)",
          "awa.scheduled_jobs",
          "id IN (SELECT id FROM picked)",
          "awa.jobs",
          Map.of("state", "'available'"));

  private final Duration interval;
  private final int batchSize;
  private final int maxBatches;
  private final Duration statementTimeout;

  PromoteScheduledBranch(
      Duration interval, int batchSize, int maxBatches, Duration statementTimeout) {
    this.interval = interval;
    this.batchSize = batchSize;
    this.maxBatches = maxBatches;
    this.statementTimeout = statementTimeout;
  }

  @Override
  public String name() {
    return MaintenanceService.PROMOTE_SCHEDULED;
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
    int total = 0;
    for (int batch = 0; batch < maxBatches && ctx.isLeader(); batch++) {
      int moved = promoteBatch(ctx);
      total += moved;
      if (moved < batchSize) {
        break;
      }
    }
    if (total > 0) {
      int count = total;
      Listeners.safely(() -> ctx.listener().onPromoted(count));
    }
  }

  /** One batch in its own transaction; returns the number of rows promoted. */
  int promoteBatch(BranchContext ctx) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        null,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(PROMOTE)) {
            ps.setInt(1, batchSize);
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                n++;
              }
            }
            return n;
          }
        });
  }
}
