package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.bench.scenario.DrainScenario;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the drain scenario small: the runtime must start and complete every job exactly once (by the
 * handler's and the completion listener's ledger and by the rows), and the ceilings too.
 */
@AwaTest
class DrainScenarioSmokeTest {

  @Test
  void runtimeDrainsEveryJobExactlyOnce(TestDatabase db) throws Exception {
    DrainScenario scenario =
        new DrainScenario()
            .jobCounts(List.of(2_000))
            .workerCounts(List.of(4, 16))
            .ceiling(4, 20)
            .warmupJobs(100);

    ScenarioResult result = scenario.run(new BenchContext(db.server(), Progress.silent(), 1));

    assertThat(result.checks())
        .containsKeys(
            "runtime_4w_lost_2000",
            "runtime_16w_doubled_2000",
            "runtime_16w_db_unfinished_2000",
            "runtime_16w_db_attempt_not_1_2000",
            "ceiling_lost_2000")
        .allSatisfy((name, violations) -> assertThat(violations).as(name).isZero());
    assertThat(result.metrics())
        .containsKeys("runtime_16w_jobs_per_s_2000", "runtime_16w_pct_of_ceiling_2000");
  }
}
