package dev.awa.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * The time-zone matrix for tests that store instants: JVM default zones and session {@code
 * TimeZone}s that differ from UTC (and from each other, across DST), so a timestamp bound as local
 * wall-clock time shows up as a shifted value.
 *
 * <p>The session zone is set with {@code SET TIME ZONE} on every new connection of the pool: the
 * {@code options=-c TimeZone=...} URL parameter does not work with pgjdbc, which sends the JVM's
 * default zone as the {@code TimeZone} startup parameter and so overrides {@code options}.
 */
public final class TimeZones {
  /** JVM default zones: UTC, a half-hour offset, and two zones with DST in different weeks. */
  public static final List<String> JVM_ZONES =
      List.of("UTC", "Asia/Kolkata", "America/Los_Angeles", "Europe/Berlin");

  /** Session {@code TimeZone}s. */
  public static final List<String> SESSION_ZONES =
      List.of("UTC", "America/Los_Angeles", "Asia/Kolkata");

  private TimeZones() {}

  /**
   * Renders the {@code timestamptz} expression {@code column} on the server as UTC text to the
   * microsecond with its era, e.g. {@code 2026-10-25 00:30:00.000000 AD}: exact over PostgreSQL's
   * whole range and free of any driver conversion (epoch seconds are not exact at the top end,
   * where {@code extract} rounds them). Compare with {@link #utcText(Instant)}.
   */
  public static String utcTextSql(String column) {
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US BC')";
  }

  /** {@code at} cut to microseconds, rendered as {@link #utcTextSql(String)} renders it. */
  public static String utcText(Instant at) {
    LocalDateTime t = LocalDateTime.ofInstant(at.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    int year = t.getYear();
    return String.format(
        "%04d-%02d-%02d %02d:%02d:%02d.%06d %s",
        year <= 0 ? 1 - year : year,
        t.getMonthValue(),
        t.getDayOfMonth(),
        t.getHour(),
        t.getMinute(),
        t.getSecond(),
        t.getNano() / 1000,
        year <= 0 ? "BC" : "AD");
  }

  /**
   * Every (JVM zone, session zone) pair, for
   * {@code @MethodSource("dev.awa.testing.TimeZones#matrix")} on a test taking {@code (String
   * jvmZone, String sessionZone)}.
   */
  public static Stream<Object[]> matrix() {
    return JVM_ZONES.stream()
        .flatMap(jvm -> SESSION_ZONES.stream().map(session -> new Object[] {jvm, session}));
  }

  /** Work over a pool, run in a given pair of zones. */
  @FunctionalInterface
  public interface PoolWork {
    /** Does the work. */
    void run(DataSource pool) throws Exception;
  }

  /**
   * Runs {@code work} with the JVM's default zone set to {@code jvmZone} over a fresh pool on
   * {@code db} whose sessions are in {@code sessionZone} (checked with {@code SHOW TimeZone}), then
   * closes the pool and restores the default zone.
   */
  public static void withZones(TestDatabase db, String jvmZone, String sessionZone, PoolWork work)
      throws Exception {
    inJvmZone(
        jvmZone,
        () -> {
          try (HikariDataSource pool = sessionPool(db, sessionZone)) {
            try (Connection c = pool.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW TimeZone")) {
              rs.next();
              if (!sessionZone.equals(rs.getString(1))) {
                throw new IllegalStateException(
                    "session zone is " + rs.getString(1) + ", not " + sessionZone);
              }
            }
            work.run(pool);
          }
        });
  }

  /** Work that may throw, run in a given JVM zone. */
  @FunctionalInterface
  public interface ZoneWork {
    /** Does the work. */
    void run() throws Exception;
  }

  /**
   * Runs {@code work} with the JVM's default zone set to {@code zone}, restoring the previous
   * default afterwards (tests in one JVM run one after another, so nothing else sees it).
   */
  public static void inJvmZone(String zone, ZoneWork work) throws Exception {
    TimeZone previous = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(ZoneId.of(zone)));
    try {
      work.run();
    } finally {
      TimeZone.setDefault(previous);
    }
  }

  /**
   * A small pool on {@code db} whose every connection runs in session zone {@code sessionZone}. The
   * caller closes it.
   */
  public static HikariDataSource sessionPool(TestDatabase db, String sessionZone) {
    ZoneId.of(sessionZone); // refuses anything that is not a zone id before it reaches SQL
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(db.jdbcUrl());
    if (db.user() != null) {
      config.setUsername(db.user());
      config.setPassword(db.password());
    }
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setPoolName("awa-tz-" + sessionZone.replace('/', '-'));
    config.setConnectionInitSql("SET TIME ZONE '" + sessionZone + "'");
    return new HikariDataSource(config);
  }
}
