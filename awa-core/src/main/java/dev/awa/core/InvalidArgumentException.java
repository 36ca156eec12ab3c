package dev.awa.core;

/**
 * An argument of a client call that is not a job (a queue name, a limit, a timeout, a callback
 * result, a lease) was rejected before anything reached the database. {@link #argument()} names the
 * parameter and the message states the limit. Bad jobs get {@link InvalidJobException}.
 */
public final class InvalidArgumentException extends AwaException {
  private static final long serialVersionUID = 1L;
  private final String argument;

  /** Creates the exception for {@code argument} with a message stating the limit. */
  public InvalidArgumentException(String argument, String message) {
    super(argument + ": " + message);
    this.argument = argument;
  }

  /** The name of the rejected parameter, e.g. {@code queue}. */
  public String argument() {
    return argument;
  }
}
