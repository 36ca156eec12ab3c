package dev.awa.bench.scenario;

import dev.awa.bench.Progress;
import dev.awa.bench.ScenarioResult;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Measures one {@link DrainPath} over jobs already loaded: starts the threads together, prints
 * progress, and afterwards records throughput, statement latencies and the exactly-once checks
 * (from the ledger and from the rows left in the database).
 */
final class DrainMeasurement {
  private DrainMeasurement() {}

  /**
   * What one drain measured.
   *
   * @param path the path drained
   * @param jobsPerSecond jobs drained / wall time from common start to the last thread's end
   * @param recorder ledger and latencies
   */
  record Outcome(DrainPath path, double jobsPerSecond, DrainRecorder recorder) {}

  /** Drains {@code ids} (already loaded into {@code path}'s table) with {@code threads} threads. */
  static Outcome measure(Progress progress, DrainPath path, String queue, long[] ids, int threads)
      throws Exception {
    DrainRecorder recorder = DrainRecorder.over(ids);
    long start = System.nanoTime();
    try (Progress.Ticker ignored =
        progress.every(
            Duration.ofSeconds(2),
            () ->
                path.label()
                    + ": "
                    + recorder.ledger().completedCount()
                    + "/"
                    + ids.length
                    + " completed after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms")) {
      long nanos =
          ConcurrentDrain.run(
              threads, "awa-bench-" + path.key(), t -> path.drain(queue, t, recorder));
      return new Outcome(path, Throughput.jobsPerSecond(ids.length, nanos), recorder);
    }
  }

  /** Records throughput and p50/p99 latencies of {@code o} with metric suffix {@code suffix}. */
  static void report(ScenarioResult r, Outcome o, int jobs, String suffix) {
    String key = o.path().key();
    r.metric(
        key + "_jobs_per_s" + suffix,
        "jobs/s",
        o.jobsPerSecond(),
        o.path().label() + ", drain of " + jobs + " jobs");
    latency(r, key + "_claim" + suffix, o.recorder().claim().getValueAtPercentile(50), "p50", o);
    latency(r, key + "_claim" + suffix, o.recorder().claim().getValueAtPercentile(99), "p99", o);
    latency(
        r, key + "_complete" + suffix, o.recorder().complete().getValueAtPercentile(50), "p50", o);
    latency(
        r, key + "_complete" + suffix, o.recorder().complete().getValueAtPercentile(99), "p99", o);
  }

  private static void latency(
      ScenarioResult r, String name, long micros, String percentile, Outcome o) {
    String statement = name.contains("_claim") ? "claim" : "completion";
    r.metric(
        name + "_" + percentile + "_ms",
        "ms",
        micros / 1000.0,
        o.path().label() + ": " + statement + " round trip, " + percentile);
  }

  /**
   * Records the exactly-once checks of {@code o}: nothing lost, nothing claimed or completed twice,
   * no unknown id, and every row of the path's table completed by exactly one attempt.
   */
  static void check(ScenarioResult r, Outcome o, int jobs, DataSource pool, String suffix)
      throws Exception {
    TableChecks.DrainState db;
    try (Connection c = pool.getConnection()) {
      db = TableChecks.drainState(c, o.path().table());
    }
    String key = o.path().key();
    ExactlyOnceLedger ledger = o.recorder().ledger();
    r.check(key + "_lost" + suffix, ledger.lost());
    r.check(key + "_doubled" + suffix, ledger.doubled());
    r.check(key + "_unknown_ids" + suffix, ledger.unknown());
    r.check(key + "_db_unfinished" + suffix, db.unfinished());
    r.check(key + "_db_attempt_not_1" + suffix, db.reattempted());
    r.check(key + "_db_row_count_mismatch" + suffix, Math.abs(db.rows() - jobs));
  }
}
