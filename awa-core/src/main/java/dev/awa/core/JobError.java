package dev.awa.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.awa.core.internal.PgText;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a job's error list: which attempt, when, and what went wrong.
 *
 * <p>The text is diagnostic and must always be storable, because it is written when an attempt ends
 * (often from an exception message nobody chose): a message over {@value #MAX_MESSAGE} characters
 * is truncated (never inside a surrogate pair), and characters PostgreSQL cannot store (NUL, lone
 * UTF-16 surrogates) in the message or error class are replaced by U+FFFD. Job data (args,
 * metadata, names) is never changed like this; it is refused instead (see {@link NewJob}).
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
    errorClass = storable(Objects.requireNonNull(errorClass, "errorClass"));
    message = message == null ? "" : message;
    if (message.length() > MAX_MESSAGE) {
      int cut =
          Character.isHighSurrogate(message.charAt(MAX_MESSAGE - 1))
              ? MAX_MESSAGE - 1
              : MAX_MESSAGE;
      message = message.substring(0, cut);
    }
    message = storable(message);
  }

  /** {@code text} with NUL and lone surrogates replaced by U+FFFD. */
  private static String storable(String text) {
    if (PgText.textProblem(text) == null) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (Character.isHighSurrogate(ch)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(ch).append(text.charAt(++i));
      } else if (ch == 0 || Character.isSurrogate(ch)) {
        out.append('\uFFFD');
      } else {
        out.append(ch);
      }
    }
    return out.toString();
  }

  /** An error entry for {@code t} raised by attempt {@code attempt}, recorded now. */
  public static JobError of(int attempt, Throwable t) {
    String msg = t.getMessage() == null ? t.toString() : t.getMessage();
    return new JobError(attempt, Instant.now(), t.getClass().getName(), msg);
  }
}
