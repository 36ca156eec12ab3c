package dev.awa.maintenance;

import java.time.Duration;

/**
 * {@code rescue_expired_callbacks}: parked jobs whose external callback did not arrive before its
 * timeout are retried or failed. A late resolution then finds the row no longer waiting and changes
 * nothing. Walks {@code jobs_callback_timeout_idx}. No handler runs for a parked job, so no cancel
 * is sent.
 */
final class RescueExpiredCallbacksBranch extends RescueBranch {
  RescueExpiredCallbacksBranch(Duration interval, int batchSize, int maxBatches, Duration timeout) {
    super(
        "callback_timeout",
        false,
        interval,
        batchSize,
        maxBatches,
        timeout,
        "waiting_external",
        "callback_timeout_at < now()",
        "callback_timeout_at",
        "format('rescued: callback %s timed out at %s without a resolution (attempt %s of %s)',"
            + " callback_id, callback_timeout_at, attempt, max_attempts)");
  }

  @Override
  public String name() {
    return MaintenanceService.RESCUE_EXPIRED_CALLBACKS;
  }
}
