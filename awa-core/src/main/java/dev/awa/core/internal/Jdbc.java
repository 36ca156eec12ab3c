package dev.awa.core.internal;

import dev.awa.core.AwaSqlException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Not API. Small JDBC helpers shared by core and maintenance. */
public final class Jdbc {
  private Jdbc() {}

  /** Work on a connection that may throw {@link SQLException}. */
  @FunctionalInterface
  public interface ConnectionWork<T> {
    /** Does the work. */
    T apply(Connection c) throws SQLException;
  }

  /** Runs {@code work} on a pooled connection in autocommit mode. */
  public static <T> T withConnection(DataSource ds, String operation, ConnectionWork<T> work) {
    try (Connection c = ds.getConnection()) {
      return work.apply(c);
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /** Runs {@code work} in one transaction on a pooled connection; rolls back on any failure. */
  public static <T> T inTransaction(DataSource ds, String operation, ConnectionWork<T> work) {
    try (Connection c = ds.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.apply(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /**
   * The exception for a failed call: a {@link dev.awa.core.DuplicateJobException} when the
   * unique-claim trigger refused it (an enqueue, or an operator's retry of a finished job whose
   * scope another job now holds), else an {@link AwaSqlException}. The holder comes with the
   * database's refusal, not from a second look-up that could miss it (a holder in the caller's
   * uncommitted transaction, one that finished meanwhile, or a pool with no connection to spare).
   */
  public static RuntimeException failure(String operation, SQLException e) {
    return UniqueConflicts.from(e)
        .<RuntimeException>map(d -> d)
        .orElseGet(() -> new AwaSqlException(operation, e));
  }

  /** A {@code bigint[]} parameter. */
  public static java.sql.Array longs(Connection c, long[] values) throws SQLException {
    Long[] boxed = new Long[values.length];
    for (int i = 0; i < values.length; i++) {
      boxed[i] = values[i];
    }
    return c.createArrayOf("bigint", boxed);
  }
}
