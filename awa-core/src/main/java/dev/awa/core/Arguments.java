package dev.awa.core;

import dev.awa.core.internal.PgText;
import dev.awa.core.internal.PgTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks of client-call arguments that are not jobs, each throwing {@link InvalidArgumentException}
 * naming the parameter, so that nothing a caller passes turns into a database error.
 */
final class Arguments {
  private Arguments() {}

  static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new InvalidArgumentException(name, "must not be null");
    }
    return value;
  }

  /** A queue name: as {@link NewJob.Builder#queue(String)} accepts it. */
  static String queue(String name, String queue) {
    if (queue == null || queue.isBlank() || queue.length() > NewJob.MAX_NAME_LENGTH) {
      throw new InvalidArgumentException(
          name, "must be non-blank and at most " + NewJob.MAX_NAME_LENGTH + " characters");
    }
    return text(name, queue);
  }

  /** Text PostgreSQL can store (null passes). */
  static String text(String name, String value) {
    String problem = value == null ? null : PgText.textProblem(value);
    if (problem != null) {
      throw new InvalidArgumentException(name, problem);
    }
    return value;
  }

  /** JSON text {@code jsonb} can store. */
  static String json(String name, String json) {
    String problem = PgText.jsonProblem(json);
    if (problem != null) {
      throw new InvalidArgumentException(name, problem);
    }
    return json;
  }

  /** A positive duration whose end, from now, PostgreSQL can store. */
  static Duration positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new InvalidArgumentException(name, "must be a positive duration");
    }
    return fits(name, d);
  }

  /** A zero or positive duration whose end, from now, PostgreSQL can store. */
  static Duration nonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new InvalidArgumentException(name, "must be zero or positive");
    }
    return fits(name, d);
  }

  /** An instant PostgreSQL can store. */
  static Instant instant(String name, Instant at) {
    notNull(name, at);
    if (!PgTime.inRange(at)) {
      throw new InvalidArgumentException(name, "must be " + PgTime.RANGE + ", was " + at);
    }
    return at;
  }

  private static Duration fits(String name, Duration d) {
    if (!PgTime.fitsAfterNow(d)) {
      throw new InvalidArgumentException(
          name, "must end, counted from now, " + PgTime.RANGE + "; was " + d);
    }
    return d;
  }
}
