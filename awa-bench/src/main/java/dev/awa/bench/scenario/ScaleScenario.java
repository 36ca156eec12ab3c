package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Progress;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How drain throughput and what each job leaves behind grow with the backlog: the runtime (16
 * slots) and the bare loop drain 20,000 / 200,000 / 1,000,000 jobs with autovacuum on and off for
 * the table, optionally while another session holds a snapshot (during both loops); jobs/s, the
 * rate against the smallest backlog's, dead tuples / updates / HOT updates per job from
 * pg_stat_user_tables (read after the drain's backends exited, so every counter is flushed), and
 * heap and index bytes added per job. {@code --schema} compares variants of awa.jobs ({@link
 * ScaleSchemas}) in one run; {@code --bare-watermark} adds the bare loop whose claim starts at its
 * previous claim's first key (adr/0012).
 */
@Command(
    name = "scale",
    mixinStandardHelpOptions = true,
    description =
        "Runtime and bare loop draining growing backlogs with autovacuum on/off and a snapshot"
            + " held: jobs/s and dead tuples per job.")
public final class ScaleScenario implements Scenario {
  private static final String QUEUE = "scale";
  private static final String ADMIN = "awa-bench-scale-admin";
  private static final String BARE_POOL = "awa-bench-scale-bare";
  private static final String RUNTIME_POOLS = "awa-bench-runtime-";
  private static final int BARE_THREADS = 16;

  @Option(
      names = "--jobs",
      split = ",",
      defaultValue = "20000,200000,1000000",
      description = "Backlogs (default ${DEFAULT-VALUE}).")
  List<Integer> jobCounts = new ArrayList<>(List.of(20_000, 200_000, 1_000_000));

  @Option(
      names = "--autovacuum",
      split = ",",
      defaultValue = "on,off",
      description = "Autovacuum of the drained table: on, off or both (default ${DEFAULT-VALUE}).")
  List<String> autovacuum = new ArrayList<>(List.of("on", "off"));

  @Option(
      names = "--hold-snapshot-s",
      defaultValue = "0",
      description =
          "Seconds another session holds a REPEATABLE READ snapshot from the drain's start (0:"
              + " none; default ${DEFAULT-VALUE}).")
  int holdSnapshotSeconds;

  @Option(
      names = "--workers",
      defaultValue = "16",
      description = "Runtime slots (default ${DEFAULT-VALUE}).")
  int workers = 16;

  @Option(
      names = "--schema",
      split = ",",
      defaultValue = "current",
      description =
          "Schema variants of awa.jobs to compare, alternating within each backlog (adr/0012;"
              + " default ${DEFAULT-VALUE}).")
  List<String> schemas = new ArrayList<>(List.of("current"));

  @Option(names = "--no-bare", description = "Skip the bare loop.")
  boolean noBare;

  @Option(
      names = "--bare-watermark",
      description =
          "Also run the bare loop whose claim starts at its previous claim's first key (adr/0012).")
  boolean bareWatermark;

  @Override
  public String name() {
    return "scale";
  }

  @Override
  public String description() {
    return "AwaRuntime ("
        + workers
        + " slots, defaults) and the bare loop (16 threads × 100, minimal table) draining "
        + jobCounts
        + " jobs with the table's autovacuum "
        + autovacuum
        + (holdSnapshotSeconds > 0
            ? ", while a session holds a snapshot for the first " + holdSnapshotSeconds + " s"
            : "")
        + (bareWatermark ? "; also the bare loop claiming from a watermark" : "")
        + (schemas.size() > 1 ? "; schema variants " + schemas : "")
        + "; dead tuples, updates and HOT updates per job from pg_stat_user_tables, heap and"
        + " index bytes added per job.";
  }

  /** Also runs the watermark bare loop (smoke tests). */
  public ScaleScenario bareWatermark(boolean on) {
    this.bareWatermark = on;
    return this;
  }

  /** Sets the schema variants to compare (smoke tests). */
  public ScaleScenario schemas(List<String> names) {
    this.schemas = new ArrayList<>(names);
    return this;
  }

  /** Sets the shape (smoke tests). */
  public ScaleScenario shape(List<Integer> jobs, List<String> autovacuum, int holdSeconds) {
    this.jobCounts = new ArrayList<>(jobs);
    this.autovacuum = new ArrayList<>(autovacuum);
    this.holdSnapshotSeconds = holdSeconds;
    return this;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    List<ScaleSchemas.Variant> variants = new ArrayList<>();
    for (String name : schemas) {
      variants.add(ScaleSchemas.named(name));
    }
    ScenarioResult result = new ScenarioResult();
    result.setting("jobs", jobCounts);
    result.setting("autovacuum", autovacuum);
    result.setting("hold_snapshot_s", holdSnapshotSeconds);
    result.setting("workers", workers);
    result.setting("schema", schemas);
    for (ScaleSchemas.Variant v : variants) {
      result.setting("schema_" + v.name(), v.description() + ddlText(v));
    }
    for (String av : autovacuum) {
      Map<String, Double> first = new HashMap<>();
      for (int jobs : jobCounts) {
        // Variants alternate within each backlog, so each A/B pair ran minutes apart at most.
        for (ScaleSchemas.Variant v : variants) {
          String suffix = "_" + jobs + "_av_" + av + (variants.size() > 1 ? "_" + v.name() : "");
          try (TestDatabase db = context.freshDatabase("scale")) {
            DataSource admin = db.newDataSource(4, ADMIN);
            boolean vacuum = "on".equals(av);
            for (String key : bareLoops()) {
              double bare = bare(db, admin, context.progress(), result, jobs, vacuum, key, suffix);
              double f = first.computeIfAbsent(key + v.name(), k -> bare);
              result.metric(
                  key + "_vs_first" + suffix,
                  "%",
                  100 * bare / f,
                  "bare loop's rate as a % of its rate at the smallest backlog");
            }
            for (String ddl : v.ddl()) {
              RuntimeDrain.execute(admin, ddl);
            }
            long[] ids = RuntimeDrain.load(admin, QUEUE, jobs);
            RuntimeDrain.execute(
                admin, "ALTER TABLE awa.jobs SET (autovacuum_enabled = " + vacuum + ")");
            TableFootprint before = TableFootprint.read(admin, "awa.jobs");
            RuntimeDrain.Outcome d;
            try (SnapshotHolder ignored = SnapshotHolder.start(db, holdSnapshotSeconds)) {
              d =
                  RuntimeDrain.run(
                      db,
                      context.progress(),
                      "runtime, " + jobs + " jobs, autovacuum " + av + ", schema " + v.name(),
                      ids,
                      QUEUE,
                      RuntimeDrain.Setup.of(workers, 10));
            }
            TableFootprint.flushBackends(admin, RUNTIME_POOLS);
            MinimalCeiling.checkRuntime(result, admin, d, jobs, "runtime", suffix);
            TableFootprint after = TableFootprint.read(admin, "awa.jobs");
            double f = first.computeIfAbsent("runtime" + v.name(), k -> d.jobsPerSecond());
            result.metric("runtime_jobs_per_s" + suffix, "jobs/s", d.jobsPerSecond(), "runtime");
            result.metric(
                "runtime_vs_first" + suffix,
                "%",
                100 * d.jobsPerSecond() / f,
                "runtime's rate as a % of its rate at the smallest backlog");
            perJob(result, "runtime", suffix, before, after, jobs);
          }
        }
      }
    }
    return result;
  }

  private List<String> bareLoops() {
    List<String> keys = new ArrayList<>();
    if (!noBare) {
      keys.add("bare");
      if (bareWatermark) {
        keys.add("bare_watermark");
      }
    }
    return keys;
  }

  private static String ddlText(ScaleSchemas.Variant v) {
    return v.ddl().isEmpty() ? "" : ": " + String.join("; ", v.ddl());
  }

  private double bare(
      TestDatabase db,
      DataSource admin,
      Progress progress,
      ScenarioResult result,
      int jobs,
      boolean vacuum,
      String key,
      String suffix)
      throws Exception {
    CeilingTable table = new CeilingTable("bench_scale_jobs", false);
    try (Connection c = admin.getConnection()) {
      table.create(c);
    }
    // Its own pool with spare connections: the 16 threads hold one each for the whole drain.
    DataSource pool = db.newDataSource(BARE_THREADS + 2, BARE_POOL);
    Pools.open(pool, BARE_THREADS + 2);
    DrainPath path =
        key.equals("bare")
            ? new BareSqlDrain(key, "bare SQL", table, pool, 100)
            : new WatermarkBareDrain(key, "bare SQL, claim from a watermark", table, pool, 100);
    long[] ids = path.load(QUEUE, jobs);
    RuntimeDrain.execute(admin, "VACUUM ANALYZE " + path.table());
    RuntimeDrain.execute(
        admin, "ALTER TABLE " + path.table() + " SET (autovacuum_enabled = " + vacuum + ")");
    TableFootprint before = TableFootprint.read(admin, path.table());
    progress.line(path.label() + ": draining " + jobs + " jobs");
    DrainMeasurement.Outcome o;
    try (SnapshotHolder ignored = SnapshotHolder.start(db, holdSnapshotSeconds)) {
      o = DrainMeasurement.measure(progress, path, QUEUE, ids, BARE_THREADS);
    }
    if (pool instanceof AutoCloseable closeable) {
      closeable.close(); // its backends exit (and flush their statistics)
    }
    TableFootprint.flushBackends(admin, BARE_POOL);
    DrainMeasurement.check(result, o, jobs, admin, suffix);
    TableFootprint after = TableFootprint.read(admin, path.table());
    result.metric(key + "_jobs_per_s" + suffix, "jobs/s", o.jobsPerSecond(), path.label());
    perJob(result, key, suffix, before, after, jobs);
    RuntimeDrain.execute(admin, "DROP TABLE " + path.table());
    return o.jobsPerSecond();
  }

  private static void perJob(
      ScenarioResult r,
      String key,
      String suffix,
      TableFootprint before,
      TableFootprint after,
      int jobs) {
    r.metric(
        key + "_dead_tuples_per_job" + suffix,
        "",
        (double) after.deadTuples() / jobs,
        "n_dead_tup / jobs after the drain");
    r.metric(
        key + "_updates_per_job" + suffix,
        "",
        (double) (after.updates() - before.updates()) / jobs,
        "n_tup_upd / jobs");
    r.metric(
        key + "_hot_updates_per_job" + suffix,
        "",
        (double) (after.hotUpdates() - before.hotUpdates()) / jobs,
        "n_tup_hot_upd / jobs");
    r.metric(
        key + "_heap_growth_per_job" + suffix,
        "bytes",
        (double) (after.heapBytes() - before.heapBytes()) / jobs,
        "heap bytes added by the drain / jobs");
    r.metric(
        key + "_index_growth_per_job" + suffix,
        "bytes",
        (double) (after.indexBytes() - before.indexBytes()) / jobs,
        "index bytes (all of the table's indexes) added by the drain / jobs");
  }

  /** A session that holds one snapshot open for a while (pins vacuum's horizon). */
  private static final class SnapshotHolder implements AutoCloseable {
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);

    private SnapshotHolder(Thread thread) {
      this.thread = thread;
    }

    static SnapshotHolder start(TestDatabase db, int seconds) throws Exception {
      if (seconds <= 0) {
        return new SnapshotHolder(null);
      }
      Connection c = db.openConnection();
      c.setAutoCommit(false);
      c.createStatement().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      c.createStatement().executeQuery("SELECT count(*) FROM awa.jobs").close();
      SnapshotHolder[] self = new SnapshotHolder[1];
      Thread t =
          new Thread(
              () -> {
                try (c) {
                  self[0].stop.await(seconds, TimeUnit.SECONDS);
                  c.rollback();
                } catch (Exception e) {
                  // The holder only pins the horizon; nothing to report.
                }
              },
              "awa-bench-snapshot-holder");
      self[0] = new SnapshotHolder(t);
      t.setDaemon(true);
      t.start();
      return self[0];
    }

    @Override
    public void close() throws InterruptedException {
      if (thread != null) {
        stop.countDown(); // held for the given time or the drain, whichever is shorter
        thread.join();
      }
    }
  }
}
