package dev.awa.core;

/**
 * A job or option was rejected before anything reached the database. {@link #field()} names the
 * offending field and the message states the limit.
 */
public final class InvalidJobException extends AwaException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /** Creates the exception for {@code field} with a message stating the limit. */
  public InvalidJobException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The name of the rejected field, e.g. {@code priority}. */
  public String field() {
    return field;
  }
}
