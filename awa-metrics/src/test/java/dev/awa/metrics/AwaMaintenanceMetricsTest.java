package dev.awa.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Maintenance meters as a Prometheus scrape shows them, against a real PostgreSQL. */
@AwaTest
class AwaMaintenanceMetricsTest {
  private static final Duration AT_MOST = Duration.ofSeconds(60);

  private final TestDatabase db;
  private final List<MaintenanceService> services = new ArrayList<>();

  AwaMaintenanceMetricsTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  @AfterEach
  void stop() {
    services.forEach(MaintenanceService::close);
    services.clear();
  }

  /** A started service with fast election, its own pool, and {@code metrics} as its listener. */
  private MaintenanceService start(
      String id, AwaMetrics metrics, UnaryOperator<MaintenanceService.Builder> tune) {
    MaintenanceService.Builder b =
        MaintenanceService.builder(db.newDataSource(4, "maint-" + id))
            .instanceId(id)
            .listener(metrics)
            .electionInterval(Duration.ofMillis(200))
            .healthCheckInterval(Duration.ofMillis(100))
            .healthCheckTimeout(Duration.ofSeconds(1));
    MaintenanceService s = tune.apply(b).build();
    services.add(s);
    return s.start();
  }

  private static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @Test
  void overrunEpisodeOfPromoteScheduledIsCounted() throws Exception {
    PrometheusMeterRegistry registry = registry();
    try (Connection locker = db.openConnection()) {
      // The promote statement needs a ROW SHARE lock on scheduled_jobs; holding ACCESS EXCLUSIVE
      // makes every promote body wait out its 100 ms statement timeout, far beyond 1.5 x 10 ms.
      // SKIP LOCKED skips locked rows but not a locked table, so this is deterministic.
      locker.setAutoCommit(false);
      try (Statement st = locker.createStatement()) {
        st.execute("LOCK TABLE awa.scheduled_jobs IN ACCESS EXCLUSIVE MODE");
      }
      start(
          "overrun",
          AwaMetrics.bind(registry),
          b ->
              b.interval(MaintenanceService.PROMOTE_SCHEDULED, Duration.ofMillis(10))
                  .statementTimeout(Duration.ofMillis(100)));

      await()
          .atMost(AT_MOST)
          .untilAsserted(
              () ->
                  assertThat(
                          Scrape.of(registry)
                              .value(
                                  "awa_maintenance_branch_overrun_total",
                                  "branch",
                                  "promote_scheduled"))
                      .hasValue(1));
      Scrape s = Scrape.of(registry);
      assertThat(s.text())
          .contains("awa_maintenance_branch_overrun_total{branch=\"promote_scheduled\"} 1");
      assertThat(s.value("awa_maintenance_branch_delayed", "branch", "promote_scheduled"))
          .hasValue(1);
      assertThat(
              s.valueOrZero("awa_maintenance_branch_errors_total", "branch", "promote_scheduled"))
          .isGreaterThanOrEqualTo(3);
      locker.rollback();
    }
  }

