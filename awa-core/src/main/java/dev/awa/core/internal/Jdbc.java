package dev.awa.core.internal;

import dev.awa.core.AwaSqlException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
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
   * Runs {@code work} in one transaction whose statements are bounded by {@code SET LOCAL
   * statement_timeout} and, when {@code lockTimeout} is not null, {@code lock_timeout}. This is the
   * one transaction helper of every module (core, maintenance, cron, CLI): the timeouts end with
   * the transaction, so a pooled connection goes back with the server's defaults. Throws the raw
   * {@link SQLException} so that a caller that classifies failures (a branch body, a retry loop)
   * sees the SQLSTATE; wrap with {@link #failure} at the API boundary.
   */
  public static <T> T inTransaction(
      DataSource ds, Duration statementTimeout, Duration lockTimeout, ConnectionWork<T> work)
      throws SQLException {
    try (Connection c = ds.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
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
    // set_config(..., true) is SET LOCAL, with the value as a bind parameter.
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config(?, ?, true)")) {
      ps.setString(1, name);
      ps.setString(2, Math.max(1, value.toMillis()) + "ms");
      ps.execute();
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
