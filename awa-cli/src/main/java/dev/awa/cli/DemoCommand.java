package dev.awa.cli;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaListener;
import dev.awa.core.AwaRuntime;
import dev.awa.core.Migrations;
import dev.awa.core.NewJob;
import dev.awa.core.QueueConfig;
import dev.awa.core.internal.DaemonThreads;
import dev.awa.maintenance.BranchStatus;
import dev.awa.maintenance.CronAdmin;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.maintenance.PeriodicJob;
import dev.awa.metrics.AwaMetrics;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code awa demo}: a live run of the whole system on a throwaway PostgreSQL. It wires the pieces
 * together and runs the phases (start, enqueue, drain, summarize, shut down); the job mix is in
 * {@link DemoWorkload}, the handlers in {@link DemoWorkers}, the output in {@link ProgressLine} and
 * {@link DemoSummary}.
 */
@Command(
    name = "demo",
    description = {
      "Run a live demo: an embedded PostgreSQL 17 (or --database-url), a worker runtime with two"
          + " queues, the maintenance leader, and a realistic job mix for --duration; then a"
          + " summary that accounts for every job.",
      "Exit code 0 when no job was lost and the hung job was rescued, 1 otherwise."
    })
final class DemoCommand implements Callable<Integer> {
  /** The deadline of queue default: short, so the hung job is rescued within the demo. */
  static final Duration DEFAULT_QUEUE_DEADLINE = Duration.ofSeconds(2);

  static final String PERIODIC_NAME = "awa-demo-report";
  static final String PERIODIC_CRON = "*/5 * * * * *";

  /**
   * Covers the runtime (listener, 2 producers, completer, heartbeat, 16 handlers' own reads), the
   * leader and its three loops, the enqueuer, the payment provider and the demo's reads.
   */
  private static final int POOL_SIZE = 24;

  /**
   * How long the runtime waits for running handlers when it closes before handing their jobs back.
   * The demo's handlers take at most 80 ms; the hung invoice handler ignores interrupts and would
   * use up any limit, so the limit is short and Ctrl-C ends the demo within a few seconds. A
   * handed-back job is simply available again.
   */
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(1);

