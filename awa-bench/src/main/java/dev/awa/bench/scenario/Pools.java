package dev.awa.bench.scenario;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Pool preparation shared by the drain scenarios. */
final class Pools {
  private Pools() {}

  /**
   * Opens {@code size} connections of a new pool before a measurement starts, one after another.
   * Two reasons: a service's pool is open before its jobs arrive, so a drain clock should not pay
   * for new server backends; and awa-testing's pools start empty ({@code minimumIdle = 0}), where
   * 16 threads asking for their first connection at once can leave one waiting until the 30 s
   * timeout (HikariCP issue 1212; seen in `scale`'s 1,000,000-job bare drain on 2026-12-03).
   */
  static void open(DataSource pool, int size) {
    List<Connection> open = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        open.add(pool.getConnection());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not open " + size + " pooled connections", e);
    } finally {
      for (Connection c : open) {
        try {
          c.close();
        } catch (SQLException e) {
          // handing a connection back to the pool does not fail; the drain would tell
        }
      }
    }
  }
}
