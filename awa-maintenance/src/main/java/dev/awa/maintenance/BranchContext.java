package dev.awa.maintenance;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/** What a {@link MaintenanceBranch} gets for one tick. */
public interface BranchContext {
  /** Work on a connection inside a transaction. */
  @FunctionalInterface
  interface SqlWork<T> {
    /** Does the work; the transaction commits when it returns and rolls back when it throws. */
    T apply(Connection connection) throws SQLException;
  }

  /** The pooled data source (never the leader's connection). */
  DataSource dataSource();

  /** This process's instance id. */
  String instanceId();

  /** Whether this process still leads; a long body checks it between batches and stops if not. */
  boolean isLeader();

  /** The telemetry listener. */
  MaintenanceListener listener();

  /**
   * Runs {@code work} in one transaction on a pooled connection with {@code SET LOCAL
   * statement_timeout} (and {@code lock_timeout} when {@code lockTimeout} is not null), so one slow
   * statement cannot hold locks or a connection indefinitely.
   */
  <T> T inTransaction(Duration statementTimeout, Duration lockTimeout, SqlWork<T> work)
      throws SQLException;
}
