package dev.awa.core;

import java.sql.SQLException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Recognises the database errors Awa turns into typed answers, by SQLSTATE and constraint name as
 * PostgreSQL reports them, never by message text (which is localised by {@code lc_messages}).
 */
final class SqlErrors {
  /** SQLSTATE unique_violation. */
  static final String UNIQUE_VIOLATION = "23505";

  /** The constraint the unique-claim trigger names when it refuses a key. */
  static final String UNIQUE_CLAIMS_CONSTRAINT = "job_unique_claims_pkey";

  private SqlErrors() {}

  /** Whether {@code e} is the unique-claim trigger (or the claims table) refusing a held key. */
  static boolean isUniqueClaimConflict(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState())
        && UNIQUE_CLAIMS_CONSTRAINT.equals(constraint(e));
  }

  /** The constraint PostgreSQL named in the error, or null. */
  static String constraint(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException p) {
        ServerErrorMessage m = p.getServerErrorMessage();
        if (m != null) {
          return m.getConstraint();
        }
      }
    }
    return null;
  }
}
