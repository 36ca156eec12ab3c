package dev.awa.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one repetition of a scenario produced: the settings it ran with, its metrics in report
 * order, and its correctness checks (counts that must be zero, such as lost or doubled jobs).
 */
public final class ScenarioResult {
  private final Map<String, Object> settings = new LinkedHashMap<>();
  private final Map<String, Metric> metrics = new LinkedHashMap<>();
  private final Map<String, Long> checks = new LinkedHashMap<>();

  /** Records a setting; later values of the same key replace earlier ones. */
  public ScenarioResult setting(String key, Object value) {
    settings.put(key, value);
    return this;
  }

  /** Records a metric. */
  public ScenarioResult metric(String name, String unit, double value, String description) {
    metrics.put(name, new Metric(name, unit, value, description));
    return this;
  }

  /**
   * Records a correctness check: a count that must be zero for the run to be valid (jobs lost,
   * completed twice, rows left unfinished).
   */
  public ScenarioResult check(String name, long violations) {
    checks.put(name, violations);
    return this;
  }

  /** Settings in insertion order. */
  public Map<String, Object> settings() {
    return Collections.unmodifiableMap(settings);
  }

  /** Metrics in insertion order. */
  public Map<String, Metric> metrics() {
    return Collections.unmodifiableMap(metrics);
  }

  /** Correctness checks in insertion order. */
  public Map<String, Long> checks() {
    return Collections.unmodifiableMap(checks);
  }

  /** Whether every check is zero. */
  public boolean passed() {
    return checks.values().stream().allMatch(v -> v == 0);
  }

  /** The value of metric {@code name}; throws when absent. */
  public double value(String name) {
    Metric m = metrics.get(name);
    if (m == null) {
      throw new IllegalArgumentException("no metric " + name + " in " + metrics.keySet());
    }
    return m.value();
  }
}
