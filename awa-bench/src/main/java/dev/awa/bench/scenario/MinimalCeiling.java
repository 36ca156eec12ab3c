package dev.awa.bench.scenario;

import dev.awa.bench.Progress;
import dev.awa.bench.ScenarioResult;
import java.sql.Connection;
import javax.sql.DataSource;

/**
 * The bare-SQL `ceiling` path alone (minimal table, N threads × B jobs per claim), measured on the
 * repetition's database so the runtime scenarios can report ratios of the same minutes.
 */
final class MinimalCeiling {
  private MinimalCeiling() {}

  /** Drains {@code jobs} with the bare loop; records its checks; returns jobs/s. */
  static double measure(
      DataSource admin,
      Progress progress,
      ScenarioResult result,
      int jobs,
      int threads,
      int batchSize,
      String suffix)
      throws Exception {
    CeilingTable table = new CeilingTable("bench_ceiling_jobs", false);
    try (Connection c = admin.getConnection()) {
      table.create(c);
    }
    DrainPath path = new BareSqlDrain("ceiling", "bare SQL (ceiling)", table, admin, batchSize);
    long[] ids = path.load("ceiling", jobs);
    RuntimeDrain.execute(admin, "VACUUM ANALYZE " + path.table());
    progress.line("ceiling: draining " + jobs + " jobs, " + threads + " threads");
    DrainMeasurement.Outcome o = DrainMeasurement.measure(progress, path, "ceiling", ids, threads);
    DrainMeasurement.check(result, o, jobs, admin, suffix);
    result.metric(
        "ceiling_jobs_per_s" + suffix,
        "jobs/s",
        o.jobsPerSecond(),
        "bare SQL, " + threads + " threads × " + batchSize + " per claim, minimal table");
    RuntimeDrain.execute(admin, "DROP TABLE " + path.table());
    return o.jobsPerSecond();
  }

  /** The exactly-once checks of a runtime drain, named {@code key + check + suffix}. */
  static void checkRuntime(
      ScenarioResult result, DataSource admin, RuntimeDrain.Outcome d, int jobs, String key)
      throws Exception {
    checkRuntime(result, admin, d, jobs, key, "");
  }

  /** The exactly-once checks of a runtime drain, named {@code key + check + suffix}. */
  static void checkRuntime(
      ScenarioResult result,
      DataSource admin,
      RuntimeDrain.Outcome d,
      int jobs,
      String key,
      String suffix)
      throws Exception {
    result.check(key + "_lost" + suffix, d.ledger().lost());
    result.check(key + "_doubled" + suffix, d.ledger().doubled());
    result.check(key + "_unknown_ids" + suffix, d.ledger().unknown());
    result.check(key + "_timed_out" + suffix, d.timedOut() ? 1 : 0);
    TableChecks.DrainState state;
    try (Connection c = admin.getConnection()) {
      state = TableChecks.drainState(c, "awa.jobs");
    }
    result.check(key + "_db_unfinished" + suffix, state.unfinished());
    result.check(key + "_db_attempt_not_1" + suffix, state.reattempted());
    result.check(key + "_db_row_count_mismatch" + suffix, Math.abs(state.rows() - jobs));
  }
}