  @Test
  void cleanupPublishesDurationBucketsAndDeletedCount() {
    AwaClient client = AwaClient.create(db.dataSource());
    for (int i = 0; i < 3; i++) {
      client.enqueue(NewJob.builder("old").queue("cq").build());
    }
    db.update(
        "UPDATE awa.jobs SET state = 'completed', finalized_at = now() - interval '2 days'"
            + " WHERE queue = 'cq'");
    PrometheusMeterRegistry registry = registry();
    start("cleanup", AwaMetrics.bind(registry), b -> b);

    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              Scrape s = Scrape.of(registry);
              assertThat(s.text())
                  .contains(
                      "awa_maintenance_branch_duration_seconds_bucket{branch=\"cleanup\",le=\"0.001\"}")
                  .contains(
                      "awa_maintenance_branch_duration_seconds_bucket{branch=\"cleanup\",le=\"60.0\"}");
              assertThat(s.value("awa_maintenance_cleanup_deleted_total", "state", "completed"))
                  .hasValue(3);
              assertThat(s.value("awa_maintenance_cleanup_backlog", "state", "completed"))
                  .hasValue(0);
            });
    assertThat(db.countJobs("completed")).isZero();
  }

  @Test
  void leaderGaugeIsOneOnExactlyOneOfTwoServices() {
    PrometheusMeterRegistry ra = registry();
    PrometheusMeterRegistry rb = registry();
    MaintenanceService a = start("a", AwaMetrics.bind(ra), b -> b);
    MaintenanceService b = start("b", AwaMetrics.bind(rb), x -> x);

    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              double la = Scrape.of(ra).value("awa_maintenance_leader").orElseThrow();
              double lb = Scrape.of(rb).value("awa_maintenance_leader").orElseThrow();
              assertThat(List.of(la, lb)).containsExactlyInAnyOrder(0.0, 1.0);
              assertThat(la == 1.0).isEqualTo(a.isLeader());
              assertThat(lb == 1.0).isEqualTo(b.isLeader());
            });

    // The leader closes: its gauge drops to 0 and the follower's becomes 1.
    boolean aLed = a.isLeader();
    (aLed ? a : b).close();
    PrometheusMeterRegistry closed = aLed ? ra : rb;
    PrometheusMeterRegistry survivor = aLed ? rb : ra;
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              assertThat(Scrape.of(closed).value("awa_maintenance_leader")).hasValue(0);
              assertThat(Scrape.of(survivor).value("awa_maintenance_leader")).hasValue(1);
            });
  }

  @Test
  void queueGaugesFollowQueueStatsAndDropToZero() {
    AwaClient client = AwaClient.create(db.dataSource());
    for (int i = 0; i < 3; i++) {
      JobRow row = client.enqueue(NewJob.builder("k").queue("mq").build());
      db.backdateRunAt(row.id(), Duration.ofMinutes(10));
    }
    for (int i = 0; i < 2; i++) {
      client.enqueue(NewJob.builder("k").queue("mq").runIn(Duration.ofHours(1)).build());
    }
    PrometheusMeterRegistry registry = registry();
    start(
        "stats",
        AwaMetrics.bind(registry),
        b -> b.interval(MaintenanceService.QUEUE_STATS, Duration.ofMillis(100)));

    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              Scrape s = Scrape.of(registry);
              assertThat(s.value("awa_queue_depth", "queue", "mq", "state", "available"))
                  .hasValue(3);
              assertThat(s.value("awa_queue_depth", "queue", "mq", "state", "scheduled"))
                  .hasValue(2);
              assertThat(s.value("awa_queue_lag_seconds", "queue", "mq").orElseThrow())
                  .isGreaterThanOrEqualTo(600);
            });

    db.truncateJobs();
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              Scrape s = Scrape.of(registry);
              assertThat(s.value("awa_queue_depth", "queue", "mq", "state", "available"))
                  .hasValue(0);
              assertThat(s.value("awa_queue_depth", "queue", "mq", "state", "scheduled"))
                  .hasValue(0);
              assertThat(s.value("awa_queue_lag_seconds", "queue", "mq")).hasValue(0);
            });
  }

  @Test
  void heartbeatRescueIsCountedByKind() {
    AwaClient client = AwaClient.create(db.dataSource());
    client.enqueue(NewJob.builder("k").queue("rq").maxAttempts(1).build());
    client.enqueue(NewJob.builder("k").queue("rq").build());
    List<JobRow> claimed = client.leases().claim("rq", 2, Duration.ofHours(1), "dead-worker");
    assertThat(claimed).hasSize(2);
    db.backdateAllHeartbeats(Duration.ofMinutes(10));
    PrometheusMeterRegistry registry = registry();
    start("rescue", AwaMetrics.bind(registry), b -> b);

    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              Scrape s = Scrape.of(registry);
              assertThat(s.value("awa_maintenance_rescues_total", "kind", "heartbeat")).hasValue(2);
              assertThat(s.value("awa_maintenance_rescues_failed_total", "kind", "heartbeat"))
                  .hasValue(1);
            });
  }
}
