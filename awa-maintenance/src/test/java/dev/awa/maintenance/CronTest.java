package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.InvalidJobException;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwaTest
class CronTest {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private final TestDatabase db;

  CronTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private static PeriodicJob everyMinute(String name, MissedFirePolicy policy, int limit) {
    return PeriodicJob.builder(name, "* * * * *")
        .job(NewJob.builder("tick").queue("cron").args(Map.of("n", name)).build())
        .missedFirePolicy(policy)
        .catchUpLimit(limit)
        .build();
  }

  private void declare(DataSource ds, Instant now, PeriodicJob... jobs) {
    new CronSync(ds, List.of(jobs), new ObjectMapper()).sync(now);
  }

  private List<String> fireTimes(String name) {
    return db.queryStrings(
        "SELECT metadata->'awa_cron'->>'fire_at' FROM awa.jobs"
            + " WHERE metadata->'awa_cron'->>'name' = ? ORDER BY id",
        name);
  }

  @Test
  void twoLeadersAcrossOneHundredFiresEnqueueEachExactlyOnce() throws Exception {
    declare(db.dataSource(), T0, everyMinute("race", MissedFirePolicy.CATCH_UP, 5));
    CronEvaluator a = new CronEvaluator(db.newDataSource(2, "leader-a"));
    CronEvaluator b = new CronEvaluator(db.newDataSource(2, "leader-b"));
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<Integer>> results = new ArrayList<>();
    for (CronEvaluator evaluator : List.of(a, b)) {
      results.add(
          pool.submit(
              () -> {
                int total = 0;
                for (int minute = 1; minute <= 100; minute++) {
                  Instant now = T0.plus(Duration.ofMinutes(minute)).plusMillis(250);
                  together.await();
                  total += evaluator.evaluate(now);
                }
                return total;
              }));
    }
    int enqueued = 0;
    for (Future<Integer> f : results) {
      enqueued += f.get();
    }
    pool.shutdown();

    List<String> fires = fireTimes("race");
    assertThat(enqueued).isEqualTo(100);
    assertThat(fires).hasSize(100).doesNotHaveDuplicates();
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE queue = 'cron'")).isEqualTo(100L);
  }

  @Test
  void coalesceEnqueuesOnlyTheLatestMissedFire() {
    declare(db.dataSource(), T0, everyMinute("co", MissedFirePolicy.COALESCE, 10));
    CronEvaluator evaluator = new CronEvaluator(db.dataSource());
    assertThat(evaluator.evaluate(T0.plus(Duration.ofMinutes(10)).plusSeconds(5))).isEqualTo(1);
    assertThat(fireTimes("co")).singleElement().asString().contains("00:10:00");
    assertThat(evaluator.evaluate(T0.plus(Duration.ofMinutes(10)).plusSeconds(30))).isZero();
  }

  @Test
  void catchUpEnqueuesEveryMissedFireOldestFirst() {
    declare(db.dataSource(), T0, everyMinute("cu", MissedFirePolicy.CATCH_UP, 20));
    CronEvaluator evaluator = new CronEvaluator(db.dataSource());
    assertThat(evaluator.evaluate(T0.plus(Duration.ofMinutes(10)).plusSeconds(5))).isEqualTo(10);
    List<String> fires = fireTimes("cu");
    assertThat(fires).hasSize(10).isSorted();
    assertThat(fires.get(0)).contains("00:01:00");
    assertThat(fires.get(9)).contains("00:10:00");
  }

