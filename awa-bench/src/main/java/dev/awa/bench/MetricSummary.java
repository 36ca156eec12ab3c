package dev.awa.bench;

import java.util.Arrays;
import java.util.List;

/**
 * A metric across the repetitions of a scenario: median and range, plus every value so nothing is
 * hidden by the summary.
 *
 * @param name metric identifier
 * @param unit unit of every value
 * @param description what it is, in words
 * @param median median of the values (mean of the middle two for an even count)
 * @param min smallest value
 * @param max largest value
 * @param values each repetition's value, in run order
 */
public record MetricSummary(
    String name,
    String unit,
    String description,
    double median,
    double min,
    double max,
    List<Double> values) {

  /** Summarizes the values of metric {@code first.name()} across runs. */
  static MetricSummary of(Metric first, List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new MetricSummary(
        first.name(),
        first.unit(),
        first.description(),
        median,
        sorted[0],
        sorted[n - 1],
        List.copyOf(values));
  }

  @Override
  public String toString() {
    return name + " " + median + " " + unit + " " + Arrays.toString(values.toArray());
  }
}
