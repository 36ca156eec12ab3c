package dev.awa.spring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Asks the database whether some process holds the maintenance leader lock, and which instance is
 * flagged as leader. The lock key is awa-maintenance's ({@code LeaderElector.LOCK_CLASS} 0x617761,
 * object 1): the granted lock is the truth, the flag only names the holder.
 */
final class LeaderProbe {
  private static final String SQL =
      "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = "
          + 0x617761
          + " AND objid = 1 AND objsubid = 2 AND granted"
          + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())),"
          + " (SELECT instance_id FROM awa.runtime_instances WHERE is_leader"
          + " ORDER BY leader_since DESC NULLS LAST LIMIT 1)";

  /**
   * What the database says of the leader.
   *
   * @param locked whether a session holds the leader lock
   * @param instance the instance flagged as leader, if any
   */
  record Observation(boolean locked, Optional<String> instance) {}

  private final DataSource dataSource;

  LeaderProbe(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  Observation observe() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SQL);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Observation(rs.getBoolean(1), Optional.ofNullable(rs.getString(2)));
    }
  }
}
