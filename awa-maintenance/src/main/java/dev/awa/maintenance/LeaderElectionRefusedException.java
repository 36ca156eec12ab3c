package dev.awa.maintenance;

import dev.awa.core.AwaException;

/**
 * This process will not take part in the leader election because its leader connection is not a
 * session of its own: a transaction pooler (PgBouncer {@code pool_mode = transaction} or a managed
 * equivalent) sits between it and PostgreSQL and could not keep the session advisory lock. Give the
 * leader a direct URL with {@link MaintenanceService.Builder#leaderJdbcUrl}. The election keeps
 * retrying every election interval, so fixing the pooler's mode also clears it.
 */
public final class LeaderElectionRefusedException extends AwaException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with the reason the check found. */
  public LeaderElectionRefusedException(String reason) {
    super(reason);
  }
}
