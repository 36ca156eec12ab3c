package dev.awa.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Gauges of one name keyed by their tag values, fed with whole snapshots. A key that is missing
 * from a later snapshot drops to 0 instead of vanishing (a vanished series leaves Grafana showing
 * the last value as a flat line) or keeping its old value (which would leak a stale depth). The set
 * of keys only grows, and it is bounded by queue names, states and branch names, never by jobs.
 *
 * <p>Every gauge of the table reads 0 while {@code active} is false: the numbers come from the
 * maintenance leader, and a process that does not lead must not keep exporting what it last saw.
 */
final class GaugeTable {
  private final MeterRegistry registry;
  private final String name;
  private final String description;
  private final String baseUnit;
  private final String[] tagKeys;
  private final BooleanSupplier active;
  private final Map<Tags, GaugeCell> cells = new ConcurrentHashMap<>();

  GaugeTable(
      MeterRegistry registry,
      String name,
      String description,
      String baseUnit,
      BooleanSupplier active,
      String... tagKeys) {
    this.registry = registry;
    this.name = name;
    this.description = description;
    this.baseUnit = baseUnit;
    this.tagKeys = tagKeys.clone();
    this.active = active;
  }

  /** Sets one gauge, registering it on first use; {@code tagValues} follow the tag keys. */
  void set(double value, String... tagValues) {
    cell(tagValues).set(value);
  }

  /**
   * Replaces the whole table: every key in {@code values} gets its value, every other known key 0.
   * Keys are the tag values in tag-key order.
   */
  void replaceAll(Map<Tags, Double> values) {
    for (Map.Entry<Tags, GaugeCell> known : cells.entrySet()) {
      if (!values.containsKey(known.getKey())) {
        known.getValue().set(0);
      }
    }
    values.forEach((tags, v) -> cellFor(tags).set(v));
  }

  /** Sets every known gauge to 0, so nothing old shows if this process leads again. */
  void zeroAll() {
    cells.values().forEach(c -> c.set(0));
  }

  /** The tags of one key, in tag-key order. */
  Tags tags(String... tagValues) {
    if (tagValues.length != tagKeys.length) {
      throw new IllegalArgumentException(name + " takes " + tagKeys.length + " tag values");
    }
    Tags tags = Tags.empty();
    for (int i = 0; i < tagKeys.length; i++) {
      tags = tags.and(tagKeys[i], Meters.tagValue(tagValues[i]));
    }
    return tags;
  }

  private GaugeCell cell(String... tagValues) {
    return cellFor(tags(tagValues));
  }

  private GaugeCell cellFor(Tags tags) {
    return cells.computeIfAbsent(
        tags,
        t -> {
          GaugeCell cell = new GaugeCell();
          Gauge.builder(name, cell, c -> active.getAsBoolean() ? c.get() : 0)
              .description(description)
              .baseUnit(baseUnit)
              .tags(t)
              .strongReference(true)
              .register(registry);
          return cell;
        });
  }
}
