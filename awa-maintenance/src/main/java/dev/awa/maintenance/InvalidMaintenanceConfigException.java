package dev.awa.maintenance;

import dev.awa.core.AwaException;

/**
 * A {@link MaintenanceService.Builder} setting was rejected. {@link #field()} names the setting and
 * the message states the limit.
 */
public final class InvalidMaintenanceConfigException extends AwaException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /** Creates the exception for {@code field} with a message stating the limit. */
  public InvalidMaintenanceConfigException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The rejected setting, e.g. {@code promoteBatchSize}. */
  public String field() {
    return field;
  }
}
