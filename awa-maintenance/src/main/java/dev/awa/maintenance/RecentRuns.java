package dev.awa.maintenance;

import java.time.Duration;
import java.util.Arrays;

/**
 * The durations and latenesses of a branch's last {@value #CAPACITY} runs, for the percentiles that
 * {@code refresh_admin_metadata} writes for operators. Fixed memory; written by the loop thread,
 * read by the refresh branch, hence synchronized (a few times per second at most).
 */
final class RecentRuns {
  static final int CAPACITY = 128;

  private final long[] durations = new long[CAPACITY];
  private final long[] latenesses = new long[CAPACITY];
  private int next;
  private int size;

  synchronized void record(Duration duration, Duration lateness) {
    durations[next] = duration.toNanos();
    latenesses[next] = lateness.toNanos();
    next = (next + 1) % CAPACITY;
    size = Math.min(size + 1, CAPACITY);
  }

  /** Percentiles of the runs recorded so far; all null when there were none. */
  synchronized Percentiles percentiles() {
    if (size == 0) {
      return new Percentiles(0, null, null, null, null);
    }
    long[] d = Arrays.copyOf(durations, size);
    long[] l = Arrays.copyOf(latenesses, size);
    Arrays.sort(d);
    Arrays.sort(l);
    return new Percentiles(size, at(d, 0.50), at(d, 0.99), at(l, 0.50), at(l, 0.99));
  }

  /** Nearest-rank percentile. */
  private static Duration at(long[] sorted, double q) {
    int rank = (int) Math.ceil(q * sorted.length);
    return Duration.ofNanos(sorted[Math.max(0, rank - 1)]);
  }

  /**
   * Percentiles over a branch's recent runs.
   *
   * @param runs how many runs they cover (at most {@value RecentRuns#CAPACITY})
   * @param durationP50 median body duration, or null without runs
   * @param durationP99 99th percentile body duration, or null
   * @param latenessP50 median lateness against the branch's grid, or null
   * @param latenessP99 99th percentile lateness, or null
   */
  record Percentiles(
      int runs,
      Duration durationP50,
      Duration durationP99,
      Duration latenessP50,
      Duration latenessP99) {}
}
