package dev.awa.maintenance;

import dev.awa.core.internal.DaemonThreads;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells whether a connection is a session of its own, pinned to one backend, as a session advisory
 * lock needs. Behind a transaction pooler (PgBouncer {@code pool_mode = transaction}) it is not:
 * each transaction may run on another server connection, and an idle server connection serves other
 * clients.
 *
 * <p>A quiet transaction pooler usually hands the same server connection back (PgBouncer reuses the
 * most recently released one), so comparing {@code pg_backend_pid()} across statements proves
 * nothing. The check therefore opens a second connection from the same source and holds a
 * transaction open on it: a pooler gives that transaction the first connection's backend (two
 * clients, one backend), or must move the first connection to another backend for its next
 * statement. A real session shows neither. A second connection that cannot be had within the
 * timeout (a full pool) leaves the check undecided; the leader's health check, which steps down
 * when its backend pid changes, stays as the backstop.
 */
final class SessionPinCheck implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionPinCheck.class);
  private static final String ADVICE =
      ": a transaction pooler (e.g. PgBouncer pool_mode=transaction) is in between, which cannot"
          + " keep a session advisory lock; give the leader a direct URL with"
          + " MaintenanceService.Builder.leaderJdbcUrl";

  private final LeaderElector.ConnectionSource source;
  private final Duration timeout;
  private final ExecutorService opener;

  SessionPinCheck(LeaderElector.ConnectionSource source, Duration timeout, String threadName) {
    this.source = source;
    this.timeout = timeout;
    this.opener = Executors.newSingleThreadExecutor(DaemonThreads.named(threadName));
  }

  /**
   * Returns null when {@code c} is pinned to its backend (or the check could not decide), else the
   * reason it is not. {@code c} must be in autocommit mode.
   */
  String check(Connection c) throws SQLException {
    int first = pid(c);
    Connection other = openBounded();
    if (other == null) {
      return null;
    }
    try {
      other.setAutoCommit(false);
      int otherPid = pid(other);
      if (otherPid == first) {
        return "two client connections were served by the same backend " + first + ADVICE;
      }
      int again;
      try {
        again = pid(c);
      } catch (SQLException e) {
        return "the connection could not run a statement while another client connection held a"
            + " transaction ("
            + e.getMessage()
            + ")"
            + ADVICE;
      }
      if (again != first) {
        return "the connection moved from backend " + first + " to " + again + ADVICE;
      }
      return null;
    } finally {
      try {
        other.rollback();
      } catch (SQLException e) {
        // Closing discards the transaction as well.
      }
      closeQuietly(other);
    }
  }

  private Connection openBounded() {
    CompletableFuture<Connection> f =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return source.open();
              } catch (SQLException e) {
                throw new CompletionException(e);
              }
            },
            opener);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.thenAccept(SessionPinCheck::closeQuietly);
      log.debug("awa maintenance: no second connection within {}; pin check skipped", timeout);
      return null;
    } catch (ExecutionException e) {
      log.debug("awa maintenance: pin check skipped: {}", e.getCause().toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // Nothing to do.
    }
  }

  @Override
  public void close() {
    opener.shutdownNow();
  }
}
