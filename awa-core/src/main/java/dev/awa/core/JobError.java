package dev.awa.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a job's error list: which attempt, when, and what went wrong.
 *
 * @param attempt the attempt that produced the error (1-based)
 * @param at when it was recorded
 * @param errorClass the exception class, or a marker such as {@code rescue.heartbeat}
 * @param message the message (truncated to 4,000 characters)
 */
public record JobError(
    @JsonProperty("attempt") int attempt,
    @JsonProperty("at") Instant at,
    @JsonProperty("error_class") String errorClass,
    @JsonProperty("message") String message) {
  static final int MAX_MESSAGE = 4_000;

  /** Checks the fields and truncates an over-long message. */
  public JobError {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(errorClass, "errorClass");
    message = message == null ? "" : message;
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE);
    }
  }

  /** An error entry for {@code t} raised by attempt {@code attempt}, recorded now. */
  public static JobError of(int attempt, Throwable t) {
    String msg = t.getMessage() == null ? t.toString() : t.getMessage();
    return new JobError(attempt, Instant.now(), t.getClass().getName(), msg);
  }
}
