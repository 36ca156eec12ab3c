package dev.awa.bench.scenario;

/** Converts a count of jobs and a measured duration into jobs per second. */
final class Throughput {
  private Throughput() {}

  /** Jobs per second for {@code jobs} done in {@code nanos} nanoseconds. */
  static double jobsPerSecond(long jobs, long nanos) {
    if (nanos <= 0) {
      throw new IllegalArgumentException("elapsed time must be positive, was " + nanos + " ns");
    }
    return jobs * 1e9 / nanos;
  }
}
