package dev.awa.bench.scenario;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Correctness read back from the database after a drain: every row must be completed, by exactly
 * one attempt.
 */
final class TableChecks {
  private TableChecks() {}

  /**
   * @param unfinished rows in any state but completed
   * @param reattempted rows whose attempt count is not exactly 1
   * @param rows all rows
   */
  record DrainState(long unfinished, long reattempted, long rows) {}

  /** Reads the drain state of {@code table} (plus scheduled rows when the table is awa.jobs). */
  static DrainState drainState(Connection c, String table) throws SQLException {
    String sql =
        "SELECT count(*) FILTER (WHERE state <> 'completed'),"
            + " count(*) FILTER (WHERE attempt <> 1), count(*) FROM "
            + table;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      long unfinished = rs.getLong(1);
      long reattempted = rs.getLong(2);
      long rows = rs.getLong(3);
      if (table.equals("awa.jobs")) {
        try (ResultSet s = st.executeQuery("SELECT count(*) FROM awa.scheduled_jobs")) {
          s.next();
          unfinished += s.getLong(1);
          rows += s.getLong(1);
        }
      }
      return new DrainState(unfinished, reattempted, rows);
    }
  }
}
