package dev.awa.maintenance;

import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * {@code priority_aging}: an available job that has waited longer than the aging threshold gets one
 * priority level higher (a smaller number), once per further threshold of waiting, so low priority
 * work cannot starve forever behind a steady stream of high-priority jobs. Bounded: the first raise
 * records {@code original_priority}, and a job is never raised more than {@code maxLevels} levels
 * above it (nor above priority 1).
 */
final class PriorityAgingBranch implements MaintenanceBranch {
  /**
   * The MATERIALIZED CTE (so the LIMIT is applied once) takes candidates oldest first with {@code
   * SKIP LOCKED} (claimers hold the rows they are taking; waiting on them is pointless) through
   * {@code jobs_available_run_at_idx}. The outer update is a compare-and-set on the priority the
   * subquery saw, and the threshold grows with each level already raised, so two leaders running it
   * at once raise a job one level, not two. Parameters: threshold millis, max levels, batch size.
   */
  static final String AGE =
      "WITH p AS MATERIALIZED (SELECT id, priority FROM awa.jobs"
          + " WHERE state = 'available' AND priority > 1"
          + " AND run_at < now() - ? * interval '1 millisecond'"
          + " * (coalesce(original_priority, priority) - priority + 1)"
          + " AND coalesce(original_priority, priority) - priority < ?"
          + " ORDER BY run_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " UPDATE awa.jobs j SET priority = j.priority - 1,"
          + " original_priority = coalesce(j.original_priority, j.priority)"
          + " FROM p WHERE j.id = p.id AND j.state = 'available' AND j.priority = p.priority";

  private final Duration interval;
  private final Duration threshold;
  private final int maxLevels;
  private final int batchSize;
  private final int maxBatches;
  private final Duration statementTimeout;

  PriorityAgingBranch(
      Duration interval,
      Duration threshold,
      int maxLevels,
      int batchSize,
      int maxBatches,
      Duration statementTimeout) {
    this.interval = interval;
    this.threshold = threshold;
    this.maxLevels = maxLevels;
    this.batchSize = batchSize;
    this.maxBatches = maxBatches;
    this.statementTimeout = statementTimeout;
  }

  @Override
  public String name() {
    return MaintenanceService.PRIORITY_AGING;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void run(BranchContext ctx) throws Exception {
    int total = 0;
    for (int batch = 0; batch < maxBatches && ctx.isLeader(); batch++) {
      int n = ageBatch(ctx);
      total += n;
      if (n < batchSize) {
        break;
      }
    }
    if (total > 0) {
      int count = total;
      Listeners.safely(() -> ctx.listener().onAged(count));
    }
  }

  int ageBatch(BranchContext ctx) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        null,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(AGE)) {
            ps.setLong(1, threshold.toMillis());
            ps.setInt(2, maxLevels);
            ps.setInt(3, batchSize);
            return ps.executeUpdate();
          }
        });
  }
}
