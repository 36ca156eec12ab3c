package dev.awa.spring;

import dev.awa.core.AwaException;

/**
 * An {@code awa.*} property (or a worker declaration) was rejected at start-up. {@link #property()}
 * is the full property name, e.g. {@code awa.queues.mail.concurrency}; the message states the
 * limit. {@link AwaPropertyFailureAnalyzer} turns it into Boot's failure report.
 */
public final class AwaPropertyException extends AwaException {
  private static final long serialVersionUID = 1L;
  private final String property;
  private final String reason;

  /** Creates the exception for {@code property} with a reason that states the limit. */
  public AwaPropertyException(String property, String reason) {
    super(property + ": " + reason);
    this.property = property;
    this.reason = reason;
  }

  /** The rejected property, e.g. {@code awa.runtime.poll-interval}. */
  public String property() {
    return property;
  }

  /** What is wrong, with the limit, e.g. {@code must be between PT0.01S and PT1H, was PT0S}. */
  public String reason() {
    return reason;
  }
}
