package dev.awa.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.testing.AwaTest;
import dev.awa.testing.PgBouncer;
import dev.awa.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** {@code awa.runtime.listener.mode} follows real runtimes: direct, behind a pooler, closed. */
@AwaTest
class AwaListenerModeMetricsTest {

  private static double mode(MeterRegistry registry, String mode) {
    return registry.get(MeterNames.LISTENER_MODE).tag("mode", mode).gauge().value();
  }

  private static AwaRuntime runtime(DataSource ds, AwaMetrics metrics, String instanceId) {
    // Two runtimes of one process share ProcessIdentity's instance id by default (one
    // runtime_instances row per process); the gauge counts instances, so name them apart here.
    return AwaRuntime.builder(ds)
        .instanceId(instanceId)
        .listener(metrics)
        .queue("modes", 1)
        .register("noop", ctx -> JobResult.completed())
        .build();
  }

  @Test
  void countsRuntimesThatListenAndThatPoll(TestDatabase db) {
    MeterRegistry registry = new SimpleMeterRegistry();
    AwaMetrics metrics = AwaMetrics.bind(registry);
    assertThat(mode(registry, "listen")).isZero();
    assertThat(mode(registry, "polling")).isZero();
    try (AwaRuntime direct = runtime(db.newDataSource(6, "direct"), metrics, "direct")) {
      direct.start();
      await().atMost(Duration.ofSeconds(15)).until(() -> mode(registry, "listen") == 1);
      PgBouncer.assumeInstalled();
      try (PgBouncer bouncer = PgBouncer.start(db, PgBouncer.PoolMode.TRANSACTION);
          AwaRuntime pooled = runtime(bouncer.newDataSource(6, "pooled"), metrics, "pooled")) {
        pooled.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> mode(registry, "polling") == 1);
        assertThat(mode(registry, "listen")).isEqualTo(1);
        pooled.close();
        assertThat(mode(registry, "polling")).isZero();
      }
    }
    assertThat(mode(registry, "listen")).isZero();
  }
}
