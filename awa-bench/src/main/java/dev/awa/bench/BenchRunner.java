package dev.awa.bench;

import dev.awa.testing.TestDatabaseServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario a fixed number of times, prints progress and each repetition's figures, then
 * summarizes (median and range) and writes {@code <scenario>.json} and {@code <scenario>.md}.
 */
public final class BenchRunner {
  private final TestDatabaseServer server;
  private final int repetitions;
  private final int warmupRuns;
  private final Path outputDirectory;
  private final Progress progress;

  /**
   * @param server where every repetition creates its fresh database
   * @param repetitions how many times to run each scenario (the issue asks for 3)
   * @param warmupRuns discarded repetitions before the measured ones (JIT, page cache, pools)
   * @param outputDirectory where reports go; null to write nothing
   * @param progress where progress lines go
   */
  public BenchRunner(
      TestDatabaseServer server,
      int repetitions,
      int warmupRuns,
      Path outputDirectory,
      Progress progress) {
    if (repetitions < 1) {
      throw new IllegalArgumentException("repetitions must be at least 1");
    }
    if (warmupRuns < 0) {
      throw new IllegalArgumentException("warmupRuns must not be negative");
    }
    this.server = server;
    this.repetitions = repetitions;
    this.warmupRuns = warmupRuns;
    this.outputDirectory = outputDirectory;
    this.progress = progress;
  }

  /** Runs {@code scenario} and returns (and writes) its report. */
  public BenchReport run(Scenario scenario) throws Exception {
    Progress out = progress.withPrefix(scenario.name());
    MachineInfo machine = MachineInfo.probe(server);
    out.line(
        "PostgreSQL "
            + machine.postgresVersion()
            + " ("
            + machine.postgresBackend()
            + ", host "
            + machine.postgresHost()
            + ", fsync="
            + machine.postgresSettings().get("fsync")
            + "), "
            + machine.cores()
            + " cores, load "
            + MarkdownReportWriter.format(machine.loadAverageAtStart()));
    Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 1; i <= warmupRuns; i++) {
      // The first repetition in a fresh JVM ran up to 4x slower than the third (JIT, caches):
      // run the scenario once unmeasured so every reported repetition is warm. Its checks still
      // count: a warm-up that loses jobs is a failure too.
      Progress warm = progress.withPrefix(scenario.name() + " warm-up " + i + "/" + warmupRuns);
      warm.line("start (figures discarded)");
      ScenarioResult discarded = scenario.run(new BenchContext(server, warm, i));
      if (!discarded.passed()) {
        warm.line("CHECK FAILED " + discarded.checks());
        throw new IllegalStateException("warm-up run failed its correctness checks");
      }
    }
    List<ScenarioResult> runs = new ArrayList<>();
    for (int i = 1; i <= repetitions; i++) {
      Progress runProgress = progress.withPrefix(scenario.name() + " " + i + "/" + repetitions);
      runProgress.line("start");
      ScenarioResult result = scenario.run(new BenchContext(server, runProgress, i));
      for (Metric m : result.metrics().values()) {
        runProgress.line(
            m.name() + " = " + MarkdownReportWriter.format(m.value()) + " " + m.unit());
      }
      for (Map.Entry<String, Long> c : result.checks().entrySet()) {
        if (c.getValue() != 0) {
          runProgress.line("CHECK FAILED " + c.getKey() + " = " + c.getValue());
        }
      }
      runs.add(result);
    }
    Instant finished = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    double loadAtEnd = MachineInfo.probe(server).loadAverageAtStart();
    BenchReport report =
        BenchReport.summarize(
            scenario,
            warmupRuns,
            started.toString(),
            finished.toString(),
            machine,
            loadAtEnd,
            runs);
    for (MetricSummary m : report.metrics()) {
      out.line(
          "median "
              + m.name()
              + " = "
              + MarkdownReportWriter.format(m.median())
              + " "
              + m.unit()
              + " (range "
              + MarkdownReportWriter.format(m.min())
              + "–"
              + MarkdownReportWriter.format(m.max())
              + ")");
    }
    out.line(report.passed() ? "all correctness checks passed" : "CORRECTNESS CHECKS FAILED");
    if (outputDirectory != null) {
      write(report);
    }
    return report;
  }

  private void write(BenchReport report) throws IOException {
    Path json = outputDirectory.resolve(report.scenario() + ".json");
    Path md = outputDirectory.resolve(report.scenario() + ".md");
    new JsonReportWriter().write(report, json);
    new MarkdownReportWriter().write(report, md);
    progress.withPrefix(report.scenario()).line("wrote " + json + " and " + md);
  }
}
