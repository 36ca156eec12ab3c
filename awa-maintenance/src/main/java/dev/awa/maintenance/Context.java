package dev.awa.maintenance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** The {@link BranchContext} of one service (or of a test driving branch bodies directly). */
final class Context implements BranchContext {
  private final DataSource dataSource;
  private final String instanceId;
  private final BooleanSupplier leader;
  private final MaintenanceListener listener;

  Context(
      DataSource dataSource,
      String instanceId,
      BooleanSupplier leader,
      MaintenanceListener listener) {
    this.dataSource = dataSource;
    this.instanceId = instanceId;
    this.leader = leader;
    this.listener = listener;
  }

  @Override
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public String instanceId() {
    return instanceId;
  }

  @Override
  public boolean isLeader() {
    return leader.getAsBoolean();
  }

  @Override
  public MaintenanceListener listener() {
    return listener;
  }

  @Override
  public <T> T inTransaction(Duration statementTimeout, Duration lockTimeout, SqlWork<T> work)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        // set_config(..., true) is SET LOCAL: it ends with the transaction, so the pooled
        // connection goes back with the server defaults.
        setLocal(c, "statement_timeout", statementTimeout);
        if (lockTimeout != null) {
          setLocal(c, "lock_timeout", lockTimeout);
        }
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  private static void setLocal(Connection c, String name, Duration value) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
      ps.setString(1, name);
      ps.setString(2, Math.max(1, value.toMillis()) + "ms");
      ps.execute();
    }
  }
}
