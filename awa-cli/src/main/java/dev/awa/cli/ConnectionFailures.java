package dev.awa.cli;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns a failed connection attempt into the one line a user needs: which server, and whether it
 * was unreachable or refused the login. PostgreSQL's SQLSTATE decides (class 08 connection, class
 * 28 authorization, 3D000 unknown database); the password never appears.
 */
final class ConnectionFailures {
  private ConnectionFailures() {}

  static CliException describe(String target, Throwable failure) {
    String reason;
    Throwable network = findNetworkCause(failure);
    SQLException sql = findSqlException(failure);
    String state = sql == null ? null : sql.getSQLState();
    if (network instanceof UnknownHostException) {
      reason = "unknown host " + network.getMessage();
    } else if (network instanceof ConnectException) {
      reason = "connection refused (is PostgreSQL running and listening there?)";
    } else if (network instanceof NoRouteToHostException) {
      reason = "no route to host";
    } else if (network instanceof SocketTimeoutException) {
      reason = "connection timed out";
    } else if ("28P01".equals(state)) {
      reason = "authentication failed: wrong password";
    } else if (state != null && (state.startsWith("28") || "3D000".equals(state))) {
      // e.g. role "x" does not exist, no pg_hba.conf entry, database "y" does not exist.
      reason = "login refused: " + serverMessage(sql);
    } else {
      reason = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    }
    return new CliException(
        ExitCodes.DATABASE_UNAVAILABLE, "cannot connect to " + target + ": " + reason, failure);
  }

  /** Whether an SQLSTATE means the connection (not the statement) failed. */
  static boolean isConnectionState(String state) {
    return state != null
        && (state.startsWith("08") || state.startsWith("28") || "3D000".equals(state));
  }

  /** PostgreSQL's message without the "FATAL: " prefix the driver puts in front. */
  private static String serverMessage(SQLException e) {
    String message = e.getMessage() == null ? e.getSQLState() : e.getMessage();
    return message.replaceFirst("^(FATAL|ERROR): ", "");
  }

  private static Throwable findNetworkCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException
          || c instanceof UnknownHostException
          || c instanceof NoRouteToHostException
          || c instanceof SocketTimeoutException) {
        return c;
      }
    }
    return null;
  }

  private static SQLException findSqlException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }
}
