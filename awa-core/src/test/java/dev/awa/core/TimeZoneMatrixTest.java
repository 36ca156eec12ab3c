package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.internal.PgTime;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import dev.awa.testing.TimeZones;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Every path that stores an instant stores exactly that instant, to the microsecond, whatever the
 * JVM's default zone and the session's {@code TimeZone}: enqueue (single, on a connection, {@code
 * enqueueOrGetExisting}, {@code enqueueMany}), retry with a run-at, snooze, and callback timeouts.
 * The instants include both halves of the autumn repeated hour in Berlin and Los Angeles, the
 * spring gap, a BC date and both ends of PostgreSQL's range.
 */
@AwaTest
class TimeZoneMatrixTest {
  /** Past instants (the job is due) and future ones (scheduled; usable for retry). */
  static final List<Instant> INSTANTS =
      List.of(
          Instant.parse("2026-10-25T00:30:00Z"), // Berlin 02:30 CEST, first pass of the hour
          Instant.parse("2026-10-25T01:30:00Z"), // Berlin 02:30 CET, second pass
          Instant.parse("2027-10-31T00:30:00.123456Z"), // the same next year, in the future
          Instant.parse("2027-10-31T01:30:00.654321Z"),
          Instant.parse("2027-11-07T08:30:00Z"), // Los Angeles 01:30 PDT
          Instant.parse("2027-11-07T09:30:00Z"), // Los Angeles 01:30 PST
          Instant.parse("2027-03-28T01:30:00Z"), // Berlin spring-forward (02:30 local is skipped)
          Instant.parse("2030-01-01T00:00:00.123456789Z"), // nanoseconds: cut to .123456
          Instant.parse("-0043-03-15T12:00:00Z"), // 44 BC
          PgTime.MIN,
          PgTime.MAX);

  private final TestDatabase db;

  TimeZoneMatrixTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeAll
  static void logTheJvmZone() {
    // CI runs awa-core once more with -Duser.timezone=...; this line shows in the log that it took.
    LoggerFactory.getLogger(TimeZoneMatrixTest.class)
        .info(
            "JVM default zone at start: {} (user.timezone={})",
            TimeZone.getDefault().getID(),
            System.getProperty("user.timezone"));
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  @ParameterizedTest(name = "JVM {0}, session {1}")
  @MethodSource("dev.awa.testing.TimeZones#matrix")
  void everyEnqueuePathStoresTheRequestedInstant(String jvmZone, String sessionZone)
      throws Exception {
    TimeZones.withZones(
        db,
        jvmZone,
        sessionZone,
        pool -> {
          AwaClient awa = AwaClient.create(pool);
          for (Instant at : INSTANTS) {
            JobRow single = awa.enqueue(NewJob.builder("tz").runAt(at).build());
            assertStored(single, at);

            JobRow onConnection;
            try (Connection c = pool.getConnection()) {
              c.setAutoCommit(false);
              onConnection = awa.enqueue(c, NewJob.builder("tz").runAt(at).build());
              c.commit();
            }
            assertStored(onConnection, at);

            NewJob unique = NewJob.builder("tz").runAt(at).uniqueKey("tz-" + at).build();
            JobRow inserted = awa.enqueueOrGetExisting(unique);
            assertStored(inserted, at);
            assertThat(awa.enqueueOrGetExisting(unique).id()).isEqualTo(inserted.id());
          }
          List<NewJob> batch = new ArrayList<>();
          for (Instant at : INSTANTS) {
            batch.add(NewJob.builder("tz-many").runAt(at).build());
          }
          long[] ids = awa.enqueueMany(batch);
          for (int i = 0; i < ids.length; i++) {
            assertThat(storedText(ids[i]))
                .as("enqueueMany %s", INSTANTS.get(i))
                .isEqualTo(text(INSTANTS.get(i)));
          }
        });
  }

  @ParameterizedTest(name = "JVM {0}, session {1}")
  @MethodSource("dev.awa.testing.TimeZones#matrix")
  void retrySnoozeAndCallbackTimeoutsStoreTheRequestedInstant(String jvmZone, String sessionZone)
      throws Exception {
    TimeZones.withZones(
        db,
        jvmZone,
        sessionZone,
        pool -> {
          AwaClient awa = AwaClient.create(pool);
          Instant soon = Instant.now().plus(Duration.ofMinutes(5));
          List<Instant> future = INSTANTS.stream().filter(soon::isBefore).toList();
          for (Instant at : future) {
            JobRow running = claimOne(awa, "tz-retry");
            assertThat(awa.leases().retry(running, at, JobError.of(1, new Exception("again"))))
                .isEqualTo(LeaseOutcome.APPLIED);
            assertThat(storedText(running.id())).as("retry to %s", at).isEqualTo(text(at));
            assertThat(awa.operator().getJob(running.id()).orElseThrow().runAt())
                .isEqualTo(cut(at));
          }

          JobRow snoozed = claimOne(awa, "tz-snooze");
          Duration delay = Duration.ofHours(3);
          Instant before = Instant.now();
          assertThat(awa.leases().snooze(snoozed, delay)).isEqualTo(LeaseOutcome.APPLIED);
          Instant after = Instant.now();
          // The run-at is computed by this JVM's clock between the two readings.
          assertThat(storedSeconds(snoozed.id()))
              .isBetween(seconds(before.plus(delay)), seconds(after.plus(delay)));

          JobRow waiting = claimOne(awa, "tz-callback");
          Duration timeout = Duration.ofHours(7);
          Instant dbBefore = databaseNow(pool);
          UUID callback = awa.leases().registerCallback(waiting, timeout).orElseThrow();
          Instant dbAfter = databaseNow(pool);
          // The timeout is computed by the database's clock (now() of the statement).
          assertThat(callbackTimeoutSeconds(waiting.id()))
              .isBetween(seconds(dbBefore.plus(timeout)), seconds(dbAfter.plus(timeout)));
          assertThat(awa.leases().parkForCallback(waiting)).isEqualTo(LeaseOutcome.APPLIED);
          Duration extended = Duration.ofHours(2);
          dbBefore = databaseNow(pool);
          assertThat(awa.callbacks().heartbeatCallback(callback, extended))
              .isEqualTo(CallbackOutcome.RESOLVED);
          dbAfter = databaseNow(pool);
          assertThat(callbackTimeoutSeconds(waiting.id()))
              .isBetween(seconds(dbBefore.plus(extended)), seconds(dbAfter.plus(extended)));
          OffsetDateTime read =
              OffsetDateTime.ofInstant(
                  awa.operator().getJob(waiting.id()).orElseThrow().callbackTimeoutAt(),
                  ZoneOffset.UTC);
          assertThat(seconds(read.toInstant())).isEqualTo(callbackTimeoutSeconds(waiting.id()));
        });
  }

  private JobRow claimOne(AwaClient awa, String queue) {
    awa.enqueue(NewJob.builder("tz").queue(queue).build());
    List<JobRow> claimed = awa.leases().claim(queue, 1, Duration.ofMinutes(10), "tz-worker");
    assertThat(claimed).hasSize(1);
    return claimed.get(0);
  }

  private void assertStored(JobRow row, Instant at) {
    assertThat(storedText(row.id())).as("stored run_at for %s", at).isEqualTo(text(at));
    assertThat(row.runAt()).as("returned run_at for %s", at).isEqualTo(cut(at));
  }

  /** The stored run_at rendered by the server (see {@link TimeZones#utcTextSql}). */
  private String storedText(long id) {
    List<String> values =
        db.queryStrings(
            "SELECT "
                + TimeZones.utcTextSql("run_at")
                + " FROM (SELECT run_at FROM awa.jobs WHERE id = ? UNION ALL SELECT run_at FROM"
                + " awa.scheduled_jobs WHERE id = ?) r",
            id,
            id);
    assertThat(values).hasSize(1);
    return values.get(0);
  }

  private static String text(Instant at) {
    return TimeZones.utcText(at);
  }

  /**
   * The stored run_at as exact epoch seconds, computed by the server (no driver conversion).
   * Decimal, because PostgreSQL's range does not fit in a long of epoch microseconds.
   */
  private BigDecimal storedSeconds(long id) {
    return decimal(
        "SELECT extract(epoch FROM run_at)::text FROM (SELECT run_at FROM awa.jobs WHERE id = ?"
            + " UNION ALL SELECT run_at FROM awa.scheduled_jobs WHERE id = ?) r",
        id,
        id);
  }

  private BigDecimal callbackTimeoutSeconds(long id) {
    return decimal(
        "SELECT extract(epoch FROM callback_timeout_at)::text FROM awa.jobs WHERE id = ?", id);
  }

  private BigDecimal decimal(String sql, Object... params) {
    List<String> values = db.queryStrings(sql, params);
    assertThat(values).hasSize(1);
    return new BigDecimal(values.get(0)).setScale(6);
  }

  private static Instant databaseNow(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT now()");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }

  private static Instant cut(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  /** Epoch seconds of {@code at} cut to microseconds, as extract(epoch) gives them. */
  private static BigDecimal seconds(Instant at) {
    Instant cut = cut(at);
    return BigDecimal.valueOf(cut.getEpochSecond())
        .add(BigDecimal.valueOf(cut.getNano() / 1000, 6))
        .setScale(6);
  }
}
