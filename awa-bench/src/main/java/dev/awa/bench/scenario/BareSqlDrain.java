package dev.awa.bench.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The ceiling: a bare JDBC loop over a {@link CeilingTable}. Each thread holds one connection for
 * the whole drain and runs two statements per batch, one SKIP LOCKED claim and one batched
 * completion; no runtime, no mapping, no listener.
 */
final class BareSqlDrain implements DrainPath {
  private final String key;
  private final String label;
  private final CeilingTable table;
  private final DataSource pool;
  private final int batchSize;

  BareSqlDrain(String key, String label, CeilingTable table, DataSource pool, int batchSize) {
    this.key = key;
    this.label = label;
    this.table = table;
    this.pool = pool;
    this.batchSize = batchSize;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public String table() {
    return table.name();
  }

  @Override
  public long[] load(String queue, int jobs) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return table.load(c, queue, jobs);
    }
  }

  @Override
  public void drain(String queue, int thread, DrainRecorder r) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement claim = c.prepareStatement(table.claimSql());
        PreparedStatement complete = c.prepareStatement(table.completeManySql())) {
      List<Long> ids = new ArrayList<>(batchSize);
      List<Long> leases = new ArrayList<>(batchSize);
      while (true) {
        ids.clear();
        leases.clear();
        long t0 = System.nanoTime();
        claim.setString(1, queue);
        claim.setInt(2, batchSize);
        try (ResultSet rs = claim.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
            leases.add(rs.getLong(2));
            rs.getString(3); // a handler would read its args
          }
        }
        long t1 = System.nanoTime();
        r.claimTook(t1 - t0);
        if (ids.isEmpty()) {
          // Rows other threads hold locked are being claimed by them; nothing new arrives.
          return;
        }
        completeBatch(c, complete, ids, leases, r, t1);
      }
    }
  }

  /**
   * Records the claimed batch, completes it with one statement and records the completions and the
   * time since {@code claimedAt} (also used by {@link WatermarkBareDrain}).
   */
  static void completeBatch(
      Connection c,
      PreparedStatement complete,
      List<Long> ids,
      List<Long> leases,
      DrainRecorder r,
      long claimedAt)
      throws SQLException {
    ids.forEach(r.ledger()::claimed);
    complete.setArray(1, c.createArrayOf("bigint", ids.toArray()));
    complete.setArray(2, c.createArrayOf("bigint", leases.toArray()));
    try (ResultSet rs = complete.executeQuery()) {
      while (rs.next()) {
        r.ledger().completed(rs.getLong(1));
      }
    }
    r.completeTook(System.nanoTime() - claimedAt);
  }
}
