package dev.awa.core;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.awa.core.internal.PgText;
import java.io.PrintWriter;
import java.io.StringWriter;
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
 * @param stackTrace the exception's stack trace as {@link Throwable#printStackTrace()} writes it,
 *     truncated to 8,000 characters; null when there is none (a rescue marker, an error recorded by
 *     a user's own loop without a throwable, or a row written before stack traces were kept)
 */
public record JobError(
    @JsonProperty("attempt") int attempt,
    @JsonProperty("at") Instant at,
    @JsonProperty("error_class") String errorClass,
    @JsonProperty("message") String message,
    @JsonProperty("stack_trace") String stackTrace) {
  static final int MAX_MESSAGE = 4_000;

  /**
   * Bounds the stored trace: enough for the frames that explain a failure (a deep framework stack
   * still fits its top and its cause), small enough that 25 attempts stay well under a page.
   */
  static final int MAX_STACK_TRACE = 8_000;

  /** Checks the fields and truncates an over-long message or stack trace. */
  public JobError {
    Objects.requireNonNull(at, "at");
    errorClass = storable(Objects.requireNonNull(errorClass, "errorClass"));
    message = storable(truncate(message == null ? "" : message, MAX_MESSAGE));
    stackTrace = stackTrace == null ? null : storable(truncate(stackTrace, MAX_STACK_TRACE));
  }

  /** An entry without a stack trace. */
  public JobError(int attempt, Instant at, String errorClass, String message) {
    this(attempt, at, errorClass, message, null);
  }

  /** {@code text} cut to {@code max} characters, never inside a surrogate pair. */
  private static String truncate(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int cut = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
    return text.substring(0, cut);
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
    StringWriter trace = new StringWriter();
    t.printStackTrace(new PrintWriter(trace));
    return new JobError(attempt, Instant.now(), t.getClass().getName(), msg, trace.toString());
  }
}
