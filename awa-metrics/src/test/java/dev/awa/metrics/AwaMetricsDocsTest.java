package dev.awa.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.maintenance.QueueStats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/metrics.md and the Grafana dashboard honest: every published meter is documented, and
 * the dashboard queries only series that awa-metrics publishes.
 */
class AwaMetricsDocsTest {
  private static final Path DOCS = Path.of("..", "docs");
  private static final Pattern SERIES = Pattern.compile("awa_[a-z_]+");

  /** Every series name a scrape shows once every listener method was called. */
  private static Set<String> publishedSeries() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AwaMetrics m = AwaMetrics.bind(registry);
    JobRow job =
        new JobRow(
            1,
            "k",
            "q",
            "{}",
            JobState.RUNNING,
            2,
            1,
            25,
            Instant.now(),
            Instant.now(),
            Instant.now(),
            null,
            null,
            null,
            "[]",
            "{}",
            List.of(),
            null,
            1,
            null,
            null,
            "w");
    m.onEnqueued("q", "k", 1);
    m.onClaimed(job, Duration.ofMillis(1));
    m.onCompleted(job, Duration.ofMillis(1));
    m.onRetried(job, Duration.ofMillis(1));
    m.onFailed(job, Duration.ofMillis(1));
    m.onCancelled(job, Duration.ofMillis(1));
    m.onSnoozed(job, Duration.ofMillis(1));
    m.onLeaderGained("i");
    m.onListenerModeChanged("r", dev.awa.core.ListenerMode.POLLING);
    m.onBranchDuration("b", Duration.ofMillis(1), false);
    m.onBranchLateness("b", Duration.ofMillis(1));
    m.onBranchSkipped("b");
    m.onOverrunEpisode("b", Duration.ofMillis(1), Duration.ofMillis(1));
    m.onRescued("heartbeat", 1, 1);
    m.onPromoted(1);
    m.onCleaned("completed", 1);
    m.onCleanupBacklog("completed", 1, Duration.ofSeconds(1));
    m.onAged(1);
    m.onQueueStats(
        new QueueStats(
            Instant.now(), Map.of("q", Map.of("available", 1L)), Map.of("q", Duration.ZERO)));
    Set<String> names = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        Matcher n = SERIES.matcher(line);
        if (n.lookingAt()) {
          names.add(n.group());
        }
      }
    }
    return names;
  }

  @Test
  void everyMeterNameIsDocumentedWithItsPrometheusName() throws Exception {
    String doc = Files.readString(DOCS.resolve("metrics.md"));
    Set<String> missing = new TreeSet<>();
    for (Field f : MeterNames.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String name = (String) f.get(null);
        if (!doc.contains("`" + name + "`")) {
          missing.add(name);
        }
      }
    }
    for (String series : publishedSeries()) {
      String family = series.replaceAll("_(bucket|count|sum|max)$", "");
      if (!doc.contains(family)) {
        missing.add(series);
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void dashboardIsValidJsonAndUsesOnlyPublishedSeries() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(DOCS.resolve("grafana/awa.json").toFile());
    Set<String> used = new HashSet<>();
    for (JsonNode expr : dashboard.findValues("expr")) {
      Matcher m = SERIES.matcher(expr.asText());
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertThat(used).isNotEmpty();
    assertThat(publishedSeries()).containsAll(used);
  }
}
