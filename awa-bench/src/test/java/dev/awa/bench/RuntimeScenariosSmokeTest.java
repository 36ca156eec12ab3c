package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.bench.scenario.FairnessScenario;
import dev.awa.bench.scenario.HandlerSweepScenario;
import dev.awa.bench.scenario.IdleScenario;
import dev.awa.bench.scenario.ScaleScenario;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The runtime scenarios (sweep, fairness, scale, idle) run small: every job is run and completed
 * exactly once by one attempt, and each reports its figures. Nothing about their values.
 */
@AwaTest
class RuntimeScenariosSmokeTest {

  @Test
  void sweepRunsEveryJobOnce(TestDatabase db) throws Exception {
    ScenarioResult r =
        new HandlerSweepScenario()
            .shape(300, List.of(1), List.of(4))
            .run(new BenchContext(db.server(), Progress.silent(), 1));
    assertThat(r.checks())
        .containsKeys("runtime_4w_1ms_lost", "runtime_4w_1ms_db_attempt_not_1")
        .allSatisfy((name, v) -> assertThat(v).as(name).isZero());
    assertThat(r.metrics()).containsKeys("runtime_4w_1ms_pct_of_ideal", "ceiling_jobs_per_s");
  }

  @Test
  void fairnessRunsEveryJobOnceAcrossRuntimes(TestDatabase db) throws Exception {
    ScenarioResult r =
        new FairnessScenario()
            .shape(2_000, 3, 4)
            .run(new BenchContext(db.server(), Progress.silent(), 1));
    assertThat(r.checks())
        .containsKeys("3_runtimes_lost", "3_runtimes_doubled", "one_runtime_lost")
        .allSatisfy((name, v) -> assertThat(v).as(name).isZero());
    assertThat(r.metrics())
        .containsKeys("share_runtime_1", "share_runtime_3", "total_vs_one_runtime");
    double shares =
        r.value("share_runtime_1") + r.value("share_runtime_2") + r.value("share_runtime_3");
    assertThat(shares).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Test
  void scaleRunsEveryJobOnceAndReportsWhatTheyLeaveBehind(TestDatabase db) throws Exception {
    ScenarioResult r =
        new ScaleScenario()
            .shape(List.of(500, 1_000), List.of("off"), 1)
            .schemas(List.of("v3", "current"))
            .bareWatermark(true)
            .run(new BenchContext(db.server(), Progress.silent(), 1));
    assertThat(r.checks())
        .containsKeys(
            "runtime_lost_1000_av_off_v3",
            "runtime_db_unfinished_1000_av_off_current",
            "bare_watermark_lost_1000_av_off_current",
            "bare_doubled_500_av_off_v3")
        .allSatisfy((name, v) -> assertThat(v).as(name).isZero());
    assertThat(r.metrics())
        .containsKeys(
            "runtime_dead_tuples_per_job_1000_av_off_current",
            "runtime_hot_updates_per_job_1000_av_off_v3",
            "runtime_index_growth_per_job_1000_av_off_current",
            "bare_jobs_per_s_500_av_off_v3",
            "bare_watermark_jobs_per_s_500_av_off_current",
            "runtime_vs_first_1000_av_off_current");
    // Every update of a drain is counted once all of its backends flushed their statistics.
    assertThat(r.value("runtime_updates_per_job_1000_av_off_current")).isGreaterThanOrEqualTo(2);
  }

  @Test
  void idleReportsTransactionsAndConnections(TestDatabase db) throws Exception {
    ScenarioResult r =
        new IdleScenario()
            .shape(List.of(2), 1, 1)
            .run(new BenchContext(db.server(), Progress.silent(), 1));
    assertThat(r.metrics()).containsKeys("tx_per_s_2q", "connections_2q");
    assertThat(r.checks()).containsKey("leader_elected_2q");
  }
}
