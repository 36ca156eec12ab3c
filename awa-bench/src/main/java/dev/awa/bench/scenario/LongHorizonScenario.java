package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Progress;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.maintenance.LoopLayout;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.MaintenanceRound;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Maintenance over a long horizon, {@code SINGLE} against {@code SPLIT} (and {@code SPLIT} with a
 * second leader running every branch body at once) on identical data, each on a fresh database.
 *
 * <p>Load, before the clock starts: {@code --completed-rows} completed rows finalized 3 days ago
 * (cleanup pressure; they also make {@code queue_stats} scan a big table) and {@code
 * --backlog-rows} available rows waiting for an hour in a queue no worker drains ({@code
 * priority_aging} pressure). During the run: one thread enqueues {@code --scheduled-per-s}
 * scheduled jobs due 1-3 s later; another injects, per second and per kind, {@code
 * --injections-per-s} running jobs with a heartbeat exactly {@code heartbeatStaleness} old, running
 * jobs whose deadline passes now, and parked jobs whose callback timeout passes now (claimed with
 * AwaClient, then backdated with SQL). An AwaRuntime works the queue every promoted and rescued job
 * lands in, and logs each execution. Triggers in the bench database stamp the moment each scheduled
 * job enters awa.jobs (promotion lag = that − its due time) and the moment each injected job is
 * rescued (rescue lag = that − its expiry).
 *
 * <p>Correctness: after the stream stops, a grace period lets the last rescues and promotions
 * happen; then every scheduled and injected job must have executed exactly once ({@code lost},
 * {@code doubled}: executed more than once without a rescue after its first execution), no branch
 * body may have failed, and {@code pg_stat_database.deadlocks} must not have moved.
 */
@Command(
    name = "maintenance-long-horizon",
    mixinStandardHelpOptions = true,
    description =
        "SINGLE vs SPLIT maintenance (and SPLIT with a second leader) on identical data: per"
            + " branch lateness/duration/overruns, promotion and rescue lag, lost/doubled/deadlocks.")
public final class LongHorizonScenario implements Scenario {
  static final String WORK_QUEUE = "lh";
  static final String GHOST_QUEUE = "lh_ghost";
  static final String BACKLOG_QUEUE = "lh_backlog";
  static final List<String> URGENT =
      List.of(
          "promote_scheduled",
          "rescue_stale_heartbeats",
          "rescue_expired_deadlines",
          "rescue_expired_callbacks");

  @Option(
      names = "--minutes",
      defaultValue = "10",
      description = "Length of each run in minutes, fractions allowed (default ${DEFAULT-VALUE}).")
  double minutes = 10;

  @Option(
      names = "--variants",
      split = ",",
      defaultValue = "SINGLE,SPLIT,SPLIT_OVERLAP",
      description = "Runs, in order (default ${DEFAULT-VALUE}).")
  List<String> variants = new ArrayList<>(List.of("SINGLE", "SPLIT", "SPLIT_OVERLAP"));

  @Option(
      names = "--completed-rows",
      defaultValue = "2000000",
      description = "Completed rows past retention loaded first (default ${DEFAULT-VALUE}).")
  int completedRows = 2_000_000;

  @Option(
      names = "--backlog-rows",
      defaultValue = "300000",
      description = "Available rows in an undrained queue (default ${DEFAULT-VALUE}).")
  int backlogRows = 300_000;

  @Option(
      names = "--scheduled-per-s",
      defaultValue = "100",
      description = "Scheduled jobs enqueued per second (default ${DEFAULT-VALUE}).")
  int scheduledPerSecond = 100;

  @Option(
      names = "--injections-per-s",
      defaultValue = "1",
      description = "Expired leases injected per second per kind (default ${DEFAULT-VALUE}).")
  int injectionsPerSecond = 1;

  @Option(
      names = "--rescue-interval-s",
      defaultValue = "30",
      description = "Interval of the three rescue branches (default ${DEFAULT-VALUE}, as shipped).")
  int rescueIntervalSeconds = 30;