  @Test
  void catchUpIsCappedPerPass() {
    declare(db.dataSource(), T0, everyMinute("cap", MissedFirePolicy.CATCH_UP, 3));
    CronEvaluator evaluator = new CronEvaluator(db.dataSource());
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(5);
    List<Integer> passes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      passes.add(evaluator.evaluate(now));
    }
    assertThat(passes).containsExactly(3, 3, 3, 1, 0);
    assertThat(fireTimes("cap")).hasSize(10).doesNotHaveDuplicates();
  }

  @Test
  void daylightSavingChangesInLondonFireOncePerDay() {
    ZoneId london = ZoneId.of("Europe/London");
    PeriodicJob nightly =
        PeriodicJob.builder("nightly", "30 1 * * *")
            .timeZone(london)
            .job(NewJob.builder("report").queue("cron").build())
            .build();
    CronEvaluator evaluator = new CronEvaluator(db.dataSource());
    // 2026-03-29: 01:00 GMT jumps to 02:00 BST (01:30 does not exist).
    // 2026-10-25: 02:00 BST falls back to 01:00 GMT (01:30 happens twice).
    for (LocalDate start : List.of(LocalDate.of(2026, 3, 27), LocalDate.of(2026, 10, 23))) {
      db.truncateJobs();
      Instant from = start.atStartOfDay(london).toInstant();
      declare(db.dataSource(), from, nightly);
      for (Instant now = from;
          now.isBefore(from.plus(Duration.ofDays(5)));
          now = now.plus(Duration.ofMinutes(10))) {
        evaluator.evaluate(now);
      }
      List<String> fires = fireTimes("nightly");
      Map<LocalDate, Long> perDay =
          fires.stream()
              .map(f -> Instant.parse(f.replace(" ", "T").replaceFirst("\\+00(:00)?$", "Z")))
              .collect(
                  Collectors.groupingBy(
                      i -> i.atZone(london).toLocalDate(), Collectors.counting()));
      assertThat(fires).doesNotHaveDuplicates();
      assertThat(perDay.values()).allMatch(n -> n == 1);
      // Every ordinary day of the window fired, and the fall-back day fired exactly once.
      assertThat(perDay)
          .containsKeys(start, start.plusDays(1), start.plusDays(3), start.plusDays(4));
      if (start.getMonthValue() == 10) {
        assertThat(perDay).containsEntry(LocalDate.of(2026, 10, 25), 1L);
      } else {
        // 01:30 does not exist on the spring-forward day; cron-utils skips it (documented).
        assertThat(perDay).doesNotContainKey(LocalDate.of(2026, 3, 29));
      }
    }
  }

  @Test
  void invalidExpressionsAndZonesAreRejectedAtDeclaration() {
    NewJob job = NewJob.builder("x").build();
    assertThatThrownBy(() -> PeriodicJob.builder("bad", "61 * * * *").job(job).build())
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("cronExpression"))
        .hasMessageContaining("61 * * * *");
    assertThatThrownBy(() -> PeriodicJob.builder("bad", "* * *").job(job).build())
        .hasMessageContaining("expected 5 (or 6 with seconds)");
    assertThatThrownBy(() -> PeriodicJob.builder("bad", "* * * * *").timeZone("Mars/Olympus"))
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("timeZone"));
    assertThatThrownBy(() -> PeriodicJob.builder("bad", "* * * * *").build())
        .hasMessageContaining("job");
    assertThatThrownBy(
            () -> PeriodicJob.builder("bad", "* * * * *").job(job).catchUpLimit(0).build())
        .hasMessageContaining("catchUpLimit");
    assertThat(PeriodicJob.builder("secs", "*/15 * * * * *").job(job).build().cronExpression())
        .isEqualTo("*/15 * * * * *");
  }

  @Test
  void pausedScheduleEnqueuesNothingAndTriggerNowStillWorks() {
    declare(db.dataSource(), T0, everyMinute("p", MissedFirePolicy.CATCH_UP, 10));
    Clock clock = Clock.fixed(T0.plus(Duration.ofMinutes(5)), ZoneOffset.UTC);
    CronAdmin admin = new CronAdmin(db.dataSource(), clock);
    CronEvaluator evaluator = new CronEvaluator(db.dataSource());
    assertThat(admin.pause("p")).isTrue();
    assertThat(evaluator.evaluate(T0.plus(Duration.ofMinutes(5)))).isZero();
    assertThat(admin.triggerNow("p")).isPresent();
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isEqualTo(1L);
    assertThat(db.queryStrings("SELECT metadata->'awa_cron'->>'trigger' FROM awa.jobs"))
        .containsExactly("manual");

    CronSchedule listed = admin.list().get(0);
    assertThat(listed.paused()).isTrue();
    assertThat(listed.nextFireAt()).isNull();
    assertThat(listed.lastFireAt()).isEqualTo(T0);

    // Resuming restarts from now: the five minutes spent paused are not replayed.
    assertThat(admin.resume("p")).isTrue();
    assertThat(evaluator.evaluate(T0.plus(Duration.ofMinutes(5)).plusSeconds(1))).isZero();
    assertThat(evaluator.evaluate(T0.plus(Duration.ofMinutes(6)).plusSeconds(1))).isEqualTo(1);
    assertThat(admin.list().get(0).nextFireAt()).isEqualTo(T0.plus(Duration.ofMinutes(7)));

    assertThat(admin.delete("p")).isTrue();
    assertThat(admin.list()).isEmpty();
    assertThat(admin.triggerNow("p")).isEmpty();
    assertThat(admin.pause("nope")).isFalse();
  }

  @Test
  void byDefaultSyncEvaluationAndResumeUseTheDatabaseClock() {
    long before = db.queryLong("SELECT (extract(epoch FROM now()) * 1000)::bigint");
    declare(db.dataSource(), null, everyMinute("db", MissedFirePolicy.CATCH_UP, 10));
    String started = "SELECT (extract(epoch FROM last_fire_at) * 1000)::bigint FROM awa.cron_jobs";
    long syncedAt = db.queryLong(started);
    assertThat(syncedAt).isGreaterThanOrEqualTo(before);
    // An hour in the past by the database's clock: due fires are found without an app clock.
    db.update("UPDATE awa.cron_jobs SET last_fire_at = now() - interval '1 hour'");
    assertThat(new CronEvaluator(db.dataSource()).evaluate(null)).isEqualTo(10);
    CronAdmin admin = new CronAdmin(db.dataSource());
    assertThat(admin.pause("db")).isTrue();
    db.update("UPDATE awa.cron_jobs SET last_fire_at = now() - interval '1 hour'");
    long beforeResume = db.queryLong("SELECT (extract(epoch FROM now()) * 1000)::bigint");
    assertThat(admin.resume("db")).isTrue();
    assertThat(db.queryLong(started)).isGreaterThanOrEqualTo(beforeResume);
  }

  @Test
  void syncIsAdditiveAndKeepsPauseAndLastFire() {
    declare(db.dataSource(), T0, everyMinute("one", MissedFirePolicy.COALESCE, 1));
    declare(db.dataSource(), T0, everyMinute("two", MissedFirePolicy.COALESCE, 1));
    new CronAdmin(db.dataSource()).pause("one");
    declare(
        db.dataSource(), T0.plusSeconds(3600), everyMinute("one", MissedFirePolicy.CATCH_UP, 5));
    List<CronSchedule> all = new CronAdmin(db.dataSource(), Clock.fixed(T0, ZoneOffset.UTC)).list();
    assertThat(all).extracting(CronSchedule::name).containsExactly("one", "two");
    assertThat(all.get(0).paused()).isTrue();
    assertThat(all.get(0).missedFirePolicy()).isEqualTo(MissedFirePolicy.CATCH_UP);
    assertThat(all.get(0).lastFireAt()).isEqualTo(T0);
  }

  @Test
  void theLeaderSyncsDeclaredSchedulesAndFiresThem() {
    PeriodicJob everySecond =
        PeriodicJob.builder("heartbeat-report", "* * * * * *")
            .job(NewJob.builder("tick").queue("cron").build())
            .build();
    List<MaintenanceService> services = new ArrayList<>();
    try {
      for (String name : List.of("svc-a", "svc-b")) {
        MaintenanceService svc =
            MaintenanceService.builder(db.newDataSource(6, name))
                .periodicJob(everySecond)
                .interval(MaintenanceService.CRON_SYNC, Duration.ofMillis(200))
                .build();
        svc.start();
        services.add(svc);
      }
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> fireTimes("heartbeat-report").size() >= 3);
      assertThat(fireTimes("heartbeat-report")).doesNotHaveDuplicates();
      assertThat(services.stream().filter(MaintenanceService::isLeader)).hasSize(1);
    } finally {
      services.forEach(MaintenanceService::close);
    }
  }

  @Test
  void declaringTheSameNameTwiceIsRejected() {
    PeriodicJob job = everyMinute("twice", MissedFirePolicy.COALESCE, 1);
    assertThatThrownBy(
            () -> MaintenanceService.builder(db.dataSource()).periodicJob(job).periodicJob(job))
        .isInstanceOf(InvalidMaintenanceConfigException.class)
        .hasMessageContaining("declared twice");
  }
}
