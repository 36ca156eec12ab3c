package dev.awa.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The full outcome of running one scenario several times: what ran, where, with which settings, the
 * per-metric summaries, and every repetition's correctness checks. This is what the JSON file holds
 * and what the Markdown table is rendered from.
 *
 * @param scenario scenario name
 * @param description what it measures
 * @param startedAt UTC start, ISO-8601
 * @param finishedAt UTC end, ISO-8601
 * @param repetitions how many measured repetitions the figures summarize
 * @param warmupRuns discarded repetitions run first
 * @param machine where it ran
 * @param loadAverageAtEnd one-minute load average when it finished
 * @param settings the scenario's settings (identical in every repetition)
 * @param metrics one summary per metric, in the scenario's order
 * @param checks correctness checks per repetition (all zero when valid)
 * @param passed whether every check of every repetition was zero
 */
public record BenchReport(
    String scenario,
    String description,
    String startedAt,
    String finishedAt,
    int repetitions,
    int warmupRuns,
    MachineInfo machine,
    double loadAverageAtEnd,
    Map<String, Object> settings,
    List<MetricSummary> metrics,
    List<Map<String, Long>> checks,
    boolean passed) {

  /** Summarizes {@code runs} of {@code scenario}. */
  static BenchReport summarize(
      Scenario scenario,
      int warmupRuns,
      String startedAt,
      String finishedAt,
      MachineInfo machine,
      double loadAverageAtEnd,
      List<ScenarioResult> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs to summarize");
    }
    Map<String, List<Double>> values = new LinkedHashMap<>();
    Map<String, Metric> firsts = new LinkedHashMap<>();
    for (ScenarioResult run : runs) {
      for (Metric m : run.metrics().values()) {
        firsts.putIfAbsent(m.name(), m);
        values.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(m.value());
      }
    }
    List<MetricSummary> summaries = new ArrayList<>();
    firsts.forEach((name, first) -> summaries.add(MetricSummary.of(first, values.get(name))));
    List<Map<String, Long>> checks = runs.stream().map(ScenarioResult::checks).toList();
    return new BenchReport(
        scenario.name(),
        scenario.description(),
        startedAt,
        finishedAt,
        runs.size(),
        warmupRuns,
        machine,
        loadAverageAtEnd,
        runs.get(0).settings(),
        summaries,
        checks,
        runs.stream().allMatch(ScenarioResult::passed));
  }
}
