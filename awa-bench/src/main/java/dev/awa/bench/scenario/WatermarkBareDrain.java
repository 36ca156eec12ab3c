package dev.awa.bench.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The bare loop with a claim that starts where the thread's previous claim started (adr/0012): its
 * index scan is bounded below by {@code (priority, run_at, id) >= } the smallest key the previous
 * claim returned, so it descends past the claimed (dead) entries at the front of the dequeue index
 * instead of stepping over them one leaf page after another. Everything before that key was claimed
 * or locked by another claimer when the previous claim ran; when a bounded claim comes back empty
 * the thread claims once unbounded (a row made available behind the mark is found then), and stops
 * when that is empty too. Otherwise the same table, statements and completion as {@link
 * BareSqlDrain}.
 */
final class WatermarkBareDrain implements DrainPath {
  private static final String TIME_BOUND = " AND run_at <= now()";

  private final BareSqlDrain plain;
  private final CeilingTable table;
  private final DataSource pool;
  private final int batchSize;

  WatermarkBareDrain(String key, String label, CeilingTable table, DataSource pool, int batchSize) {
    this.plain = new BareSqlDrain(key, label, table, pool, batchSize);
    this.table = table;
    this.pool = pool;
    this.batchSize = batchSize;
  }

  @Override
  public String key() {
    return plain.key();
  }

  @Override
  public String label() {
    return plain.label();
  }

  @Override
  public String table() {
    return plain.table();
  }

  @Override
  public long[] load(String queue, int jobs) throws SQLException {
    return plain.load(queue, jobs);
  }

  /** The ceiling's claim with the mark; parameters: queue, priority, run_at, id, limit. */
  private String boundedClaimSql() {
    String sql = table.claimSql();
    if (!sql.contains(TIME_BOUND)) {
      throw new IllegalStateException("the ceiling claim changed shape: " + sql);
    }
    return sql.replace(TIME_BOUND, TIME_BOUND + " AND (priority, run_at, id) >= (?, ?, ?)")
        .replace(
            "RETURNING j.id, j.run_lease, j.args",
            "RETURNING j.id, j.run_lease, j.args," + " j.priority, j.run_at");
  }

  private String unboundedClaimSql() {
    return table
        .claimSql()
        .replace(
            "RETURNING j.id, j.run_lease, j.args",
            "RETURNING j.id, j.run_lease, j.args," + " j.priority, j.run_at");
  }

  @Override
  public void drain(String queue, int thread, DrainRecorder r) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement bounded = c.prepareStatement(boundedClaimSql());
        PreparedStatement unbounded = c.prepareStatement(unboundedClaimSql());
        PreparedStatement complete = c.prepareStatement(table.completeManySql())) {
      List<Long> ids = new ArrayList<>(batchSize);
      List<Long> leases = new ArrayList<>(batchSize);
      Mark mark = null;
      while (true) {
        long t0 = System.nanoTime();
        Mark next;
        if (mark != null) {
          bounded.setString(1, queue);
          bounded.setInt(2, mark.priority());
          bounded.setObject(3, mark.runAt());
          bounded.setLong(4, mark.id());
          bounded.setInt(5, batchSize);
          next = claim(bounded, ids, leases);
        } else {
          next = null;
        }
        if (next == null) {
          unbounded.setString(1, queue);
          unbounded.setInt(2, batchSize);
          next = claim(unbounded, ids, leases);
        }
        long t1 = System.nanoTime();
        r.claimTook(t1 - t0);
        if (next == null) {
          return;
        }
        mark = next;
        BareSqlDrain.completeBatch(c, complete, ids, leases, r, t1);
      }
    }
  }

  /** Runs one claim into {@code ids}/{@code leases}; returns its smallest key, null if empty. */
  private static Mark claim(PreparedStatement ps, List<Long> ids, List<Long> leases)
      throws SQLException {
    ids.clear();
    leases.clear();
    Mark least = null;
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
        leases.add(rs.getLong(2));
        rs.getString(3); // a handler would read its args
        Mark m = new Mark(rs.getInt(4), rs.getObject(5, OffsetDateTime.class), rs.getLong(1));
        least = least == null || m.before(least) ? m : least;
      }
    }
    return least;
  }

  /** A claim-order key: (priority, run_at, id). */
  private record Mark(int priority, OffsetDateTime runAt, long id) {
    boolean before(Mark o) {
      if (priority != o.priority) {
        return priority < o.priority;
      }
      int t = runAt.compareTo(o.runAt);
      return t != 0 ? t < 0 : id < o.id;
    }
  }
}
