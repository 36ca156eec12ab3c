package dev.awa.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.awa.maintenance.QueueStats;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The binding without a database: names and buckets as Prometheus renders them, one object per
 * registry, gauges that drop to 0, and no exception whatever the SPI hands over.
 */
class AwaMetricsBindingTest {

  @Test
  void bindReturnsOneObjectPerRegistry() {
    SimpleMeterRegistry a = new SimpleMeterRegistry();
    SimpleMeterRegistry b = new SimpleMeterRegistry();
    assertThat(AwaMetrics.bind(a)).isSameAs(AwaMetrics.bind(a)).isNotSameAs(AwaMetrics.bind(b));
  }

  @Test
  void followerShowsLeaderZeroAndTimersHaveExplicitBuckets() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AwaMetrics metrics = AwaMetrics.bind(registry);
    assertThat(Scrape.of(registry).value("awa_maintenance_leader")).hasValue(0);

    metrics.onBranchDuration("cleanup", Duration.ofMillis(3), true);
    String text = Scrape.of(registry).text();
    assertThat(text)
        .contains("awa_maintenance_branch_duration_seconds_bucket{branch=\"cleanup\",le=\"0.001\"}")
        .contains("awa_maintenance_branch_duration_seconds_bucket{branch=\"cleanup\",le=\"60.0\"}")
        .contains("awa_maintenance_branch_duration_seconds_bucket{branch=\"cleanup\",le=\"+Inf\"}");
  }

  @Test
  void queueGaugesDropToZeroWhenAPairDisappearsOrLeadershipEnds() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AwaMetrics metrics = AwaMetrics.bind(registry);
    metrics.onLeaderGained("me");
    metrics.onQueueStats(
        new QueueStats(
            Instant.now(),
            Map.of("q", Map.of("available", 5L, "scheduled", 2L)),
            Map.of("q", Duration.ofSeconds(90))));
    Scrape s = Scrape.of(registry);
    assertThat(s.value("awa_queue_depth", "queue", "q", "state", "available")).hasValue(5);
    assertThat(s.value("awa_queue_lag_seconds", "queue", "q")).hasValue(90);

    metrics.onQueueStats(
        new QueueStats(Instant.now(), Map.of("q", Map.of("scheduled", 1L)), Map.of()));
    s = Scrape.of(registry);
    assertThat(s.value("awa_queue_depth", "queue", "q", "state", "available")).hasValue(0);
    assertThat(s.value("awa_queue_depth", "queue", "q", "state", "scheduled")).hasValue(1);
    assertThat(s.value("awa_queue_lag_seconds", "queue", "q")).hasValue(0);

    metrics.onLeaderLost("me", "test");
    metrics.onQueueStats( // a body that was still running when leadership ended
        new QueueStats(Instant.now(), Map.of("q", Map.of("scheduled", 7L)), Map.of()));
    s = Scrape.of(registry);
    assertThat(s.value("awa_queue_depth", "queue", "q", "state", "scheduled")).hasValue(0);
    assertThat(s.value("awa_maintenance_leader")).hasValue(0);
  }

  @Test
  void neverThrowsOnNullsOrNonsense() {
    AwaMetrics metrics = AwaMetrics.bind(new SimpleMeterRegistry());
    assertThatCode(
            () -> {
              metrics.onEnqueued(null, null, 3);
              metrics.onClaimed(null, null);
              metrics.onCompleted(null, Duration.ofMillis(1));
              metrics.onBranchDuration(null, null, false);
              metrics.onBranchLateness("x", Duration.ofMillis(-5));
              metrics.onRescued(null, -1, -1);
              metrics.onQueueStats(null);
              metrics.onLeaderLost(null, null);
              metrics.onCleanupBacklog(null, -1, null);
            })
        .doesNotThrowAnyException();
  }

  @Test
  void delayedBranchReadsZeroWhileNotLeadingAndComesBackWithLeadership() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AwaMetrics metrics = AwaMetrics.bind(registry);
    metrics.onLeaderGained("me");
    metrics.onOverrunEpisode("promote_scheduled", Duration.ofMillis(40), Duration.ofMillis(10));
    String name = "awa_maintenance_branch_delayed";
    assertThat(Scrape.of(registry).value(name, "branch", "promote_scheduled")).hasValue(1);

    metrics.onLeaderLost("me", "test");
    assertThat(Scrape.of(registry).value(name, "branch", "promote_scheduled")).hasValue(0);

    // The branch's overrun state survives the leadership change, so the flag comes back with it.
    metrics.onLeaderGained("me");
    assertThat(Scrape.of(registry).value(name, "branch", "promote_scheduled")).hasValue(1);
    metrics.onOverrunRecovered("promote_scheduled");
    assertThat(Scrape.of(registry).value(name, "branch", "promote_scheduled")).hasValue(0);
    assertThat(Scrape.of(registry).value("awa_maintenance_branch_overrun_total")).hasValue(1);
  }
}