  /** Upper bound on waiting for scheduled and retried jobs to finish after enqueuing stops. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description =
          "Run against this server instead of an embedded one (use a scratch database: the demo"
              + " works queues default and email there and competes for maintenance leadership)."
              + " AWA_DATABASE_URL is deliberately not read.")
  String databaseUrl;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "How long to enqueue jobs, e.g. 30s, 5s, 1m (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description = "Serve Prometheus metrics at http://127.0.0.1:PORT/metrics while it runs.")
  Integer metricsPort;

  @Option(names = "--no-ui", description = "Do not start the web dashboard.")
  boolean noUi;

  @Override
  public Integer call() throws Exception {
    if (duration.isNegative()
        || duration.isZero()
        || duration.compareTo(Duration.ofHours(24)) > 0) {
      throw new CliException(ExitCodes.USAGE, "--duration must be between 1ms and 24h");
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65_535)) {
      throw new CliException(ExitCodes.USAGE, "--metrics-port must be between 0 and 65535");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ShutdownSequence resources = new ShutdownSequence(out)) {
      try {
        return run(out, resources);
      } catch (Exception e) {
        if (resources.interrupted() || e instanceof InterruptedException) {
          // Ctrl-C or SIGTERM: the sequence reports the orderly shutdown; whatever the demo was
          // doing when interrupted is not an error. The JVM exits with 128 + signal (130, 143).
          return ExitCodes.INTERRUPTED;
        }
        throw e;
      }
    }
  }

  private int run(PrintWriter out, ShutdownSequence resources) throws Exception {
    long started = System.nanoTime();
    DemoRecorder recorder = new DemoRecorder();
    List<AwaListener> runtimeListeners = new ArrayList<>(List.of(recorder));
    List<MaintenanceListener> maintenanceListeners = new ArrayList<>(List.of(recorder));
    AwaMetrics metrics = null;
    if (metricsPort != null) {
      MetricsEndpoint endpoint = resources.add(MetricsEndpoint.start(metricsPort));
      metrics = AwaMetrics.bind(endpoint.registry());
      runtimeListeners.add(metrics);
      maintenanceListeners.add(metrics);
      say(out, "metrics:  " + endpoint.url());
    }

    String jdbcUrl;
    boolean embedded = databaseUrl == null;
    if (embedded) {
      say(out, "starting an embedded PostgreSQL 17 in a temporary directory ...");
      EmbeddedDatabase server =
          resources.add(
              EmbeddedDatabase.start(),
              () -> "embedded PostgreSQL stopped, data directory removed");
      jdbcUrl = server.jdbcUrl();
      say(
          out,
          "postgres: started in "
              + Formats.duration(since(started))
              + ", data in "
              + server.dataDirectory()
              + " (removed on exit)");
    } else {
      jdbcUrl = DatabaseUrls.toJdbc(databaseUrl);
    }
    Database db =
        resources.add(
            Database.open(jdbcUrl, POOL_SIZE, "awa-demo"), () -> "connection pool closed");
    if (!embedded) {
      say(out, "postgres: " + db.target());
    }
    Migrations.migrate(db.dataSource());
    CronAdmin schedules = new CronAdmin(db.dataSource());
    // A shared database's next leader would otherwise keep firing the demo's schedule; closed
    // after maintenance (registered before it), also when the run is interrupted.
    AutoCloseable deleteSchedule =
        embedded
            ? () -> {}
            : resources.add(
                () -> schedules.delete(PERIODIC_NAME),
                () -> "schedule " + PERIODIC_NAME + " deleted");

    AwaListener jobTelemetry = AwaListener.composite(runtimeListeners.toArray(AwaListener[]::new));
    MaintenanceListener maintenanceTelemetry =
        MaintenanceListener.composite(maintenanceListeners.toArray(MaintenanceListener[]::new));
    AwaClient client = AwaClient.builder(db.dataSource()).listener(jobTelemetry).build();
    if (!noUi) {
      resources.add(DemoDashboard.start(db.dataSource(), client, out));
    }
    DemoQueries queries = new DemoQueries(db.dataSource());
    Instant startedAt = queries.now();

    DemoExternalSystem paymentProvider = resources.add(new DemoExternalSystem(client));
    MaintenanceService maintenance = maintenance(db, maintenanceTelemetry);
    resources.add(
        maintenance.start(),
        () -> "maintenance stopped" + (maintenance.isLeader() ? ", stepped down as leader" : ""));
    AwaRuntime runtime = runtime(db, client, paymentProvider);
    resources.add(
        runtime,
        () ->
            "runtime stopped claiming; "
                + runtime.inFlightCount()
                + " job(s) in flight drained or handed back");
    if (metrics != null) {
      metrics.bindRuntime(runtime); // awa.job.in_flight
    }
    runtime.start();
    say(
        out,
        "runtime:  queues default (8 slots, deadline "
            + Formats.duration(DEFAULT_QUEUE_DEADLINE)
            + ") and email (8 slots); maintenance with 1s rescues; periodic job every 5s");
    say(out, "enqueuing for " + Formats.duration(duration) + " ...");
    say(
        out,
        "progress: per queue a/r/s/w = available, running, scheduled or retryable, waiting for"
            + " a callback");

    ProgressLine progress =
        new ProgressLine(
            out,
            System.console() != null,
            recorder,
            maintenance::isLeader,
            () -> leaderElsewhere(queries, maintenance),
            List.of(DemoWorkload.DEFAULT_QUEUE, DemoWorkload.EMAIL_QUEUE),
            System::nanoTime);
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("awa-demo-progress"));
    resources.add(ticker::shutdownNow); // also on failure, so no line is printed after the end
    resources.beforeReport(
        () -> {
          ticker.shutdownNow();
          progress.finish();
        });
    ticker.scheduleAtFixedRate(progress::tick, 1, 1, TimeUnit.SECONDS);

    DemoWorkload workload = resources.add(new DemoWorkload(client));
    workload.start();
    Thread.sleep(duration.toMillis());
    workload.stop();
    // The schedule is a producer too: pausing it (atomic with fires) means nothing is
    // enqueued after the drain below has seen everything finish.
    schedules.pause(PERIODIC_NAME);

    // Let scheduled jobs, retries and the rescued job play out, so the summary shows final
    // states; whatever is still queued at the limit is reported as such, not as lost.
    progress.phase("(draining)");
    long drainUntil = System.nanoTime() + DRAIN_LIMIT.toNanos();
    while (System.nanoTime() < drainUntil) {
      List<Long> tracked = new ArrayList<>(workload.enqueuedIds());
      tracked.addAll(queries.idsOfKindSince(DemoWorkers.REPORT_SNAPSHOT, startedAt));
      if (queries.unfinished(tracked) == 0) {
        break;
      }
      Thread.sleep(250);
    }
    ticker.shutdownNow();
    ticker.awaitTermination(1, TimeUnit.SECONDS);
    progress.finish();

    Duration ran = since(started);
    List<BranchStatus> branches = maintenance.branchStatus();
    resources.closeNow(runtime);
    resources.closeNow(maintenance);
    resources.closeNow(deleteSchedule);
    List<Long> periodicIds = queries.idsOfKindSince(DemoWorkers.REPORT_SNAPSHOT, startedAt);
    DemoSummary.Outcome outcome =
        new DemoSummary(queries)
            .print(
                out,
                workload.enqueuedIds(),
                periodicIds,
                recorder,
                branches,
                paymentProvider.resolved(),
                ran);
    return outcome.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  private MaintenanceService maintenance(Database db, MaintenanceListener listener) {
    Duration rescue = Duration.ofSeconds(1);
    return MaintenanceService.builder(db.dataSource())
        .listener(listener)
        // Take the lead within a couple of seconds instead of the production 5 s + 3 s.
        .electionInterval(Duration.ofSeconds(1))
        .healthCheckInterval(Duration.ofMillis(500))
        .healthCheckTimeout(Duration.ofSeconds(1))
        .interval(MaintenanceService.RESCUE_STALE_HEARTBEATS, rescue)
        .interval(MaintenanceService.RESCUE_EXPIRED_DEADLINES, rescue)
        .interval(MaintenanceService.RESCUE_EXPIRED_CALLBACKS, rescue)
        .interval(MaintenanceService.QUEUE_STATS, Duration.ofSeconds(1))
        .interval(MaintenanceService.REFRESH_ADMIN_METADATA, Duration.ofSeconds(5))
        .interval(MaintenanceService.CRON_SYNC, Duration.ofSeconds(5))
        // Matches the runtime's 1 s heartbeat: a dead worker's jobs come back within the run.
        .heartbeatStaleness(Duration.ofSeconds(5))
        .shutdownTimeout(Duration.ofSeconds(5))
        .periodicJob(
            PeriodicJob.builder(PERIODIC_NAME, PERIODIC_CRON)
                .job(
                    NewJob.builder(DemoWorkers.REPORT_SNAPSHOT)
                        .queue(DemoWorkload.DEFAULT_QUEUE)
                        .build())
                .build())
        .build();
  }

  private AwaRuntime runtime(Database db, AwaClient client, DemoExternalSystem paymentProvider) {
    AwaRuntime.Builder builder =
        AwaRuntime.builder(db.dataSource())
            .client(client)
            .queue(
                QueueConfig.of(DemoWorkload.DEFAULT_QUEUE, 8).withDeadline(DEFAULT_QUEUE_DEADLINE))
            .queue(DemoWorkload.EMAIL_QUEUE, 8)
            .pollInterval(Duration.ofMillis(200))
            .heartbeatInterval(Duration.ofSeconds(1))
            .heartbeatStaleness(Duration.ofSeconds(5))
            // Short backoff so the jobs that fail twice finish within a short demo.
            .retryPolicy(attempt -> Duration.ofMillis(500L * attempt))
            .drainTimeout(DRAIN_TIMEOUT);
    return new DemoWorkers(client, paymentProvider).registerAll(builder).build();
  }

  private static boolean leaderElsewhere(DemoQueries queries, MaintenanceService maintenance) {
    try {
      return queries.leaderOtherThan(maintenance.instanceId());
    } catch (SQLException e) {
      return false; // a progress line is no place for a database error
    }
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static void say(PrintWriter out, String line) {
    out.println(line);
    out.flush();
  }
}
