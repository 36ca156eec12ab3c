package dev.awa.bench.scenario;

/**
 * One way of draining a queue of jobs enqueued up front, measured by {@link DrainMeasurement}: the
 * bare-SQL ceiling, awa-core's claim API, and (later) the worker runtime. A path owns its table and
 * its loop; the measurement owns threads, clock, progress and checks.
 */
interface DrainPath {
  /** Metric prefix, e.g. {@code ceiling}, {@code claim_api}. */
  String key();

  /** Words for progress lines and reports. */
  String label();

  /** The table the jobs live in, for the database checks and {@code VACUUM ANALYZE}. */
  String table();

  /** Enqueues {@code jobs} available jobs of {@code queue}; returns their ids. */
  long[] load(String queue, int jobs) throws Exception;

  /**
   * One thread's loop: claims and completes jobs of {@code queue} until none is left, recording
   * into {@code recorder}. Returns when a claim comes back empty (no job is enqueued meanwhile).
   */
  void drain(String queue, int thread, DrainRecorder recorder) throws Exception;
}