  @Option(
      names = "--hygiene-scale",
      defaultValue = "1",
      description =
          "Divides the hygiene intervals (cleanup 60 s, queue_stats 30 s, priority_aging 60 s) so a"
              + " short smoke run still sees them (default ${DEFAULT-VALUE}).")
  int hygieneScale = 1;

  private static final Duration STALENESS = Duration.ofSeconds(90);

  @Override
  public String name() {
    return "maintenance-long-horizon";
  }

  @Override
  public String description() {
    return "Maintenance under hygiene pressure for "
        + minutes
        + " min per variant ("
        + variants
        + ") on identical data: "
        + completedRows
        + " completed rows past retention, "
        + backlogRows
        + " available rows aging in an undrained queue, "
        + scheduledPerSecond
        + " scheduled jobs/s due 1-3 s after enqueue, "
        + injectionsPerSecond
        + " expired heartbeat / deadline / callback per second each; shipped intervals (rescues "
        + rescueIntervalSeconds
        + " s).";
  }

  /** Sets the run length, variants and data sizes (tests). */
  public LongHorizonScenario configure(
      double minutes, List<String> variants, int completedRows, int backlogRows) {
    this.minutes = minutes;
    this.variants = new ArrayList<>(variants);
    this.completedRows = completedRows;
    this.backlogRows = backlogRows;
    return this;
  }

  /** Sets the rescue interval and hygiene scale (tests). */
  public LongHorizonScenario intervals(int rescueIntervalSeconds, int hygieneScale) {
    this.rescueIntervalSeconds = rescueIntervalSeconds;
    this.hygieneScale = hygieneScale;
    return this;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    ScenarioResult result = new ScenarioResult();
    result.setting("minutes_per_variant", minutes);
    result.setting("variants", variants);
    result.setting("completed_rows_past_retention", completedRows);
    result.setting("backlog_rows", backlogRows);
    result.setting("scheduled_per_s", scheduledPerSecond);
    result.setting("injections_per_s_per_kind", injectionsPerSecond);
    result.setting("rescue_interval_s", rescueIntervalSeconds);
    result.setting("hygiene_interval_divisor", hygieneScale);
    result.setting("heartbeat_staleness_s", STALENESS.toSeconds());
    result.setting(
        "runtime", "one AwaRuntime, 16 workers on queue lh (promoted and rescued jobs land there)");
    for (String variant : variants) {
      runVariant(context, variant, result);
    }
    return result;
  }

  /** Per-branch telemetry of one run. */
  static final class Recorder implements MaintenanceListener {
    final Map<String, Histogram> lateness = new ConcurrentHashMap<>();
    final Map<String, Histogram> duration = new ConcurrentHashMap<>();
    final Map<String, LongAdder> overruns = new ConcurrentHashMap<>();
    final LongAdder failures = new LongAdder();
    final Map<String, LongAdder> rescued = new ConcurrentHashMap<>();
    final LongAdder promoted = new LongAdder();

    private static Histogram histogram() {
      return new ConcurrentHistogram(TimeUnit.HOURS.toMicros(1), 3);
    }

    private static void record(Map<String, Histogram> m, String branch, Duration d) {
      long micros = Math.max(0, Math.min(TimeUnit.HOURS.toMicros(1), d.toNanos() / 1000));
      m.computeIfAbsent(branch, b -> histogram()).recordValue(micros);
    }

    @Override
    public void onBranchLateness(String branch, Duration lateness) {
      record(this.lateness, branch, lateness);
    }

    @Override
    public void onBranchDuration(String branch, Duration d, boolean success) {
      record(duration, branch, d);
      if (!success) {
        failures.increment();
      }
    }

    @Override
    public void onOverrunEpisode(String branch, Duration last, Duration interval) {
      overruns.computeIfAbsent(branch, b -> new LongAdder()).increment();
    }

    @Override
    public void onRescued(String kind, int count, int failed) {
      rescued.computeIfAbsent(kind, k -> new LongAdder()).add(count);
    }

    @Override
    public void onPromoted(int count) {
      promoted.add(count);
    }
  }

