package dev.awa.bench.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * What a drain left behind in one table: pg_stat_user_tables' dead tuples, updates and HOT updates,
 * and the sizes of the heap and of its indexes. Counters are read only once every backend that
 * wrote them has flushed them: {@link #flushBackends} ends the drain's (idle) backends, and a
 * backend flushes its pending statistics when it exits, so no waiting on PostgreSQL's 10 s idle
 * flush interval.
 *
 * @param deadTuples n_dead_tup
 * @param updates n_tup_upd
 * @param hotUpdates n_tup_hot_upd
 * @param heapBytes pg_relation_size of the table
 * @param indexBytes pg_indexes_size of the table
 */
record TableFootprint(
    long deadTuples, long updates, long hotUpdates, long heapBytes, long indexBytes) {

  /** Reads {@code table}'s counters and sizes (the caller flushed the writers first). */
  static TableFootprint read(DataSource admin, String qualifiedTable) throws SQLException {
    int dot = qualifiedTable.indexOf('.');
    try (Connection c = admin.getConnection()) {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_stat_force_next_flush()");
        st.execute("SELECT pg_stat_clear_snapshot()");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT n_dead_tup, n_tup_upd, n_tup_hot_upd, pg_relation_size(relid),"
                  + " pg_indexes_size(relid) FROM pg_stat_user_tables"
                  + " WHERE schemaname = ? AND relname = ?")) {
        ps.setString(1, qualifiedTable.substring(0, dot));
        ps.setString(2, qualifiedTable.substring(dot + 1));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("no statistics for " + qualifiedTable);
          }
          return new TableFootprint(
              rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
      }
    }
  }

  /**
   * Ends every backend of this database whose application_name starts with {@code prefix} (the
   * drain's pools, idle after the drain) and returns once they are gone, i.e. once each has flushed
   * its statistics on exit.
   */
  static void flushBackends(DataSource admin, String prefix) throws SQLException {
    try (Connection c = admin.getConnection();
        PreparedStatement kill =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid, 30000)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    + " AND application_name LIKE ? || '%'")) {
      // pg_terminate_backend(pid, timeout) waits until the backend has exited (or times out).
      kill.setString(1, prefix);
      kill.executeQuery().close();
    }
  }
}
