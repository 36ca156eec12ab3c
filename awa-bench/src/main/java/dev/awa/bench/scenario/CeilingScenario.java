package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Progress;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.core.AwaClient;
import dev.awa.core.JobLease;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The practical limit of this machine and PostgreSQL for draining a queue, and awa-core's claim API
 * against it in the same run.
 *
 * <p>For each job count: a fresh database gets {@code N} jobs in a bare table of the same shape
 * ({@link CeilingTable}) and {@code N} jobs in {@code awa.jobs}. Then {@code threads} threads drain
 * the bare table with one SKIP LOCKED batch claim and one batched completion per batch (the
 * ceiling), and {@code threads} threads drain {@code awa.jobs} through {@link AwaClient#claim} and
 * {@link AwaClient#completeMany} (the claim API, no worker runtime). The claim API is reported as a
 * percentage of the ceiling; the runtime's {@code drain} scenario will be reported against the same
 * ceiling.
 */
@Command(
    name = "ceiling",
    mixinStandardHelpOptions = true,
    description =
        "Bare-JDBC drain ceiling (SKIP LOCKED batch claim + batched completion) and awa-core's"
            + " claim API as a percentage of it.")
public final class CeilingScenario implements Scenario {
  private static final String QUEUE = "bench";
  private static final String WARMUP_QUEUE = "bench_warmup";
  private static final Duration DEADLINE = Duration.ofMinutes(10);

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
    return "Drain of N jobs enqueued up front by "
        + threads
        + " threads: a bare JDBC loop over a minimal table of the same shape (one FOR UPDATE SKIP"
        + " LOCKED batch claim and one batched completion per batch; the practical ceiling), and"
        + " awa-core's AwaClient.claim + completeMany over awa.jobs (no worker runtime), reported"
        + " as a percentage of the ceiling measured in the same run.";
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
    result.setting("threads", threads);
    result.setting("batch_size", batchSize);
    result.setting("warmup_jobs_per_path", warmupJobs);
    result.setting("connection_pool_per_path", threads + " (HikariCP)");
    result.setting("handler", "none (claim then complete)");
    result.setting(
        "order",
        "ceiling first on odd repetitions, claim API first on even ones (cancels order bias)");
    result.setting("tables", "VACUUM ANALYZE after loading, before each drain");
    for (int jobs : jobCounts) {
      runOne(context, jobs, result);
    }
    return result;
  }

  private void runOne(BenchContext context, int jobs, ScenarioResult result) throws Exception {
    Progress progress = context.progress();
    try (TestDatabase db = context.freshDatabase("ceiling")) {
      DataSource ceilingPool = db.newDataSource(threads, "awa-bench-ceiling");
      DataSource clientPool = db.newDataSource(threads, "awa-bench-claim-api");
      AwaClient client = AwaClient.create(clientPool);
      try (Connection c = ceilingPool.getConnection()) {
        CeilingTable.create(c);
      }
      warm(ceilingPool, threads);
      warm(clientPool, threads);
      if (warmupJobs > 0) {
        progress.line("warm-up: " + warmupJobs + " jobs on each path");
        warmUp(ceilingPool, client);
      }
      progress.line("loading " + jobs + " jobs into each table");
      long[] ceilingIds = loadCeiling(ceilingPool, QUEUE, jobs);
      long[] awaIds = loadAwa(client, QUEUE, jobs);
      try (Connection c = ceilingPool.getConnection()) {
        TableChecks.vacuumAnalyze(c, CeilingTable.NAME);
        TableChecks.vacuumAnalyze(c, "awa.jobs");
      }
      Outcome ceiling = null;
      Outcome claimApi = null;
      boolean ceilingFirst = context.repetition() % 2 == 1;
      for (int step = 0; step < 2; step++) {
        if ((step == 0) == ceilingFirst) {
          progress.line("ceiling drain of " + jobs + " jobs, " + threads + " threads");
          ceiling =
              measure(
                  progress, "ceiling", ceilingIds, (t, l) -> ceilingLoop(ceilingPool, QUEUE, l));
        } else {
          progress.line("claim API drain of " + jobs + " jobs, " + threads + " threads");
          claimApi =
              measure(progress, "claim API", awaIds, (t, l) -> claimApiLoop(client, QUEUE, t, l));
        }
      }
      TableChecks.DrainState ceilingDb;
      TableChecks.DrainState awaDb;
      try (Connection c = ceilingPool.getConnection()) {
        ceilingDb = TableChecks.drainState(c, CeilingTable.NAME);
        awaDb = TableChecks.drainState(c, "awa.jobs");
      }
      report(result, jobs, ceiling, claimApi);
      check(result, "ceiling", jobs, ceiling.recorder().ledger(), ceilingDb);
      check(result, "claim_api", jobs, claimApi.recorder().ledger(), awaDb);
    }
  }

  /** What a drain records into: who did what, and how long each statement took. */
  private record Recorder(ExactlyOnceLedger ledger, Histogram claim, Histogram complete) {
    static Recorder over(long[] ids) {
      return new Recorder(
          new ExactlyOnceLedger(ids), new ConcurrentHistogram(3), new ConcurrentHistogram(3));
    }
  }

  /** One measured drain. */
  private record Outcome(double jobsPerSecond, Recorder recorder) {}

  /** One thread's drain loop over one path. */
  @FunctionalInterface
  private interface DrainLoop {
    void run(int thread, Recorder recorder) throws Exception;
  }

  private Outcome measure(Progress progress, String label, long[] ids, DrainLoop loop)
      throws Exception {
    Recorder recorder = Recorder.over(ids);
    long start = System.nanoTime();
    try (Progress.Ticker ignored =
        progress.every(
            Duration.ofSeconds(2),
            () ->
                label
                    + ": "
                    + recorder.ledger().completedCount()
                    + "/"
                    + ids.length
                    + " completed after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
                    + " ms")) {
      long nanos = ConcurrentDrain.run(threads, "awa-bench-" + name(), t -> loop.run(t, recorder));
      return new Outcome(ConcurrentDrain.perSecond(ids.length, nanos), recorder);
    }
  }

  private void warmUp(DataSource ceilingPool, AwaClient client) throws Exception {
    long[] ceilingIds = loadCeiling(ceilingPool, WARMUP_QUEUE, warmupJobs);
    Recorder r1 = Recorder.over(ceilingIds);
    ConcurrentDrain.run(
        threads, "awa-bench-warmup", t -> ceilingLoop(ceilingPool, WARMUP_QUEUE, r1));
    long[] awaIds = loadAwa(client, WARMUP_QUEUE, warmupJobs);
    Recorder r2 = Recorder.over(awaIds);
    ConcurrentDrain.run(
        threads, "awa-bench-warmup", t -> claimApiLoop(client, WARMUP_QUEUE, t, r2));
    try (Connection c = ceilingPool.getConnection();
        Statement st = c.createStatement()) {
      // Start the measured drain from empty tables, as if the warm-up never happened.
      st.execute("TRUNCATE " + CeilingTable.NAME + ", awa.jobs");
    }
  }

  /** The ceiling: one connection held for the whole loop, two statements per batch. */
  private void ceilingLoop(DataSource pool, String queue, Recorder r) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement claim = c.prepareStatement(CeilingTable.CLAIM);
        PreparedStatement complete = c.prepareStatement(CeilingTable.COMPLETE_MANY)) {
      List<Long> ids = new ArrayList<>(batchSize);
      List<Long> leases = new ArrayList<>(batchSize);
      while (true) {
        ids.clear();
        leases.clear();
        long t0 = System.nanoTime();
        claim.setString(1, queue);
        claim.setInt(2, batchSize);
        try (ResultSet rs = claim.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
            leases.add(rs.getLong(2));
            rs.getString(3); // a handler would read its args
          }
        }
        long t1 = System.nanoTime();
        r.claim().recordValue((t1 - t0) / 1000);
        if (ids.isEmpty()) {
          return; // no unlocked available row is left, and nothing new arrives
        }
        ids.forEach(r.ledger()::claimed);
        complete.setArray(1, c.createArrayOf("bigint", ids.toArray()));
        complete.setArray(2, c.createArrayOf("bigint", leases.toArray()));
        try (ResultSet rs = complete.executeQuery()) {
          while (rs.next()) {
            r.ledger().completed(rs.getLong(1));
          }
        }
        r.complete().recordValue((System.nanoTime() - t1) / 1000);
      }
    }
  }

  /** The claim API: what a hand-written worker loop on awa-core would do. */
  private void claimApiLoop(AwaClient client, String queue, int thread, Recorder r) {
    String workerId = "awa-bench-" + thread;
    while (true) {
      long t0 = System.nanoTime();
      List<JobRow> rows = client.claim(queue, batchSize, DEADLINE, workerId);
      long t1 = System.nanoTime();
      r.claim().recordValue((t1 - t0) / 1000);
      if (rows.isEmpty()) {
        return;
      }
      List<JobLease> leases = new ArrayList<>(rows.size());
      for (JobRow row : rows) {
        r.ledger().claimed(row.id());
        leases.add(row.lease());
      }
      for (long id : client.completeMany(leases)) {
        r.ledger().completed(id);
      }
      r.complete().recordValue((System.nanoTime() - t1) / 1000);
    }
  }

  private static long[] loadCeiling(DataSource pool, String queue, int jobs) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return CeilingTable.load(c, queue, jobs);
    }
  }

  /** Enqueues through the batch path (COPY), as an application would. */
  private static long[] loadAwa(AwaClient client, String queue, int jobs) {
    long[] ids = new long[jobs];
    int chunk = 10_000;
    for (int from = 0; from < jobs; from += chunk) {
      int to = Math.min(jobs, from + chunk);
      List<NewJob> batch = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        batch.add(NewJob.builder("bench").queue(queue).argsJson("{\"n\":" + (i + 1) + "}").build());
      }
      System.arraycopy(client.enqueueMany(batch), 0, ids, from, to - from);
    }
    return ids;
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

  private static void report(ScenarioResult r, int jobs, Outcome ceiling, Outcome claimApi) {
    String n = "_" + jobs;
    r.metric(
        "ceiling_jobs_per_s" + n,
        "jobs/s",
        ceiling.jobsPerSecond(),
        "bare JDBC drain of " + jobs + " jobs (the ceiling)");
    r.metric(
        "claim_api_jobs_per_s" + n,
        "jobs/s",
        claimApi.jobsPerSecond(),
        "AwaClient.claim + completeMany drain of " + jobs + " jobs");
    r.metric(
        "claim_api_pct_of_ceiling" + n,
        "%",
        100 * claimApi.jobsPerSecond() / ceiling.jobsPerSecond(),
        "claim API throughput as a percentage of the ceiling in the same run");
    latency(r, "ceiling_claim" + n, ceiling.recorder().claim(), "ceiling claim statement");
    latency(r, "claim_api_claim" + n, claimApi.recorder().claim(), "AwaClient.claim call");
    latency(
        r, "ceiling_complete" + n, ceiling.recorder().complete(), "ceiling completion statement");
    latency(
        r, "claim_api_complete" + n, claimApi.recorder().complete(), "AwaClient.completeMany call");
  }

  private static void latency(ScenarioResult r, String name, Histogram h, String what) {
    r.metric(name + "_p50_ms", "ms", h.getValueAtPercentile(50) / 1000.0, what + ", p50");
    r.metric(name + "_p99_ms", "ms", h.getValueAtPercentile(99) / 1000.0, what + ", p99");
  }

  private static void check(
      ScenarioResult r,
      String path,
      int jobs,
      ExactlyOnceLedger ledger,
      TableChecks.DrainState db) {
    String n = "_" + jobs;
    r.check(path + "_lost" + n, ledger.lost());
    r.check(path + "_doubled" + n, ledger.doubled());
    r.check(path + "_unknown_ids" + n, ledger.unknown());
    r.check(path + "_db_unfinished" + n, db.unfinished());
    r.check(path + "_db_attempt_not_1" + n, db.reattempted());
    r.check(path + "_db_row_count_mismatch" + n, Math.abs(db.rows() - jobs));
  }
}
