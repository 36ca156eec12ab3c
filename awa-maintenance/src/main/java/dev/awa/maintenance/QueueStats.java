package dev.awa.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One snapshot taken by the {@code queue_stats} branch.
 *
 * @param takenAt when the snapshot was read (database clock)
 * @param counts jobs per queue, then per state name ({@code available}, {@code scheduled}, ...);
 *     states with no jobs are absent
 * @param lag per queue with available due jobs, the age of the oldest one (now minus its run-at)
 */
public record QueueStats(
    Instant takenAt, Map<String, Map<String, Long>> counts, Map<String, Duration> lag) {
  /** Copies the maps so the snapshot is immutable. */
  public QueueStats {
    counts = Map.copyOf(counts);
    lag = Map.copyOf(lag);
  }

  /** Jobs of {@code queue} in {@code state}, zero when none. */
  public long count(String queue, String state) {
    return counts.getOrDefault(queue, Map.of()).getOrDefault(state, 0L);
  }
}
