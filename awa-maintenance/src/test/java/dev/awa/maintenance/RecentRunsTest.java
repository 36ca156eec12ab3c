package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RecentRunsTest {
  @Test
  void noRunsNoPercentiles() {
    RecentRuns.Percentiles p = new RecentRuns().percentiles();
    assertThat(p.runs()).isZero();
    assertThat(p.durationP50()).isNull();
    assertThat(p.latenessP99()).isNull();
  }

  @Test
  void nearestRankOverTheLastRunsOnly() {
    RecentRuns runs = new RecentRuns();
    // 100 old runs of 1 s are pushed out by 128 newer ones of 1..128 ms.
    for (int i = 0; i < 100; i++) {
      runs.record(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }
    for (int i = 1; i <= RecentRuns.CAPACITY; i++) {
      runs.record(Duration.ofMillis(i), Duration.ofMillis(2L * i));
    }
    RecentRuns.Percentiles p = runs.percentiles();
    assertThat(p.runs()).isEqualTo(RecentRuns.CAPACITY);
    assertThat(p.durationP50()).isEqualTo(Duration.ofMillis(64));
    assertThat(p.durationP99()).isEqualTo(Duration.ofMillis(127));
    assertThat(p.latenessP50()).isEqualTo(Duration.ofMillis(128));
    assertThat(p.latenessP99()).isEqualTo(Duration.ofMillis(254));
  }
}
