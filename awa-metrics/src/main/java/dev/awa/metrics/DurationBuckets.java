package dev.awa.metrics;

import java.time.Duration;

/**
 * Explicit histogram buckets from 1 ms to 60 s for every Awa timer, so Prometheus gets {@code
 * _bucket} series with stable {@code le} labels that can be aggregated across instances (client
 * side percentiles cannot).
 */
final class DurationBuckets {
  static final Duration[] SLOS = {
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30),
    Duration.ofSeconds(60)
  };

  private DurationBuckets() {}
}
