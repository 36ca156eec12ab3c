package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's bookkeeping: repetitions, median and range, checks, and the files it writes. */
@AwaTest
class BenchRunnerTest {

  /**
   * A scenario whose figures are known in advance: 999 for a warm-up run, then 10, 30, 20 over
   * three measured repetitions.
   */
  static final class FixedScenario implements Scenario {
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Double> values;
    private final long violations;

    FixedScenario(long violations, boolean withWarmup) {
      this.violations = violations;
      this.values = withWarmup ? List.of(999.0, 10.0, 30.0, 20.0) : List.of(10.0, 30.0, 20.0);
    }

    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public String description() {
      return "Known figures for testing the runner.";
    }

    @Override
    public ScenarioResult run(BenchContext context) {
      double v = values.get(runs.getAndIncrement());
      return new ScenarioResult()
          .setting("size", 3)
          .metric("rate", "jobs/s", v, "a rate")
          .check("lost", context.repetition() == 2 ? violations : 0);
    }
  }

  @Test
  void summarizesRepetitionsAndWritesJsonAndMarkdown(TestDatabase db, @TempDir Path dir)
      throws Exception {
    BenchRunner runner = new BenchRunner(db.server(), 3, 1, dir, Progress.silent());

    BenchReport report = runner.run(new FixedScenario(0, true));

    assertThat(report.repetitions()).isEqualTo(3);
    assertThat(report.warmupRuns()).isEqualTo(1);
    assertThat(report.passed()).isTrue();
    MetricSummary rate = report.metrics().get(0);
    assertThat(rate.median()).isEqualTo(20.0);
    assertThat(rate.min()).isEqualTo(10.0);
    assertThat(rate.max()).isEqualTo(30.0);
    assertThat(rate.values()).containsExactly(10.0, 30.0, 20.0);
    assertThat(report.machine().cores()).isPositive();
    assertThat(report.machine().postgresVersion()).isNotBlank();
    assertThat(report.machine().postgresSettings()).containsKeys("fsync", "synchronous_commit");

    BenchReport read = new JsonReportWriter().read(dir.resolve("fixed.json"));
    assertThat(read.metrics().get(0).median()).isEqualTo(20.0);
    assertThat(read.settings()).containsEntry("size", 3);
    String md = Files.readString(dir.resolve("fixed.md"));
    assertThat(md)
        .contains("# Benchmark `fixed`")
        .contains("| `rate` | 20.00 | 10.00 | 30.00 | jobs/s | a rate |")
        .contains("| PostgreSQL | " + report.machine().postgresVersion() + " |")
        .contains("**all passed**");
  }

  @Test
  void aNonZeroCheckInAnyRepetitionFailsTheReport(TestDatabase db) throws Exception {
    BenchRunner runner = new BenchRunner(db.server(), 3, 0, null, Progress.silent());

    BenchReport report = runner.run(new FixedScenario(4, false));

    assertThat(report.passed()).isFalse();
    assertThat(report.checks().get(1)).containsEntry("lost", 4L);
  }
}
