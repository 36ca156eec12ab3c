package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.bench.scenario.LatencyScenario;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** Runs the latency scenario small: every job enqueued must start exactly once. */
@AwaTest
class LatencyScenarioSmokeTest {

  @Test
  void everyJobIsPickedUpOnce(TestDatabase db) throws Exception {
    LatencyScenario scenario = new LatencyScenario().jobs(100, 200, 20);

    ScenarioResult result = scenario.run(new BenchContext(db.server(), Progress.silent(), 1));

    assertThat(result.checks())
        .containsKeys("lost", "doubled", "warmup_lost")
        .allSatisfy((name, violations) -> assertThat(violations).as(name).isZero());
    assertThat(result.metrics()).containsKeys("pickup_p50_ms", "pickup_p99_ms");
  }
}
