package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.bench.scenario.CeilingScenario;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the ceiling scenario with a small drain: both paths must complete every job exactly once, by
 * the ledger kept while draining and by the rows left in the database.
 */
@AwaTest
class CeilingScenarioSmokeTest {

  @Test
  void bothDrainsCompleteEveryJobExactlyOnce(TestDatabase db) throws Exception {
    CeilingScenario scenario =
        new CeilingScenario().jobCounts(List.of(1_500)).threads(4).batchSize(7).warmupJobs(50);

    // Repetitions 1 and 2 start with different paths.
    for (int repetition = 1; repetition <= 2; repetition++) {
      ScenarioResult result =
          scenario.run(new BenchContext(db.server(), Progress.silent(), repetition));

      for (String path : List.of("ceiling", "ceiling_awa_indexes", "claim_api")) {
        assertThat(result.checks())
            .containsEntry(path + "_lost_1500", 0L)
            .containsEntry(path + "_doubled_1500", 0L)
            .containsEntry(path + "_unknown_ids_1500", 0L)
            .containsEntry(path + "_db_unfinished_1500", 0L)
            .containsEntry(path + "_db_attempt_not_1_1500", 0L)
            .containsEntry(path + "_db_row_count_mismatch_1500", 0L);
      }
      assertThat(result.passed()).isTrue();
      assertThat(result.metrics())
          .containsKeys(
              "ceiling_jobs_per_s_1500",
              "claim_api_jobs_per_s_1500",
              "claim_api_pct_of_ceiling_1500",
              "ceiling_awa_indexes_jobs_per_s_1500");
    }
  }
}
