package dev.awa.maintenance;

import dev.awa.core.internal.store.MaintenanceSql;
import dev.awa.core.internal.store.MaintenanceSql.RescueCandidate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * {@code rescue_expired_callbacks}: parked jobs whose external callback did not arrive before its
 * timeout are retried or failed. A late resolution then finds the row no longer waiting and changes
 * nothing. Walks {@code jobs_callback_timeout_idx}. No handler runs for a parked job, so no cancel
 * is sent.
 */
final class RescueExpiredCallbacksBranch extends RescueBranch {
  /** The branch name. */
  static final String NAME = "rescue_expired_callbacks";

  RescueExpiredCallbacksBranch(Duration interval, Config config, Duration timeout) {
    super("callback_timeout", "waiting_external", false, interval, config, timeout);
  }

  /** For tests: default retry policy. */
  RescueExpiredCallbacksBranch(Duration interval, int batchSize, int maxBatches, Duration timeout) {
    this(interval, new Config(batchSize, maxBatches), timeout);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  List<RescueCandidate> pick(Connection c, int limit) throws SQLException {
    return MaintenanceSql.pickExpiredCallbacks(c, limit);
  }
}