  private void runVariant(BenchContext context, String variant, ScenarioResult result)
      throws Exception {
    Progress progress = context.progress();
    String v = variant.toLowerCase();
    LoopLayout layout = variant.startsWith("SINGLE") ? LoopLayout.SINGLE : LoopLayout.SPLIT;
    boolean overlap = variant.endsWith("OVERLAP");
    try (TestDatabase db = context.freshDatabase("lh_" + v)) {
      DataSource pool = db.newDataSource(12, "awa-bench-lh");
      long t0 = System.nanoTime();
      progress.line(
          v + ": loading " + completedRows + " completed and " + backlogRows + " backlog");
      load(pool);
      progress.line(
          v + ": loaded in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) + " s");
      long deadlocksBefore = deadlocks(pool);

      Recorder rec = new Recorder();
      Recorder second = new Recorder();
      Map<Long, AtomicInteger> executions = new ConcurrentHashMap<>();
      Map<Long, Long> firstExecutionMillis = new ConcurrentHashMap<>();
      DataSource runtimePool = db.newDataSource(8, "awa-bench-lh-runtime");
      AwaRuntime runtime =
          AwaRuntime.builder(runtimePool)
              .queue(WORK_QUEUE, 16)
              .register(
                  "lh",
                  ctx -> {
                    long id = ctx.job().id();
                    firstExecutionMillis.putIfAbsent(id, System.currentTimeMillis());
                    executions.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                    return JobResult.completed();
                  })
              .build();
      int h = Math.max(1, hygieneScale);
      MaintenanceService service =
          MaintenanceService.builder(db.newDataSource(6, "awa-bench-lh-maint"))
              .layout(layout)
              .listener(rec)
              .heartbeatStaleness(STALENESS)
              .interval("rescue_stale_heartbeats", Duration.ofSeconds(rescueIntervalSeconds))
              .interval("rescue_expired_deadlines", Duration.ofSeconds(rescueIntervalSeconds))
              .interval("rescue_expired_callbacks", Duration.ofSeconds(rescueIntervalSeconds))
              .interval("cleanup", Duration.ofSeconds(60).dividedBy(h))
              .interval("queue_stats", Duration.ofSeconds(30).dividedBy(h))
              .interval("priority_aging", Duration.ofSeconds(60).dividedBy(h))
              .electionInterval(Duration.ofMillis(200))
              .build();
      AwaClient client = AwaClient.create(pool);
      List<Long> scheduledIds = java.util.Collections.synchronizedList(new ArrayList<>());
      Map<Long, String> injected = new ConcurrentHashMap<>();
      AtomicLong workloadErrors = new AtomicLong();
      runtime.start();
      service.start();
      long waitLeader = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!service.isLeader() && System.nanoTime() < waitLeader) {
        Thread.sleep(50);
      }
      long runNanos = (long) (minutes * 60e9);
      long start = System.nanoTime();
      Thread sched =
          loop(
              "lh-scheduled",
              start,
              runNanos,
              scheduledPerSecond,
              i -> {
                long delay = 1000 + (i * 7919L) % 2000;
                scheduledIds.add(
                    client
                        .enqueue(
                            NewJob.builder("lh")
                                .queue(WORK_QUEUE)
                                .runIn(Duration.ofMillis(delay))
                                .build())
                        .id());
              },
              workloadErrors);
      Thread inject =
          loop(
              "lh-inject",
              start,
              runNanos,
              injectionsPerSecond,
              i -> {
                injected.put(injectStale(client, pool), "heartbeat");
                injected.put(injectDeadline(client, pool), "deadline");
                injected.put(injectCallback(client, pool), "callback_timeout");
              },
              workloadErrors);
      Thread overlapThread = null;
      AtomicLong secondFailures = new AtomicLong();
      if (overlap) {
        // Every branch of a service with the service's own defaults, run round after round with
        // the election bypassed, so the overlap with the real leader is forced. Only
        // refresh_admin_metadata is left out: it would flag this round as the leader in
        // awa.runtime_instances, which the overlap does not need.
        MaintenanceRound leader2 =
            MaintenanceService.builder(db.newDataSource(4, "awa-bench-lh-leader2"))
                .instanceId("awa-bench-second-leader")
                .listener(second)
                .heartbeatStaleness(STALENESS)
                .disable(MaintenanceService.REFRESH_ADMIN_METADATA)
                .buildRound();
        overlapThread =
            new Thread(
                () -> {
                  while (System.nanoTime() - start < runNanos + TimeUnit.SECONDS.toNanos(5)) {
                    secondFailures.addAndGet(leader2.runOnce().size());
                    try {
                      Thread.sleep(250);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                },
                "lh-second-leader");
        overlapThread.setDaemon(true);
        overlapThread.start();
      }
      try (Progress.Ticker ignored =
          progress.every(
              Duration.ofSeconds(15),
              () ->
                  v
                      + ": "
                      + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)
                      + " s, "
                      + scheduledIds.size()
                      + " scheduled, "
                      + injected.size()
                      + " injected, "
                      + executions.size()
                      + " executed, promoted "
                      + rec.promoted.sum())) {
        sched.join();
        inject.join();
        if (overlapThread != null) {
          overlapThread.join();
        }
        // Grace: the last injections are rescued within one rescue interval, retried after
        // about 2 s of backoff, promoted and run.
        Set<Long> expected = new TreeSet<>(scheduledIds);
        expected.addAll(injected.keySet());
        long graceUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(rescueIntervalSeconds + 30L);
        while (System.nanoTime() < graceUntil && !executions.keySet().containsAll(expected)) {
          Thread.sleep(200);
        }
      }
      service.close();
      runtime.close();

      // Report.
      String p = v + "_";
      for (String branch : new TreeSet<>(rec.duration.keySet())) {
        Histogram lat = rec.lateness.getOrDefault(branch, Recorder.histogram());
        Histogram dur = rec.duration.get(branch);
        String b = p + branch;
        ms(result, b + "_lateness_p50_ms", lat.getValueAtPercentile(50), branch, "lateness p50");
        ms(result, b + "_lateness_p99_ms", lat.getValueAtPercentile(99), branch, "lateness p99");
        ms(result, b + "_lateness_max_ms", lat.getMaxValue(), branch, "lateness max");
        ms(result, b + "_duration_p50_ms", dur.getValueAtPercentile(50), branch, "body p50");
        ms(result, b + "_duration_p99_ms", dur.getValueAtPercentile(99), branch, "body p99");
        long episodes = rec.overruns.getOrDefault(branch, new LongAdder()).sum();
        result.metric(b + "_overrun_episodes", "episodes", episodes, branch + " overrun episodes");
        result.metric(b + "_runs", "runs", dur.getTotalCount(), branch + " bodies run");
      }
      try (Connection c = pool.getConnection()) {
        lag(
            c,
            result,
            p + "promotion_lag",
            "SELECT extract(epoch FROM promoted_at - run_at) * 1000" + " FROM bench_promotions",
            "due time -> available in awa.jobs");
        for (String kind : List.of("heartbeat", "deadline", "callback_timeout")) {
          lag(
              c,
              result,
              p + "rescue_lag_" + kind,
              "SELECT extract(epoch FROM r.rescued_at - i.expired_at) * 1000 FROM bench_rescues r"
                  + " JOIN bench_injections i USING (id) WHERE i.kind = '"
                  + kind
                  + "'",
              kind + " expiry -> rescued");
        }
        Map<Long, Long> rescuedAt = new HashMap<>();
        try (Statement st = c.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "SELECT id, (extract(epoch FROM rescued_at) * 1000)::bigint FROM"
                        + " bench_rescues")) {
          while (rs.next()) {
            rescuedAt.merge(rs.getLong(1), rs.getLong(2), Math::max);
          }
        }
        Set<Long> expected = new TreeSet<>(scheduledIds);
        expected.addAll(injected.keySet());
        long lost = 0;
        long doubled = 0;
        for (long id : expected) {
          AtomicInteger n = executions.get(id);
          if (n == null) {
            lost++;
          } else if (n.get() > 1) {
            Long r = rescuedAt.get(id);
            if (r == null || r < firstExecutionMillis.get(id)) {
              doubled++;
            }
          }
        }
        long injectedNotRescued = 0;
        for (long id : injected.keySet()) {
          if (!rescuedAt.containsKey(id)) {
            injectedNotRescued++;
          }
        }
        result.metric(p + "scheduled_jobs", "jobs", scheduledIds.size(), "scheduled jobs enqueued");
        result.metric(p + "injected_jobs", "jobs", injected.size(), "expired leases injected");
        result.metric(p + "promoted", "jobs", rec.promoted.sum(), "promoted by the leader");
        result.metric(
            p + "cleaned_completed_remaining",
            "rows",
            count(c, "SELECT count(*) FROM awa.jobs WHERE kind = 'lh_old'"),
            "completed rows past retention still there at the end");
        if (overlap) {
          result.metric(
              p + "second_leader_promoted",
              "jobs",
              second.promoted.sum(),
              "promoted by the second leader (proves the overlap happened)");
          result.metric(
              p + "second_leader_rescued",
              "jobs",
              second.rescued.values().stream().mapToLong(LongAdder::sum).sum(),
              "rescued by the second leader");
          result.check(p + "second_leader_branch_failures", secondFailures.get());
        }
        result.check(p + "lost", lost);
        result.check(p + "doubled", doubled);
        result.check(p + "injected_not_rescued", injectedNotRescued);
        result.check(p + "deadlocks", deadlocks(pool) - deadlocksBefore);
        result.check(p + "branch_failures", rec.failures.sum());
        result.check(p + "workload_errors", workloadErrors.get());
        progress.line(
            v
                + ": lost "
                + lost
                + ", doubled "
                + doubled
                + ", executed "
                + executions.size()
                + " of "
                + expected.size());
      }
    }
  }

