package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Progress;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.core.AwaListener;
import dev.awa.core.AwaRuntime;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The worker runtime draining a queue of jobs enqueued up front, as a percentage of the bare-SQL
 * ceiling measured in the same run on the same database.
 *
 * <p>For each job count, a fresh database: the two ceiling paths of {@link CeilingScenario} ({@code
 * ceiling}, minimal table, and {@code ceiling_awa_indexes}, the same table with awa.jobs's indexes)
 * drain N jobs with {@code --ceiling-threads} threads, then for each worker count N jobs are
 * enqueued into an emptied awa.jobs ({@code enqueueMany}, COPY), the table is {@code VACUUM
 * ANALYZE}d, and an {@link AwaRuntime} with one queue of that many workers and a no-op handler
 * starts. The clock runs from {@code start()} until the last acknowledgement is written (counted by
 * {@link AwaListener#onCompleted}, which fires after the ack statement confirmed the row).
 *
 * <p>Correctness: the handler counts each start per id and the listener each confirmed completion
 * per id (lost, doubled, unknown), and the rows left are read back (all completed, attempt = 1).
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description =
        "AwaRuntime draining N jobs enqueued up front (no-op handlers), jobs/s and as a"
            + " percentage of the bare-SQL ceiling measured in the same run.")
public final class DrainScenario implements Scenario {
  private static final String QUEUE = "bench";
  private static final String WARMUP_QUEUE = "bench_warmup";
  private static final int ENQUEUE_BATCH = 10_000;

  @Option(
      names = "--jobs",
      split = ",",
      defaultValue = "20000,200000",
      description = "Job counts to drain, comma-separated (default ${DEFAULT-VALUE}).")
  List<Integer> jobCounts = new ArrayList<>(List.of(20_000, 200_000));

  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "16,64",
      description =
          "Runtime concurrencies (handler slots), comma-separated (default ${DEFAULT-VALUE}).")
  List<Integer> workerCounts = new ArrayList<>(List.of(16, 64));

  @Option(
      names = "--ceiling-threads",
      defaultValue = "16",
      description = "Threads of the ceiling paths (default ${DEFAULT-VALUE}).")
  int ceilingThreads = 16;

  @Option(
      names = "--ceiling-batch-size",
      defaultValue = "100",
      description = "Jobs per claim of the ceiling paths (default ${DEFAULT-VALUE}).")
  int ceilingBatchSize = 100;

  @Option(
      names = "--pool-size",
      defaultValue = "10",
      description = "Connections in the runtime's pool (default ${DEFAULT-VALUE}).")
  int poolSize = 10;

  @Option(
      names = "--warmup-jobs",
      defaultValue = "5000",
      description =
          "Jobs drained and discarded on each path first, to warm the JIT (default"
              + " ${DEFAULT-VALUE}; 0 for none).")
  int warmupJobs = 5_000;

  @Option(
      names = "--claim-ahead",
      split = ",",
      defaultValue = "default",
      description =
          "Runtime claim-ahead bounds to compare, comma-separated: `default` (the runtime's own)"
              + " or a number, e.g. `default,0` for an A/B in the same run (default"
              + " ${DEFAULT-VALUE}).")
  List<String> claimAheads = new ArrayList<>(List.of("default"));

  @Option(
      names = "--variant",
      description =
          "A/B of runtime internals in the same repetition: `name:key=value;key=value` sets those"
              + " system properties (adr/0007's measurement switches, e.g."
              + " `nolit:awa.claimLiteralLimit=false`) for one more runtime drain per worker"
              + " count and claim-ahead, reported as runtime_<w>w_<name>. Repeatable; the"
              + " defaults always run too.")
  List<String> variants = new ArrayList<>();

  @Option(
      names = "--no-ceiling",
      description = "Skip the ceiling paths (no percentage is reported).")
  boolean noCeiling;

  @Override
  public String name() {
    return "drain";
  }

  @Override
  public String description() {
    return "AwaRuntime (one queue, no-op handler) draining N jobs enqueued up front with "
        + workerCounts
        + " workers, from start() until the last acknowledgement is written, and as a percentage"
        + " of the bare-SQL ceiling (`ceiling`: "
        + ceilingThreads
        + " threads, "
        + ceilingBatchSize
        + " jobs per claim, minimal table; `ceiling_awa_indexes`: the same with awa.jobs's"
        + " indexes) measured in the same repetition on the same database.";
  }

  /** Sets the job counts. */
  public DrainScenario jobCounts(List<Integer> counts) {
    this.jobCounts = new ArrayList<>(counts);
    return this;
  }

  /** Sets the worker counts. */
  public DrainScenario workerCounts(List<Integer> counts) {
    this.workerCounts = new ArrayList<>(counts);
    return this;
  }

  /** Sets the ceiling threads and batch size. */
  public DrainScenario ceiling(int threads, int batchSize) {
    this.ceilingThreads = threads;
    this.ceilingBatchSize = batchSize;
    return this;
  }

  /** Sets the claim-ahead bounds to compare ({@code default} or a number each). */
  public DrainScenario claimAheads(List<String> values) {
    this.claimAheads = new ArrayList<>(values);
    return this;
  }

  /** Sets the warm-up job count per path. */
  public DrainScenario warmupJobs(int warmupJobs) {
    this.warmupJobs = warmupJobs;
    return this;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    ScenarioResult result = new ScenarioResult();
    result.setting("jobs", jobCounts);
    result.setting("workers", workerCounts);
    result.setting("ceiling_threads", noCeiling ? "skipped" : ceilingThreads);
    result.setting("ceiling_batch_size", ceilingBatchSize);
    result.setting("runtime_pool_size", poolSize);
    result.setting("runtime", "one queue, defaults (claim batch 100, flush 1 ms, LISTEN on)");
    result.setting("claim_ahead", claimAheads);
    result.setting("variants", variants);
    result.setting("handler", "no-op: records its start, returns completed()");
    result.setting("loading", "AwaClient.enqueueMany (COPY), 10,000 per call; VACUUM ANALYZE");
    result.setting("warmup_jobs_per_path", warmupJobs);
    result.setting(
        "clock", "runtime.start() until the last onCompleted (ack written and confirmed)");
    for (int jobs : jobCounts) {
      runOne(context, jobs, result);
    }
    return result;
  }

  private void runOne(BenchContext context, int jobs, ScenarioResult result) throws Exception {
    Progress progress = context.progress();
    String suffix = "_" + jobs;
    try (TestDatabase db = context.freshDatabase("drain")) {
      DataSource admin = db.newDataSource(Math.max(2, ceilingThreads), "awa-bench-drain");
      Pools.open(admin, Math.max(2, ceilingThreads));
      Double ceiling = null;
      Double ceilingIndexed = null;
      if (!noCeiling) {
        CeilingTable minimal = new CeilingTable("bench_ceiling_jobs", false);
        CeilingTable indexed = new CeilingTable("bench_ceiling_indexed_jobs", true);
        try (Connection c = admin.getConnection()) {
          minimal.create(c);
          indexed.create(c);
        }
        List<DrainPath> paths =
            List.of(
                new BareSqlDrain("ceiling", "bare SQL (ceiling)", minimal, admin, ceilingBatchSize),
                new BareSqlDrain(
                    "ceiling_awa_indexes",
                    "bare SQL with awa.jobs's indexes",
                    indexed,
                    admin,
                    ceilingBatchSize));
        if (warmupJobs > 0) {
          for (DrainPath p : paths) {
            DrainMeasurement.measure(
                Progress.silent(),
                p,
                WARMUP_QUEUE,
                p.load(WARMUP_QUEUE, warmupJobs),
                ceilingThreads);
          }
          execute(admin, "TRUNCATE " + minimal.name() + ", " + indexed.name());
        }
        List<DrainMeasurement.Outcome> outcomes = new ArrayList<>();
        for (DrainPath p : paths) {
          long[] ids = p.load(QUEUE, jobs);
          execute(admin, "VACUUM ANALYZE " + p.table());
          progress.line(p.label() + ": draining " + jobs + " jobs, " + ceilingThreads + " threads");
          DrainMeasurement.Outcome o =
              DrainMeasurement.measure(progress, p, QUEUE, ids, ceilingThreads);
          DrainMeasurement.report(result, o, jobs, suffix);
          DrainMeasurement.check(result, o, jobs, admin, suffix);
          outcomes.add(o);
        }
        execute(admin, "TRUNCATE " + minimal.name() + ", " + indexed.name());
        ceiling = outcomes.get(0).jobsPerSecond();
        ceilingIndexed = outcomes.get(1).jobsPerSecond();
      }
      if (warmupJobs > 0) {
        progress.line("warm-up: runtime drains " + warmupJobs + " jobs");
        drainWithRuntime(
            db, Progress.silent(), warmupJobs, workerCounts.get(0), WARMUP_QUEUE, null);
      }
      List<String> all = new ArrayList<>();
      all.add("");
      all.addAll(variants);
      for (int workers : workerCounts) {
        for (String ahead : claimAheads) {
          for (String variant : all) {
            Integer claimAhead = "default".equals(ahead) ? null : Integer.valueOf(ahead);
            String name = variant.isEmpty() ? "" : "_" + variant.split(":", 2)[0];
            String key =
                "runtime_" + workers + "w" + (claimAhead == null ? "" : "_ahead" + ahead) + name;
            Map<String, String> before = SystemProperties.apply(variant);
            try {
              runtimeDrain(
                  db,
                  admin,
                  progress,
                  result,
                  jobs,
                  workers,
                  claimAhead,
                  key,
                  suffix,
                  ceiling,
                  ceilingIndexed);
            } finally {
              SystemProperties.restore(before);
            }
          }
        }
      }
    }
  }

  private void runtimeDrain(
      TestDatabase db,
      DataSource admin,
      Progress progress,
      ScenarioResult result,
      int jobs,
      int workers,
      Integer claimAhead,
      String key,
      String suffix,
      Double ceiling,
      Double ceilingIndexed)
      throws Exception {
    RuntimeDrain.Outcome d = drainWithRuntime(db, progress, jobs, workers, QUEUE, claimAhead);
    result.metric(
        key + "_jobs_per_s" + suffix,
        "jobs/s",
        d.jobsPerSecond(),
        "AwaRuntime, "
            + workers
            + " workers"
            + (claimAhead == null ? "" : ", claim-ahead " + claimAhead)
            + ", drain of "
            + jobs
            + " jobs");
    if (ceiling != null) {
      result.metric(
          key + "_pct_of_ceiling" + suffix,
          "%",
          100 * d.jobsPerSecond() / ceiling,
          "runtime with " + workers + " workers as a % of `ceiling` in the same repetition");
      result.metric(
          key + "_pct_of_ceiling_awa_indexes" + suffix,
          "%",
          100 * d.jobsPerSecond() / ceilingIndexed,
          "runtime with "
              + workers
              + " workers as a % of `ceiling_awa_indexes` in the same repetition");
    }
    MinimalCeiling.checkRuntime(result, admin, d, jobs, key, suffix);
  }

  /** Empties awa.jobs, enqueues {@code jobs}, and drains them with a fresh runtime. */
  private RuntimeDrain.Outcome drainWithRuntime(
      TestDatabase db, Progress progress, int jobs, int workers, String queue, Integer claimAhead)
      throws Exception {
    DataSource pool = db.newDataSource(2, "awa-bench-loader");
    long[] ids = RuntimeDrain.load(pool, queue, jobs);
    String label =
        "runtime, "
            + workers
            + " workers"
            + (claimAhead == null ? "" : ", claim-ahead " + claimAhead);
    return RuntimeDrain.run(
        db,
        progress,
        label,
        ids,
        queue,
        RuntimeDrain.Setup.of(workers, poolSize).claimAhead(claimAhead));
  }

  private static void execute(DataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
