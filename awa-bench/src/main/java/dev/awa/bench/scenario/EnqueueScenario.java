package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Progress;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.core.AwaClient;
import dev.awa.core.NewJob;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Enqueue throughput from one thread: {@link AwaClient#enqueue} one job per call and transaction,
 * {@link AwaClient#enqueueMany} (the COPY batch path), and, as the baseline the COPY choice is
 * judged against, the multi-row {@code INSERT ... unnest} statement ({@link UnnestInsertBaseline}).
 * Each path starts from an empty {@code awa.jobs} after a short warm-up.
 */
@Command(
    name = "enqueue",
    mixinStandardHelpOptions = true,
    description =
        "Single-insert and batch (COPY) enqueue throughput, with the multi-row INSERT (unnest)"
            + " batch path as the in-run baseline.")
public final class EnqueueScenario implements Scenario {
  private static final String QUEUE = "bench";

  @Option(
      names = "--single-jobs",
      defaultValue = "5000",
      description = "Jobs enqueued one per call (default ${DEFAULT-VALUE}).")
  int singleJobs = 5_000;

  @Option(
      names = "--batch-jobs",
      defaultValue = "200000",
      description =
          "Jobs enqueued by each batch path (default ${DEFAULT-VALUE}: at 100,000 a path took"
              + " about half a second and the figures swung with other load on the machine).")
  int batchJobs = 200_000;

  @Option(
      names = "--batch-size",
      defaultValue = "10000",
      description = "Jobs per enqueueMany call / per INSERT statement (default ${DEFAULT-VALUE}).")
  int batchSize = 10_000;

  @Override
  public String name() {
    return "enqueue";
  }

  @Override
  public String description() {
    return "Enqueue throughput from one thread: AwaClient.enqueue (one job per call and"
        + " transaction), AwaClient.enqueueMany (COPY batch path), and the multi-row"
        + " INSERT ... SELECT FROM unnest(arrays) batch path as the baseline measured in the same"
        + " run.";
  }

  /** Sets the single-insert job count. */
  public EnqueueScenario singleJobs(int n) {
    this.singleJobs = n;
    return this;
  }

  /** Sets the job count of each batch path. */
  public EnqueueScenario batchJobs(int n) {
    this.batchJobs = n;
    return this;
  }

  /** Sets the jobs per batch call. */
  public EnqueueScenario batchSize(int n) {
    this.batchSize = n;
    return this;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    ScenarioResult result = new ScenarioResult();
    result.setting("single_jobs", singleJobs);
    result.setting("batch_jobs", batchJobs);
    result.setting("batch_size", batchSize);
    result.setting("threads", 1);
    result.setting("args", "{\"n\": i} (small JSON object)");
    result.setting("connection_pool", "1 (HikariCP)");
    result.setting(
        "warm-up", "min(500, single_jobs) singles and one batch per path, then TRUNCATE");
    result.setting(
        "order", "single, then COPY and unnest alternating which goes first by repetition");
    Progress progress = context.progress();
    try (TestDatabase db = context.freshDatabase("enqueue")) {
      DataSource pool = db.newDataSource(1, "awa-bench-enqueue");
      AwaClient client = AwaClient.create(pool);
      UnnestInsertBaseline unnest = new UnnestInsertBaseline(client.objectMapper());

      progress.line("single enqueue: " + singleJobs + " jobs, one per call");
      singles(client, Math.min(500, singleJobs), new Histogram(3));
      truncate(pool);
      Histogram callMicros = new Histogram(3);
      long singleNanos = singles(client, singleJobs, callMicros);
      result.check("single_row_count_mismatch", Math.abs(countJobs(pool) - singleJobs));

      Batch copy = client::enqueueMany;
      Batch multiRow =
          jobs -> {
            try (Connection c = pool.getConnection()) {
              c.setAutoCommit(false);
              long[] ids = unnest.insert(c, jobs);
              c.commit();
              return ids;
            }
          };
      long copyNanos = 0;
      long unnestNanos = 0;
      boolean copyFirst = context.repetition() % 2 == 1;
      for (int step = 0; step < 2; step++) {
        if ((step == 0) == copyFirst) {
          progress.line("enqueueMany (COPY): " + batchJobs + " jobs");
          copyNanos = batchPath(pool, copy, "copy", result);
        } else {
          progress.line("multi-row INSERT (unnest) baseline: " + batchJobs + " jobs");
          unnestNanos = batchPath(pool, multiRow, "unnest", result);
        }
      }

      double single = Throughput.jobsPerSecond(singleJobs, singleNanos);
      double copyRate = Throughput.jobsPerSecond(batchJobs, copyNanos);
      double unnestRate = Throughput.jobsPerSecond(batchJobs, unnestNanos);
      result.metric(
          "single_jobs_per_s", "jobs/s", single, "AwaClient.enqueue, one job per transaction");
      result.metric(
          "single_call_p50_ms", "ms", callMicros.getValueAtPercentile(50) / 1000.0, "p50 per call");
      result.metric(
          "single_call_p99_ms", "ms", callMicros.getValueAtPercentile(99) / 1000.0, "p99 per call");
      result.metric(
          "copy_jobs_per_s",
          "jobs/s",
          copyRate,
          "AwaClient.enqueueMany (COPY), " + batchSize + " jobs per call");
      result.metric(
          "unnest_jobs_per_s",
          "jobs/s",
          unnestRate,
          "baseline: INSERT ... SELECT FROM unnest, " + batchSize + " jobs per statement");
      result.metric(
          "copy_vs_unnest",
          "ratio",
          copyRate / unnestRate,
          "COPY throughput / unnest throughput in the same run (>1: COPY is the right choice)");
      result.metric(
          "copy_vs_single", "ratio", copyRate / single, "batch (COPY) / single throughput");
    }
    return result;
  }

  /** One batch enqueue call: the jobs in, their ids out. */
  @FunctionalInterface
  private interface Batch {
    long[] insert(List<NewJob> jobs) throws SQLException;
  }

  /** Warm-up batch, truncate, then the measured batches; returns the measured nanoseconds. */
  private long batchPath(DataSource pool, Batch batch, String label, ScenarioResult result)
      throws SQLException {
    batch.insert(jobs(0, Math.min(batchSize, batchJobs)));
    truncate(pool);
    List<List<NewJob>> batches = new ArrayList<>();
    for (int from = 0; from < batchJobs; from += batchSize) {
      batches.add(jobs(from, Math.min(batchJobs, from + batchSize)));
    }
    AtomicLong inserted = new AtomicLong();
    long start = System.nanoTime();
    for (List<NewJob> b : batches) {
      inserted.addAndGet(batch.insert(b).length);
    }
    long nanos = System.nanoTime() - start;
    result.check(label + "_ids_mismatch", Math.abs(inserted.get() - batchJobs));
    result.check(label + "_row_count_mismatch", Math.abs(countJobs(pool) - batchJobs));
    truncate(pool);
    return nanos;
  }

  /** Enqueues {@code n} jobs one call at a time; returns the elapsed nanoseconds. */
  private static long singles(AwaClient client, int n, Histogram callMicros) {
    List<NewJob> jobs = jobs(0, n);
    long start = System.nanoTime();
    for (NewJob job : jobs) {
      long t0 = System.nanoTime();
      client.enqueue(job);
      callMicros.recordValue((System.nanoTime() - t0) / 1000);
    }
    return System.nanoTime() - start;
  }

  /** Jobs are built (and validated) before the clock starts; only enqueueing is measured. */
  private static List<NewJob> jobs(int from, int to) {
    List<NewJob> jobs = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      jobs.add(NewJob.builder("bench").queue(QUEUE).argsJson("{\"n\":" + i + "}").build());
    }
    return jobs;
  }

  private static long countJobs(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT count(DISTINCT id) FROM awa.jobs")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void truncate(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      st.execute("TRUNCATE awa.jobs, awa.scheduled_jobs");
    }
  }
}
