package dev.awa.core.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Not API. Instants as PostgreSQL {@code timestamptz} parameters, and the range that type can hold.
 *
 * <p>Every instant Awa sends is text with an explicit {@code +00} offset, so neither the JVM's
 * default zone nor the session's {@code TimeZone} can shift it. Two pgjdbc behaviours rule out the
 * obvious binds: {@code java.sql.Timestamp} elements of a {@code timestamptz[]} array are written
 * as JVM-local wall-clock time without offset (read back in the session zone: shifted by the
 * difference, and ambiguous inside a DST repeated hour), and {@code setObject(OffsetDateTime)} maps
 * instants in 4713 BC to {@code -infinity}. The text is cut to microseconds (PostgreSQL's
 * precision), so every path stores the same value for the same instant.
 */
public final class PgTime {
  /** Earliest instant {@code timestamptz} can store: 4714-11-24 00:00:00 UTC BC (Julian day 0). */
  public static final Instant MIN = LocalDateTime.of(-4713, 11, 24, 0, 0).toInstant(ZoneOffset.UTC);

  /** Latest instant {@code timestamptz} can store: 294276-12-31 23:59:59.999999 UTC. */
  public static final Instant MAX =
      LocalDateTime.of(294276, 12, 31, 23, 59, 59, 999_999_000).toInstant(ZoneOffset.UTC);

  /** The range in words, for error messages. */
  public static final String RANGE =
      "between 4714-11-24T00:00:00Z BC and 294276-12-31T23:59:59.999999Z (PostgreSQL's"
          + " timestamptz range)";

  private PgTime() {}

  /** Whether {@code at} (cut to microseconds) fits in {@code timestamptz}. */
  public static boolean inRange(Instant at) {
    Instant micros = at.truncatedTo(ChronoUnit.MICROS);
    return !micros.isBefore(MIN) && !micros.isAfter(MAX);
  }

  /**
   * Whether {@code now + duration} fits in {@code timestamptz} (and does not overflow Java's own
   * arithmetic); {@code duration} must not be negative.
   */
  public static boolean fitsAfterNow(java.time.Duration duration) {
    return duration.compareTo(java.time.Duration.between(Instant.now(), MAX)) <= 0;
  }

  /**
   * {@code at} as {@code timestamptz} input text in UTC with an explicit offset, e.g. {@code
   * 2026-10-25 00:30:00.000000+00} or {@code 0044-03-15 12:00:00.000000+00 BC}.
   */
  public static String text(Instant at) {
    LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    int isoYear = t.getYear();
    // ISO year 0 is 1 BC, -1 is 2 BC; PostgreSQL has no year 0.
    boolean bc = isoYear <= 0;
    int year = bc ? 1 - isoYear : isoYear;
    StringBuilder out = new StringBuilder(36);
    pad(out, year, 4).append('-');
    pad(out, t.getMonthValue(), 2).append('-');
    pad(out, t.getDayOfMonth(), 2).append(' ');
    pad(out, t.getHour(), 2).append(':');
    pad(out, t.getMinute(), 2).append(':');
    pad(out, t.getSecond(), 2).append('.');
    pad(out, t.getNano() / 1000, 6).append("+00");
    return bc ? out.append(" BC").toString() : out.toString();
  }

  /**
   * Binds {@code at} (null: SQL NULL) as parameter {@code index}. The parameter is sent untyped, so
   * the server infers {@code timestamptz} from the context ({@code col = ?}, {@code
   * ?::timestamptz}).
   */
  public static void bind(PreparedStatement ps, int index, Instant at) throws SQLException {
    if (at == null) {
      ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(index, text(at), Types.OTHER);
    }
  }

  private static StringBuilder pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    return out.append(digits);
  }
}
