package dev.awa.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** How every Awa timer is built, and how tag values are made safe. */
final class Meters {
  /** The tag value used when the SPI hands over a null name (Micrometer rejects null tags). */
  static final String NONE = "none";

  private Meters() {}

  static String tagValue(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  /**
   * A timer with the explicit 1 ms .. 60 s buckets and no client-side percentiles: bucket counts
   * add up across instances, percentiles computed in each process do not.
   */
  static Timer timer(MeterRegistry registry, String name, String description, Tags tags) {
    return Timer.builder(name)
        .description(description)
        .tags(tags)
        .serviceLevelObjectives(DurationBuckets.SLOS)
        .register(registry);
  }

  /** Negative durations (clock steps, a grid point in the future) are recorded as zero. */
  static Duration nonNegative(Duration d) {
    return d == null || d.isNegative() ? Duration.ZERO : d;
  }
}
