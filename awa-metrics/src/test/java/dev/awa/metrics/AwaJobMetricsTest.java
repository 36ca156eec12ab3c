package dev.awa.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Job meters against a real runtime: counters must agree with what the database says. */
@AwaTest
class AwaJobMetricsTest {
  private static final Duration AT_MOST = Duration.ofSeconds(60);
  private static final int JOBS = 1_000;

  private final TestDatabase db;

  AwaJobMetricsTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  /** What the handler does with job {@code n}. */
  record Work(int n) {}

  @Test
  void countersMatchTheDatabaseAfterAThousandJobs() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AwaMetrics metrics = AwaMetrics.bind(registry);
    DataSource ds = db.newDataSource(12, "jobs");
    AwaClient client = AwaClient.builder(ds).listener(metrics).build();

    // 10 % fail for good: 50 by JobResult.fail, 50 by throwing on both of their two attempts.
    // Another 100 throw once and then complete, so retries happen on jobs that complete too.
    List<NewJob> jobs = new ArrayList<>();
    for (int n = 0; n < JOBS; n++) {
      NewJob.Builder b = NewJob.builder("work").queue("mj").args(new Work(n));
      jobs.add((n % 20 == 1 ? b.maxAttempts(2) : b).build());
    }
    client.enqueueMany(jobs);

    try (AwaRuntime runtime =
        AwaRuntime.builder(ds)
            .client(client)
            .queue("mj", 8)
            .retryPolicy(attempt -> Duration.ZERO) // retried at once: no promotion needed
            .register(
                "work",
                ctx -> {
                  int n = ctx.args(Work.class).n();
                  if (n % 20 == 0) {
                    return JobResult.fail("no");
                  }
                  if (n % 20 == 1) {
                    throw new IllegalStateException("always");
                  }
                  if (n % 10 == 2 && ctx.attempt() == 1) {
                    throw new IllegalStateException("first attempt only");
                  }
                  return JobResult.completed();
                })
            .build()) {
      metrics.bindRuntime(runtime);
      runtime.start();
      await()
          .atMost(AT_MOST)
          .until(() -> db.countJobs("completed") + db.countJobs("failed") == JOBS);
    }

    long completed = db.countJobs("completed");
    long failed = db.countJobs("failed");
    long retried = db.queryLong("SELECT sum(attempt - 1) FROM awa.jobs WHERE queue = 'mj'");
    long attempts = db.queryLong("SELECT sum(attempt) FROM awa.jobs WHERE queue = 'mj'");
    assertThat(completed).isEqualTo(900);
    assertThat(failed).isEqualTo(100);
    assertThat(retried).isEqualTo(150);

    String[] tags = {"queue", "mj", "kind", "work"};
    await()
        .atMost(AT_MOST)
        .untilAsserted(
            () -> {
              Scrape s = Scrape.of(registry);
              assertThat(s.value("awa_job_enqueued_total", tags)).hasValue(JOBS);
              assertThat(s.value("awa_job_claimed_total", tags)).hasValue(attempts);
              assertThat(s.value("awa_job_completed_total", tags)).hasValue(completed);
              assertThat(s.value("awa_job_retried_total", tags)).hasValue(retried);
              assertThat(s.value("awa_job_failed_total", tags)).hasValue(failed);
              assertThat(s.valueOrZero("awa_job_cancelled_total", tags)).isZero();
              assertThat(
                      s.value(
                          "awa_job_duration_seconds_count",
                          "queue",
                          "mj",
                          "kind",
                          "work",
                          "outcome",
                          "completed"))
                  .hasValue(completed);
              assertThat(s.value("awa_job_wait_seconds_count", "queue", "mj")).hasValue(attempts);
              assertThat(s.text())
                  .contains("awa_job_duration_seconds_bucket{kind=\"work\",outcome=\"failed\"")
                  .contains("awa_job_wait_seconds_bucket{queue=\"mj\",le=\"0.001\"}")
                  .doesNotContain("job_id");
              assertThat(s.value("awa_job_in_flight")).hasValue(0);
            });
  }

  @Test
  void inFlightGaugeReadsTheRuntime() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AwaMetrics metrics = AwaMetrics.bind(registry);
    DataSource ds = db.newDataSource(8, "inflight");
    CountDownLatch started = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    try (AwaRuntime runtime =
        AwaRuntime.builder(ds)
            .listener(metrics)
            .queue("fq", 4)
            .register(
                "hold",
                ctx -> {
                  started.countDown();
                  release.await(60, TimeUnit.SECONDS);
                  return JobResult.completed();
                })
            .build()) {
      metrics.bindRuntime(runtime);
      runtime
          .client()
          .enqueueMany(
              List.of(
                  NewJob.builder("hold").queue("fq").build(),
                  NewJob.builder("hold").queue("fq").build()));
      runtime.start();
      assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(Scrape.of(registry).value("awa_job_in_flight")).hasValue(2);
      release.countDown();
      await()
          .atMost(AT_MOST)
          .untilAsserted(
              () -> assertThat(Scrape.of(registry).value("awa_job_in_flight")).hasValue(0));
    }
  }

  /**
   * A cancelled job is counted, and a job parked for a callback leaves in-flight although no
   * AwaListener call marks the end of its attempt (why the gauge reads the runtime).
   */
  @Test
  void cancelledAndParkedJobs() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AwaMetrics metrics = AwaMetrics.bind(registry);
    DataSource ds = db.newDataSource(8, "parked");
    try (AwaRuntime runtime =
        AwaRuntime.builder(ds)
            .listener(metrics)
            .queue("pq", 4)
            .register("stop", ctx -> JobResult.cancel("not needed"))
            .register(
                "park",
                ctx -> {
                  ctx.registerCallback(Duration.ofHours(1));
                  return JobResult.waitForCallback();
                })
            .build()) {
      metrics.bindRuntime(runtime);
      runtime
          .client()
          .enqueueMany(
              List.of(
                  NewJob.builder("stop").queue("pq").build(),
                  NewJob.builder("park").queue("pq").build()));
      runtime.start();
      await()
          .atMost(AT_MOST)
          .untilAsserted(
              () -> {
                assertThat(db.countJobs("waiting_external")).isEqualTo(1);
                Scrape s = Scrape.of(registry);
                assertThat(s.value("awa_job_cancelled_total", "queue", "pq", "kind", "stop"))
                    .hasValue(1);
                assertThat(s.value("awa_job_claimed_total", "queue", "pq")).hasValue(2);
                assertThat(s.value("awa_job_in_flight")).hasValue(0);
              });
    }
  }
}
