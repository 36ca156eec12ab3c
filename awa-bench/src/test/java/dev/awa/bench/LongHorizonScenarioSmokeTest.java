package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.bench.scenario.LongHorizonScenario;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the long-horizon maintenance scenario for a few seconds per variant with small data and
 * short rescue intervals: nothing lost, nothing doubled, no deadlock, no failed branch body, every
 * injected lease rescued — in SINGLE, SPLIT and SPLIT with a second leader.
 */
@AwaTest
class LongHorizonScenarioSmokeTest {

  @Test
  void everyVariantLosesAndDoublesNothing(TestDatabase db) throws Exception {
    LongHorizonScenario scenario =
        new LongHorizonScenario()
            .configure(0.15, List.of("SINGLE", "SPLIT", "SPLIT_OVERLAP"), 20_000, 5_000)
            .intervals(2, 10);

    ScenarioResult result = scenario.run(new BenchContext(db.server(), Progress.silent(), 1));

    assertThat(result.checks())
        .containsKeys(
            "single_lost", "split_doubled", "split_overlap_lost", "split_overlap_deadlocks")
        .allSatisfy((name, violations) -> assertThat(violations).as(name).isZero());
    assertThat(result.value("split_overlap_injected_jobs")).isPositive();
    assertThat(result.metrics()).containsKey("split_promote_scheduled_lateness_p99_ms");
  }
}
