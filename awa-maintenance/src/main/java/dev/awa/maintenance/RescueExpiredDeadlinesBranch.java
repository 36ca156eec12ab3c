package dev.awa.maintenance;

import java.time.Duration;

/**
 * {@code rescue_expired_deadlines}: running jobs past their deadline (the handler hangs or ignores
 * its cancel flag) are retried or failed, and their handler is told to stop. Walks {@code
 * jobs_deadline_idx}.
 */
final class RescueExpiredDeadlinesBranch extends RescueBranch {
  RescueExpiredDeadlinesBranch(Duration interval, int batchSize, int maxBatches, Duration timeout) {
    super(
        "deadline",
        true,
        interval,
        batchSize,
        maxBatches,
        timeout,
        "running",
        "deadline_at < now()",
        "deadline_at",
        "format('rescued: deadline %s passed while the attempt was still running"
            + " (attempt %s of %s)', deadline_at, attempt, max_attempts)");
  }

  @Override
  public String name() {
    return MaintenanceService.RESCUE_EXPIRED_DEADLINES;
  }
}
