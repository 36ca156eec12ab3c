package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Progress;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.core.AwaClient;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The practical limit of this machine and PostgreSQL for draining a queue, and awa-core's claim API
 * against it in the same run.
 *
 * <p>For each job count, a fresh database gets {@code N} jobs in each of three tables, then each is
 * drained by {@code threads} threads:
 *
 * <ul>
 *   <li>{@code ceiling}: a bare JDBC loop ({@link BareSqlDrain}) over a minimal table of the same
 *       shape (primary key and partial dequeue index) — the practical limit;
 *   <li>{@code ceiling_awa_indexes}: the same loop over the same table plus awa.jobs's heartbeat,
 *       deadline and cleanup indexes — what the schema costs before any Awa code runs;
 *   <li>{@code claim_api}: {@code client.leases().claim} + {@code completeMany} over awa.jobs
 *       ({@link ClaimApiDrain}), the claim API without the worker runtime.
 * </ul>
 *
 * The claim API is reported as a percentage of both ceilings. The order of the three drains rotates
 * with the repetition so no path always runs first (cold) or last (after the others' dead rows).
 * The runtime's {@code drain} scenario is meant to report against the same ceiling.
 */
@Command(
    name = "ceiling",
    mixinStandardHelpOptions = true,
    description =
        "Bare-JDBC drain ceiling (SKIP LOCKED batch claim + batched completion), the same with"
            + " awa.jobs's indexes, and awa-core's claim API as a percentage of both.")
public final class CeilingScenario implements Scenario {
  private static final String QUEUE = "bench";
  private static final String WARMUP_QUEUE = "bench_warmup";

  @Option(
      names = "--jobs",
      split = ",",
      defaultValue = "20000",
      description = "Job counts to drain, comma-separated (default ${DEFAULT-VALUE}).")
  List<Integer> jobCounts = new ArrayList<>(List.of(20_000));

  @Option(
      names = "--threads",
      defaultValue = "16",
      description = "Draining threads per path (default ${DEFAULT-VALUE}).")
  int threads = 16;

  @Option(
      names = "--batch-size",
      defaultValue = "100",
      description = "Jobs per claim (default ${DEFAULT-VALUE}).")
  int batchSize = 100;

  @Option(
      names = "--warmup-jobs",
      defaultValue = "2000",
      description =
          "Jobs drained and discarded on each path before measuring, to warm the JIT"
              + " (default ${DEFAULT-VALUE}; 0 for none).")
  int warmupJobs = 2_000;

  @Override
  public String name() {
    return "ceiling";
  }

  @Override
  public String description() {
    return "Drain of N jobs enqueued up front, by "
        + threads
        + " threads per path: a bare JDBC loop (one FOR UPDATE SKIP LOCKED batch claim and one"
        + " batched completion per batch) over a minimal table of the same shape (`ceiling`, the"
        + " practical limit) and over the same table with awa.jobs's heartbeat, deadline and"
        + " cleanup indexes (`ceiling_awa_indexes`), and awa-core's AwaClient.claim +"
        + " completeMany over awa.jobs without the worker runtime (`claim_api`), reported as a"
        + " percentage of both ceilings measured in the same run.";
  }

  /** Sets the job counts (tests and programmatic runs). */
  public CeilingScenario jobCounts(List<Integer> counts) {
    this.jobCounts = new ArrayList<>(counts);
    return this;
  }

  /** Sets the thread count per path. */
  public CeilingScenario threads(int threads) {
    this.threads = threads;
    return this;
  }

  /** Sets the jobs per claim. */
  public CeilingScenario batchSize(int batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  /** Sets the warm-up job count per path. */
  public CeilingScenario warmupJobs(int warmupJobs) {
    this.warmupJobs = warmupJobs;
    return this;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    ScenarioResult result = new ScenarioResult();
    result.setting("jobs", jobCounts);
    result.setting("threads_per_path", threads);
    result.setting("batch_size", batchSize);
    result.setting("warmup_jobs_per_path", warmupJobs);
    result.setting(
        "connection_pool_per_path",
        threads + " (HikariCP; bare loop holds one per thread, claim API borrows per call)");
    result.setting("handler", "none: claim, read args, complete");
    result.setting("claim_api_loading", "AwaClient.enqueueMany (COPY), 10,000 per call");
    result.setting("ceiling_loading", "INSERT ... SELECT FROM generate_series");
    result.setting("order", "rotates with the repetition (1: ceiling first, 2: second path...)");
    result.setting("tables", "VACUUM ANALYZE after loading, before the drains");
    for (int jobs : jobCounts) {
      runOne(context, jobs, result);
    }
    return result;
  }

  private void runOne(BenchContext context, int jobs, ScenarioResult result) throws Exception {
    Progress progress = context.progress();
    String suffix = "_" + jobs;
    try (TestDatabase db = context.freshDatabase("ceiling")) {
      DataSource bare = db.newDataSource(threads, "awa-bench-ceiling");
      DataSource awaPool = db.newDataSource(threads, "awa-bench-claim-api");
      Pools.open(bare, threads);
      Pools.open(awaPool, threads);
      CeilingTable minimal = new CeilingTable("bench_ceiling_jobs", false);
      CeilingTable indexed = new CeilingTable("bench_ceiling_indexed_jobs", true);
      try (Connection c = bare.getConnection()) {
        minimal.create(c);
        indexed.create(c);
      }
      List<DrainPath> paths =
          List.of(
              new BareSqlDrain("ceiling", "bare SQL (ceiling)", minimal, bare, batchSize),
              new BareSqlDrain(
                  "ceiling_awa_indexes",
                  "bare SQL with awa.jobs's indexes",
                  indexed,
                  bare,
                  batchSize),
              new ClaimApiDrain(AwaClient.create(awaPool), batchSize));
      warm(bare, threads);
      warm(awaPool, threads);
      if (warmupJobs > 0) {
        progress.line("warm-up: " + warmupJobs + " jobs on each path");
        for (DrainPath p : paths) {
          DrainMeasurement.measure(
              Progress.silent(), p, WARMUP_QUEUE, p.load(WARMUP_QUEUE, warmupJobs), threads);
        }
        // Measure from empty tables, as if the warm-up never happened.
        execute(bare, "TRUNCATE " + minimal.name() + ", " + indexed.name() + ", awa.jobs");
      }
      progress.line("loading " + jobs + " jobs into each of " + paths.size() + " tables");
      Map<DrainPath, long[]> ids = new LinkedHashMap<>();
      for (DrainPath p : paths) {
        ids.put(p, p.load(QUEUE, jobs));
        execute(bare, "VACUUM ANALYZE " + p.table());
      }
      Map<String, DrainMeasurement.Outcome> outcomes = new LinkedHashMap<>();
      int first = (context.repetition() - 1) % paths.size();
      for (int step = 0; step < paths.size(); step++) {
        DrainPath p = paths.get((first + step) % paths.size());
        progress.line(p.label() + ": draining " + jobs + " jobs with " + threads + " threads");
        outcomes.put(p.key(), DrainMeasurement.measure(progress, p, QUEUE, ids.get(p), threads));
      }
      for (DrainPath p : paths) {
        DrainMeasurement.report(result, outcomes.get(p.key()), jobs, suffix);
      }
      double ceiling = outcomes.get("ceiling").jobsPerSecond();
      double ceilingIndexed = outcomes.get("ceiling_awa_indexes").jobsPerSecond();
      double claimApi = outcomes.get("claim_api").jobsPerSecond();
      result.metric(
          "claim_api_pct_of_ceiling" + suffix,
          "%",
          100 * claimApi / ceiling,
          "claim API as a percentage of the ceiling in the same run");
      result.metric(
          "claim_api_pct_of_ceiling_awa_indexes" + suffix,
          "%",
          100 * claimApi / ceilingIndexed,
          "claim API as a percentage of the ceiling with awa.jobs's indexes");
      result.metric(
          "ceiling_awa_indexes_pct_of_ceiling" + suffix,
          "%",
          100 * ceilingIndexed / ceiling,
          "the ceiling with awa.jobs's indexes (and the completion plan they lead to; see"
              + " docs/benchmarks/README.md) as a percentage of the minimal ceiling");
      for (DrainPath p : paths) {
        DrainMeasurement.check(result, outcomes.get(p.key()), jobs, bare, suffix);
      }
    }
  }

  private static void execute(DataSource pool, String sql) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Opens {@code size} connections at once so pool growth is not measured. */
  private static void warm(DataSource pool, int size) throws SQLException {
    List<Connection> held = new ArrayList<>(size);
    try {
      for (int i = 0; i < size; i++) {
        held.add(pool.getConnection());
      }
    } finally {
      for (Connection c : held) {
        c.close();
      }
    }
  }
}
