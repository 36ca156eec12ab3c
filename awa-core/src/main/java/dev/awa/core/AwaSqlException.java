package dev.awa.core;

import java.sql.SQLException;

/** A database call failed; the cause carries PostgreSQL's SQLSTATE and message. */
public final class AwaSqlException extends AwaException {
  private static final long serialVersionUID = 1L;

  /** Wraps {@code cause}, saying what Awa was doing. */
  public AwaSqlException(String operation, SQLException cause) {
    super(
        operation + " failed: " + cause.getMessage() + " (SQLSTATE " + cause.getSQLState() + ")",
        cause);
  }

  /** The SQLSTATE of the underlying error. */
  public String sqlState() {
    return ((SQLException) getCause()).getSQLState();
  }
}
