package dev.awa.core;

/**
 * A runtime or queue option was rejected when it was set. {@link #field()} names the option and the
 * message states the limit.
 */
public final class InvalidConfigException extends AwaException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /** Creates the exception for {@code field} with a message stating the limit. */
  public InvalidConfigException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The name of the rejected option, e.g. {@code concurrency}. */
  public String field() {
    return field;
  }
}
