package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.InvalidArgumentException;
import dev.awa.core.InvalidJobException;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import dev.awa.testing.TimeZones;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cron stores the instants it computes exactly, whatever the JVM's default zone and the session's
 * {@code TimeZone}: the sync baseline, every fire's {@code last_fire_at} and {@code fire_at}
 * (through Berlin's autumn repeated hour), and the resume time of {@link CronAdmin}. Also: names
 * and args PostgreSQL cannot store are refused where they are given.
 */
@AwaTest
class CronTimeZoneTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final String EVERY_HALF_HOUR = "0,30 * * * *";

  /** Before Berlin's autumn change; the pass at {@link #PASS} covers both 02:00-03:00 hours. */
  private static final Instant SYNCED = Instant.parse("2026-10-24T23:45:00.123456Z");

  private static final Instant PASS = Instant.parse("2026-10-25T02:10:00Z");
  private static final Instant RESUMED = Instant.parse("2026-10-25T03:10:00.654321Z");

  private final TestDatabase db;

  CronTimeZoneTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  @ParameterizedTest(name = "JVM {0}, session {1}")
  @MethodSource("dev.awa.testing.TimeZones#matrix")
  void syncFiresAndResumeStoreTheComputedInstants(String jvmZone, String sessionZone)
      throws Exception {
    TimeZones.withZones(
        db,
        jvmZone,
        sessionZone,
        pool -> {
          PeriodicJob halfHourly =
              PeriodicJob.builder("half-hourly", EVERY_HALF_HOUR)
                  .timeZone(BERLIN)
                  .job(NewJob.builder("tick").queue("cron").build())
                  .missedFirePolicy(MissedFirePolicy.CATCH_UP)
                  .catchUpLimit(20)
                  .build();
          new CronSync(pool, List.of(halfHourly), new ObjectMapper()).sync(SYNCED);
          assertThat(lastFireText()).isEqualTo(TimeZones.utcText(SYNCED));

          List<Instant> expected =
              CronEvaluator.dueFires(
                  EVERY_HALF_HOUR, BERLIN, MissedFirePolicy.CATCH_UP, 20, SYNCED, PASS);
          // Both passes through Berlin's 02:30 (CEST, then CET) are among them.
          assertThat(expected)
              .contains(
                  Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-25T01:30:00Z"));
          assertThat(new CronEvaluator(pool).evaluate(PASS)).isEqualTo(expected.size());
          assertThat(fireTimes()).containsExactlyElementsOf(expected);
          assertThat(lastFireText())
              .isEqualTo(TimeZones.utcText(expected.get(expected.size() - 1)));

          CronAdmin admin = new CronAdmin(pool, Clock.fixed(RESUMED, ZoneOffset.UTC));
          assertThat(admin.pause("half-hourly")).isTrue();
          assertThat(admin.resume("half-hourly")).isTrue();
          assertThat(lastFireText()).isEqualTo(TimeZones.utcText(RESUMED));
        });
  }

  private String lastFireText() {
    return db.queryStrings("SELECT " + TimeZones.utcTextSql("last_fire_at") + " FROM awa.cron_jobs")
        .get(0);
  }

  private List<Instant> fireTimes() {
    return db
        .queryStrings(
            "SELECT metadata->'awa_cron'->>'fire_at' FROM awa.jobs"
                + " WHERE metadata->'awa_cron'->>'name' = 'half-hourly' ORDER BY id")
        .stream()
        .map(t -> OffsetDateTime.parse(t).toInstant())
        .toList();
  }

  @Test
  void unstorableNamesAndArgsAreRefusedWhereTheyAreGiven() {
    assertThatThrownBy(
            () ->
                PeriodicJob.builder("nul\u0000name", EVERY_HALF_HOUR)
                    .job(NewJob.builder("tick").build())
                    .build())
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("name"));
    PeriodicJob badArgs =
        PeriodicJob.builder("bad-args", EVERY_HALF_HOUR)
            .job(NewJob.builder("tick").args(Map.of("v", "lone \uD800")).build())
            .build();
    assertThatThrownBy(
            () -> MaintenanceService.builder(db.dataSource()).periodicJob(badArgs).build())
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("args"));
    PeriodicJob scalarArgs =
        PeriodicJob.builder("scalar-args", EVERY_HALF_HOUR)
            .job(NewJob.builder("tick").args(42).build())
            .build();
    assertThatThrownBy(
            () -> MaintenanceService.builder(db.dataSource()).periodicJob(scalarArgs).build())
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("args"));

    CronAdmin admin = new CronAdmin(db.dataSource());
    for (String name : List.of("nul\u0000name", "lone \uDC00", " ")) {
      assertThatThrownBy(() -> admin.pause(name))
          .isInstanceOfSatisfying(
              InvalidArgumentException.class, e -> assertThat(e.argument()).isEqualTo("name"));
      assertThatThrownBy(() -> admin.triggerNow(name)).isInstanceOf(InvalidArgumentException.class);
    }
    assertThat(db.queryLong("SELECT count(*) FROM awa.cron_jobs")).isZero();
  }
}
