package dev.awa.core;

/** Base of every exception Awa throws; unchecked so enqueue calls stay short. */
public class AwaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message. */
  public AwaException(String message) {
    super(message);
  }

  /** Creates an exception with a message and a cause. */
  public AwaException(String message, Throwable cause) {
    super(message, cause);
  }
}
