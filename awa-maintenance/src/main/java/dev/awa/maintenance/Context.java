package dev.awa.maintenance;

import dev.awa.core.internal.Jdbc;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** The {@link BranchContext} of one service or round (or of a test driving branch bodies). */
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
    return Jdbc.inTransaction(dataSource, statementTimeout, lockTimeout, work::apply);
  }
}
