package dev.awa.metrics;

import dev.awa.maintenance.QueueStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code awa.queue.depth{queue,state}} and {@code awa.queue.lag{queue}}, set from whole queue_stats
 * snapshots. A queue/state pair missing from a snapshot (no such jobs any more) drops to 0; a queue
 * without due available jobs has lag 0.
 */
final class QueueMeters {
  private final GaugeTable depth;
  private final GaugeTable lag;

  /** {@code leading}: whether this process leads now (the gauges read 0 otherwise). */
  QueueMeters(MeterRegistry registry, BooleanSupplier leading) {
    this.depth =
        new GaugeTable(
            registry,
            MeterNames.QUEUE_DEPTH,
            "Jobs per queue and state (queue_stats, leader only)",
            null,
            leading,
            "queue",
            "state");
    this.lag =
        new GaugeTable(
            registry,
            MeterNames.QUEUE_LAG,
            "Age of the oldest due available job per queue (queue_stats, leader only)",
            "seconds",
            leading,
            "queue");
  }

  void update(QueueStats stats) {
    Map<Tags, Double> depths = new HashMap<>();
    Map<Tags, Double> lags = new HashMap<>();
    stats
        .counts()
        .forEach(
            (queue, states) -> {
              // A queue with jobs but none due has no lag entry: its lag is 0, not absent.
              lags.put(lag.tags(queue), 0.0);
              states.forEach((state, n) -> depths.put(depth.tags(queue, state), (double) n));
            });
    stats
        .lag()
        .forEach(
            (queue, age) -> lags.put(lag.tags(queue), Meters.nonNegative(age).toNanos() / 1e9));
    depth.replaceAll(depths);
    lag.replaceAll(lags);
  }

  /** This process stopped leading; another process reports the queues now. */
  void leadershipEnded() {
    depth.zeroAll();
    lag.zeroAll();
  }
}
