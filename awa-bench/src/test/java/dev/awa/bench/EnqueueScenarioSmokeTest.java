package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.bench.scenario.EnqueueScenario;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import org.junit.jupiter.api.Test;

/** Runs the enqueue scenario with tiny counts: every path must insert exactly what it was given. */
@AwaTest
class EnqueueScenarioSmokeTest {

  @Test
  void everyPathInsertsEveryJobOnce(TestDatabase db) throws Exception {
    EnqueueScenario scenario = new EnqueueScenario().singleJobs(50).batchJobs(1_000).batchSize(300);

    // Repetitions 1 and 2 run the two batch paths in opposite orders.
    for (int repetition = 1; repetition <= 2; repetition++) {
      ScenarioResult result =
          scenario.run(new BenchContext(db.server(), Progress.silent(), repetition));

      assertThat(result.checks())
          .containsKeys(
              "single_row_count_mismatch",
              "copy_ids_mismatch",
              "copy_row_count_mismatch",
              "unnest_ids_mismatch",
              "unnest_row_count_mismatch")
          .allSatisfy((name, violations) -> assertThat(violations).as(name).isZero());
      assertThat(result.metrics())
          .containsKeys(
              "single_jobs_per_s", "copy_jobs_per_s", "unnest_jobs_per_s", "copy_vs_unnest");
      assertThat(result.settings()).containsEntry("batch_size", 300);
    }
  }
}
