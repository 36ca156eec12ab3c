package dev.awa.maintenance;

import dev.awa.core.internal.store.MaintenanceSql;
import dev.awa.core.internal.store.MaintenanceSql.RescueCandidate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * {@code rescue_stale_heartbeats}: running jobs whose worker stopped heartbeating for longer than
 * the staleness limit (its process is presumed dead) are retried or failed. The limit of a job is
 * the one its runtime registered ({@code heartbeat_staleness_ms} in its {@code
 * awa.runtime_instances} row), so the runtime's {@code heartbeatStaleness} is the one setting; the
 * fallback (maintenance's {@code heartbeatStaleness}, default 90 s) applies to jobs whose runtime
 * has no row any more. Reads the running rows through {@code jobs_running_idx}.
 */
final class RescueStaleHeartbeatsBranch extends RescueBranch {
  /** The branch name. */
  static final String NAME = "rescue_stale_heartbeats";

  /** Default fallback staleness: 90 s, the runtime's default. */
  static final Duration DEFAULT_STALENESS = Duration.ofSeconds(90);

  private final Duration fallbackStaleness;

  RescueStaleHeartbeatsBranch(
      Duration interval, Config config, Duration timeout, Duration fallbackStaleness) {
    super("heartbeat", "running", true, interval, config, timeout);
    this.fallbackStaleness =
        Limits.range(
            "heartbeatStaleness", fallbackStaleness, Duration.ofMillis(100), Duration.ofDays(7));
  }

  /** For tests: default retry policy. */
  RescueStaleHeartbeatsBranch(
      Duration interval, int batchSize, int maxBatches, Duration timeout, Duration staleness) {
    this(interval, new Config(batchSize, maxBatches), timeout, staleness);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  List<RescueCandidate> pick(Connection c, int limit) throws SQLException {
    return MaintenanceSql.pickStaleHeartbeats(c, fallbackStaleness, limit);
  }
}
