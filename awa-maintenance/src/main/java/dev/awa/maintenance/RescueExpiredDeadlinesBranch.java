package dev.awa.maintenance;

import dev.awa.core.internal.store.MaintenanceSql;
import dev.awa.core.internal.store.MaintenanceSql.RescueCandidate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * {@code rescue_expired_deadlines}: running jobs past their deadline (the handler hangs or ignores
 * its cancel flag) are retried or failed, and their handler is told to stop. Walks {@code
 * jobs_running_idx}.
 */
final class RescueExpiredDeadlinesBranch extends RescueBranch {
  /** The branch name. */
  static final String NAME = "rescue_expired_deadlines";

  RescueExpiredDeadlinesBranch(Duration interval, Config config, Duration timeout) {
    super("deadline", "running", true, interval, config, timeout);
  }

  /** For tests: default retry policy. */
  RescueExpiredDeadlinesBranch(Duration interval, int batchSize, int maxBatches, Duration timeout) {
    this(interval, new Config(batchSize, maxBatches), timeout);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  List<RescueCandidate> pick(Connection c, int limit) throws SQLException {
    return MaintenanceSql.pickExpiredDeadlines(c, limit);
  }
}