  private static void ms(ScenarioResult r, String name, long micros, String branch, String what) {
    r.metric(name, "ms", micros / 1000.0, branch + " " + what);
  }

  private static void lag(Connection c, ScenarioResult r, String name, String sql, String what)
      throws SQLException {
    Histogram h = new Histogram(TimeUnit.HOURS.toMicros(1), 3);
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        long micros = (long) (rs.getDouble(1) * 1000);
        h.recordValue(Math.max(0, Math.min(h.getHighestTrackableValue(), micros)));
      }
    }
    r.metric(name + "_p50_ms", "ms", h.getValueAtPercentile(50) / 1000.0, what + ", p50");
    r.metric(name + "_p99_ms", "ms", h.getValueAtPercentile(99) / 1000.0, what + ", p99");
    r.metric(name + "_max_ms", "ms", h.getMaxValue() / 1000.0, what + ", max");
    r.metric(name + "_count", "jobs", h.getTotalCount(), what + ", samples");
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long deadlocks(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection()) {
      return count(c, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    }
  }

  @FunctionalInterface
  private interface Step {
    void run(long i) throws Exception;
  }

  /** Runs {@code step} {@code perSecond} times a second on its own thread until the run ends. */
  private static Thread loop(
      String name, long start, long runNanos, int perSecond, Step step, AtomicLong errors) {
    Thread t =
        new Thread(
            () -> {
              long period = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perSecond);
              long next = start;
              for (long i = 0; next - start < runNanos; i++) {
                long wait;
                while ((wait = next - System.nanoTime()) > 0) {
                  java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                try {
                  step.run(i);
                } catch (Exception e) {
                  errors.incrementAndGet();
                }
                next += period;
              }
            },
            name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** A ghost claim: enqueued into a queue nobody works, claimed here, moved to the work queue. */
  private static JobRow ghostClaim(AwaClient client) {
    client.enqueue(NewJob.builder("lh").queue(GHOST_QUEUE).maxAttempts(25).build());
    List<JobRow> rows =
        client.leases().claim(GHOST_QUEUE, 1, Duration.ofHours(1), "awa-bench-ghost");
    if (rows.isEmpty()) {
      throw new IllegalStateException("ghost claim found nothing");
    }
    return rows.get(0);
  }

  private static long injectStale(AwaClient client, DataSource pool) throws SQLException {
    JobRow row = ghostClaim(client);
    // Expires now: its heartbeat is exactly the staleness old.
    update(
        pool,
        "WITH u AS (UPDATE awa.jobs SET queue = ?, heartbeat_at = now() - ? * interval '1"
            + " millisecond' WHERE id = ? RETURNING id) INSERT INTO bench_injections SELECT id,"
            + " 'heartbeat', clock_timestamp() FROM u",
        WORK_QUEUE,
        STALENESS.toMillis(),
        row.id());
    return row.id();
  }

  private static long injectDeadline(AwaClient client, DataSource pool) throws SQLException {
    JobRow row = ghostClaim(client);
    update(
        pool,
        "WITH u AS (UPDATE awa.jobs SET queue = ?, deadline_at = clock_timestamp() WHERE id = ?"
            + " RETURNING id, deadline_at) INSERT INTO bench_injections SELECT id, 'deadline',"
            + " deadline_at FROM u",
        WORK_QUEUE,
        row.id());
    return row.id();
  }

  private static long injectCallback(AwaClient client, DataSource pool) throws SQLException {
    JobRow row = ghostClaim(client);
    client.leases().registerCallback(row, Duration.ofHours(1));
    client.leases().parkForCallback(row);
    update(
        pool,
        "WITH u AS (UPDATE awa.jobs SET queue = ?, callback_timeout_at = clock_timestamp() WHERE"
            + " id = ? AND state = 'waiting_external' RETURNING id, callback_timeout_at) INSERT INTO"
            + " bench_injections SELECT id, 'callback_timeout', callback_timeout_at FROM u",
        WORK_QUEUE,
        row.id());
    return row.id();
  }

  private static void update(DataSource pool, String sql, Object... params) throws SQLException {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  /** Hygiene pressure, side tables and the stamping triggers. */
  private void load(DataSource pool) throws SQLException {
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO awa.jobs (kind, queue, state, attempt, created_at, run_at, attempted_at,"
              + " finalized_at) SELECT 'lh_old', 'lh_old_' || (g % 8), 'completed', 1,"
              + " now() - interval '3 days', now() - interval '3 days',"
              + " now() - interval '3 days', now() - interval '3 days' + g * interval '1 ms'"
              + " FROM generate_series(1, "
              + completedRows
              + ") g");
      st.execute(
          "INSERT INTO awa.jobs (kind, queue, state, priority, created_at, run_at)"
              + " SELECT 'lh_backlog', '"
              + BACKLOG_QUEUE
              + "', 'available', 4, now() - interval '1 hour', now() - interval '1 hour'"
              + " + g * interval '1 ms' FROM generate_series(1, "
              + backlogRows
              + ") g");
      st.execute("VACUUM ANALYZE awa.jobs");
      st.execute(
          "CREATE TABLE bench_promotions (id bigint, run_at timestamptz, promoted_at"
              + " timestamptz)");
      st.execute("CREATE TABLE bench_rescues (id bigint, rescued_at timestamptz)");
      st.execute(
          "CREATE TABLE bench_injections (id bigint PRIMARY KEY, kind text, expired_at"
              + " timestamptz)");
      st.execute(
          "CREATE FUNCTION bench_stamp_promotion() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN INSERT INTO bench_promotions VALUES (NEW.id, NEW.run_at,"
              + " clock_timestamp()); RETURN NULL; END $$");
      st.execute(
          "CREATE TRIGGER bench_promotion AFTER INSERT ON awa.jobs FOR EACH ROW WHEN"
              + " (NEW.kind = 'lh' AND NEW.attempt = 0 AND NEW.queue = '"
              + WORK_QUEUE
              + "') EXECUTE FUNCTION bench_stamp_promotion()");
      st.execute(
          "CREATE FUNCTION bench_stamp_rescue() RETURNS trigger LANGUAGE plpgsql AS $$"
              + " BEGIN INSERT INTO bench_rescues VALUES (NEW.id, clock_timestamp());"
              + " RETURN NULL; END $$");
      st.execute(
          "CREATE TRIGGER bench_rescue AFTER INSERT ON awa.scheduled_jobs FOR EACH ROW WHEN"
              + " (NEW.kind = 'lh' AND NEW.state = 'retryable') EXECUTE FUNCTION"
              + " bench_stamp_rescue()");
    }
  }
}
