package dev.awa.maintenance;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * {@code rescue_stale_heartbeats}: running jobs whose worker stopped heartbeating for longer than
 * the staleness limit (its process is presumed dead) are retried or failed. Walks {@code
 * jobs_heartbeat_idx}.
 */
final class RescueStaleHeartbeatsBranch extends RescueBranch {
  private final Duration staleness;

  RescueStaleHeartbeatsBranch(
      Duration interval, int batchSize, int maxBatches, Duration timeout, Duration staleness) {
    super(
        "heartbeat",
        true,
        interval,
        batchSize,
        maxBatches,
        timeout,
        "running",
        "heartbeat_at < now() - ? * interval '1 millisecond'",
        "heartbeat_at",
        "format('rescued: no heartbeat since %s, longer than the staleness limit of "
            + staleness.toMillis()
            + " ms; the worker is presumed dead (attempt %s of %s)',"
            + " heartbeat_at, attempt, max_attempts)");
    this.staleness = staleness;
  }

  @Override
  public String name() {
    return MaintenanceService.RESCUE_STALE_HEARTBEATS;
  }

  @Override
  int bindCandidate(PreparedStatement ps, int index) throws SQLException {
    ps.setLong(index, staleness.toMillis());
    return index + 1;
  }
}
