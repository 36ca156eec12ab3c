package dev.awa.maintenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.AwaClient;
import dev.awa.core.RetryPolicy;
import dev.awa.core.internal.DaemonThreads;
import dev.awa.core.internal.InstanceHolds;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.ProcessIdentity;
import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.store.InstanceSql;
import dev.awa.core.internal.store.MaintenanceSql;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The maintenance leader. Every process that runs workers (or a maintenance-only process) starts
 * one; at most one per database leads at a time, by holding a session advisory lock on a dedicated
 * connection, and runs the branches: promotion of due jobs, the three rescues, and the hygiene
 * branches (cleanup, queue stats, priority aging, admin metadata, plus any registered with {@link
 * Builder#addBranch}). Followers retry on an interval and take over when the leader's session ends.
 *
 * <p>Branches run on one scheduler thread per loop: under {@link LoopLayout#SPLIT} (the default) an
 * urgent loop and a hygiene loop, so slow hygiene never delays promotion or rescue. Every tick
 * first checks leadership. See {@code docs/maintenance.md}.
 *
 * <p><b>Composition.</b> The service holds the immutable configuration its {@link Builder} built
 * once. Its branches are the built-ins (each one class owning its name, default interval and
 * settings, listed one line each in {@code BranchRegistry}) and those added with {@link
 * Builder#addBranch}, all registered through the same checks; {@link MaintenanceRound} runs the
 * same list once. The service shares its instance id, and so its {@code awa.runtime_instances} row,
 * with the process's runtime; the last of the two to close removes the row.
 *
 * <p><b>Hand-over.</b> {@link #close()} stops the loops, then unlocks and announces the release
 * with a NOTIFY; a waiting follower takes over within about a second, without the grace a crash
 * takeover needs. {@link #whenLeader()} and {@link #awaitLeadership(Duration)} wait for this
 * process to lead without polling.
 *
 * <p><b>Poolers.</b> The leader needs a real session. When the {@link DataSource} goes through a
 * transaction pooler (PgBouncer in transaction mode), give the leader a direct URL with {@link
 * Builder#leaderJdbcUrl}. Without it the election is refused: before competing, the candidate
 * connection is checked to be pinned to one backend, and a pooler fails that check with an ERROR
 * (and {@link LeaderElectionRefusedException} from the waiting methods). The health check, which
 * steps down when the leader's backend pid changes, stays as the backstop.
 */
public final class MaintenanceService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MaintenanceService.class);

  /** Branch name: moves due scheduled and retryable jobs to available. */
  public static final String PROMOTE_SCHEDULED = PromoteScheduledBranch.NAME;

  /** Branch name: rescues running jobs whose worker stopped heartbeating. */
  public static final String RESCUE_STALE_HEARTBEATS = RescueStaleHeartbeatsBranch.NAME;

  /** Branch name: rescues running jobs past their deadline. */
  public static final String RESCUE_EXPIRED_DEADLINES = RescueExpiredDeadlinesBranch.NAME;

  /** Branch name: rescues parked jobs whose callback timed out. */
  public static final String RESCUE_EXPIRED_CALLBACKS = RescueExpiredCallbacksBranch.NAME;

  /** Branch name: deletes finished jobs past retention. */
  public static final String CLEANUP = CleanupBranch.NAME;

  /** Branch name: publishes counts per queue and state, and queue lag. */
  public static final String QUEUE_STATS = QueueStatsBranch.NAME;

  /** Branch name: raises the priority of long-waiting jobs, bounded. */
  public static final String PRIORITY_AGING = PriorityAgingBranch.NAME;

  /** Branch name: writes leader and branch state to the admin tables. */
  public static final String REFRESH_ADMIN_METADATA = RefreshAdminMetadataBranch.NAME;

  /** Branch name: upserts the periodic jobs this process declares (hygiene loop). */
  public static final String CRON_SYNC = CronSyncBranch.NAME;

  /** Branch name: enqueues due periodic-job fires, once a second on its own thread. */
  public static final String CRON_EVALUATE = CronEvaluateBranch.NAME;

  /** Default {@code statementTimeout} of every branch transaction: 30 s. */
  static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  private final MaintenanceConfig config;
  private final String instanceId;
  private final Leadership leadership = new Leadership();
  private final List<BranchRunner> runners = new ArrayList<>();
  private final Map<String, ScheduledExecutorService> loops = new LinkedHashMap<>();
  private final LeaderElector elector;
  private final List<CompletableFuture<Void>> leadershipWaiters = new ArrayList<>();
  private boolean started;
  private volatile boolean closed;

  private MaintenanceService(MaintenanceConfig config) {
    this.config = config;
    this.instanceId = config.instanceId();
    Context context =
        new Context(config.dataSource(), instanceId, leadership::isLeader, config.listener());
    for (MaintenanceBranch branch : BranchRegistry.compose(config, this::branchStatus)) {
      String loopName = loopName(config.layout(), branch);
      ScheduledExecutorService loop = loops.computeIfAbsent(loopName, MaintenanceService::thread);
      runners.add(
          new BranchRunner(
              branch,
              loopName,
              loop,
              leadership,
              context,
              config.listener(),
              config.overrunLog(),
              config.nanoTime()));
    }
    this.elector =
        new LeaderElector(
            leaderConnectionSource(config),
            leadership,
            new LeaderElector.Events() {
              @Override
              public void gained(int backendPid) {
                onGained();
              }

              @Override
              public void lost(String reason) {
                onLost(reason);
              }

              @Override
              public void refused(String reason) {
                failWaiters(new LeaderElectionRefusedException(reason));
              }
            },
            config.electionInterval(),
            config.healthCheckInterval(),
            config.healthCheckTimeout(),
            "awa-maint-election");
  }

  /** Starts a builder over the pooled {@code dataSource} used for every branch transaction. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Starts the election and the loops. Returns at once; leadership comes asynchronously. */
  public synchronized MaintenanceService start() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (!started) {
      started = true;
      InstanceHolds.hold(instanceId);
      for (BranchRunner r : runners) {
        r.start();
      }
      elector.start();
      log.info(
          "awa maintenance started: instance {}, layout {}, loops {}",
          instanceId,
          config.layout(),
          loops.keySet());
    }
    return this;
  }

  /** Whether this process leads right now. */
  public boolean isLeader() {
    return leadership.isLeader();
  }

  /**
   * A future that completes when this process leads: at once when it leads now, else when it next
   * gains leadership. It completes exceptionally with {@link LeaderElectionRefusedException} when
   * the election is refused (the leader connection goes through a transaction pooler), and is
   * cancelled when the service closes first. It completes on {@code CompletableFuture}'s default
   * asynchronous executor, never on the election thread, so dependent actions cannot delay the
   * leader's health checks (give blocking work its own executor with the {@code *Async} methods).
   * Losing leadership later does not affect a completed future: check {@link #isLeader()} for the
   * current state.
   */
  public CompletableFuture<Void> whenLeader() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (leadershipWaiters) {
      if (closed) {
        f.cancel(false);
      } else if (leadership.isLeader()) {
        f.complete(null);
      } else if (elector.refusal() != null) {
        f.completeExceptionally(new LeaderElectionRefusedException(elector.refusal()));
      } else {
        leadershipWaiters.add(f);
      }
    }
    return f;
  }

  /**
   * Waits up to {@code timeout} for this process to lead (see {@link #whenLeader()}).
   *
   * @return true when it leads, false when the timeout passed first
   * @throws LeaderElectionRefusedException when the election is refused (a transaction pooler)
   * @throws IllegalStateException when the service is closed (or closes while waiting)
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public boolean awaitLeadership(Duration timeout) throws InterruptedException {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be zero or positive, was " + timeout);
    }
    CompletableFuture<Void> f = whenLeader();
    try {
      f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      f.cancel(false);
      synchronized (leadershipWaiters) {
        leadershipWaiters.remove(f);
      }
      return false;
    } catch (java.util.concurrent.CancellationException e) {
      throw new IllegalStateException("maintenance service " + instanceId + " is closed");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof LeaderElectionRefusedException refused) {
        throw new LeaderElectionRefusedException(refused.getMessage());
      }
      throw new IllegalStateException("waiting for leadership failed", e.getCause());
    }
  }

  private void completeWaiters() {
    List<CompletableFuture<Void>> ready;
    synchronized (leadershipWaiters) {
      ready = List.copyOf(leadershipWaiters);
      leadershipWaiters.clear();
    }
    // Off the election thread: dependent actions of a future run where it completes.
    for (CompletableFuture<Void> f : ready) {
      f.completeAsync(() -> null);
    }
  }

  private void failWaiters(RuntimeException e) {
    List<CompletableFuture<Void>> failed;
    synchronized (leadershipWaiters) {
      failed = List.copyOf(leadershipWaiters);
      leadershipWaiters.clear();
    }
    for (CompletableFuture<Void> f : failed) {
      CompletableFuture.runAsync(() -> f.completeExceptionally(e));
    }
  }

  /** This process's instance id (its row in {@code awa.runtime_instances}). */
  public String instanceId() {
    return instanceId;
  }

  /** The loop layout. */
  public LoopLayout layout() {
    return config.layout();
  }

  /** What this process last observed of each branch. */
  public List<BranchStatus> branchStatus() {
    List<BranchStatus> out = new ArrayList<>(runners.size());
    for (BranchRunner r : runners) {
      out.add(r.status());
    }
    return out;
  }

  /**
   * Stops the loops (waiting up to the shutdown timeout for running bodies), then releases the
   * leader lock explicitly and announces it, so a waiting follower takes over at once. When a body
   * outlived the shutdown timeout the announcement says so, and the follower keeps its grace.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    synchronized (leadershipWaiters) {
      closed = true;
    }
    boolean loopsStopped = true;
    for (BranchRunner r : runners) {
      r.stop();
    }
    for (ScheduledExecutorService loop : loops.values()) {
      loop.shutdown();
    }
    for (ScheduledExecutorService loop : loops.values()) {
      try {
        if (!loop.awaitTermination(config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
          loop.shutdownNow();
          loopsStopped = false;
        }
      } catch (InterruptedException e) {
        loop.shutdownNow();
        loopsStopped = false;
        Thread.currentThread().interrupt();
      }
    }
    // The release is one statement under the health check's socket timeout; it gets that long
    // even with a zero shutdownTimeout, or the lock would stay behind with a leaked connection.
    Duration releaseTimeout = config.healthCheckTimeout().multipliedBy(2);
    elector.close(
        config.shutdownTimeout().compareTo(releaseTimeout) > 0
            ? config.shutdownTimeout()
            : releaseTimeout,
        loopsStopped);
    if (started) {
      releaseInstanceRow();
    }
    List<CompletableFuture<Void>> pending;
    synchronized (leadershipWaiters) {
      pending = List.copyOf(leadershipWaiters);
      leadershipWaiters.clear();
    }
    pending.forEach(f -> f.cancel(false));
    log.info("awa maintenance stopped: instance {}", instanceId);
  }

  /**
   * This process's {@code awa.runtime_instances} row is shared with its runtime (one instance id
   * per process): the last of the two to close removes it, so {@code awa status} no longer lists a
   * process that stopped cleanly.
   */
  private void releaseInstanceRow() {
    if (InstanceHolds.release(instanceId)) {
      adminWrite(
          "could not remove instance row " + instanceId, c -> InstanceSql.delete(c, instanceId));
    }
  }

  /** A write to the admin tables outside the branches: best effort, logged when it fails. */
  private interface AdminWork {
    void apply(java.sql.Connection c) throws SQLException;
  }

  /** Runs {@code work}; a failure is logged at WARN with {@code failure}, or at DEBUG if null. */
  private void adminWrite(String failure, AdminWork work) {
    try {
      Jdbc.inTransaction(
          config.dataSource(),
          config.statementTimeout(),
          null,
          c -> {
            work.apply(c);
            return null;
          });
    } catch (SQLException | RuntimeException e) {
      if (failure != null) {
        log.warn("awa maintenance: {}: {}", failure, e.getMessage());
      } else {
        log.debug("awa maintenance: could not clear the leader flag: {}", e.getMessage());
      }
    }
  }

  /** The leader connection's backend pid while leading (or about to), else 0. For tests. */
  int leaderBackendPid() {
    return elector.backendPid();
  }

  /** Server-side µs from the last graceful release to this process's grant (fast path), or -1. */
  long lastHandOverMicros() {
    return elector.lastHandOverMicros();
  }

  /**
   * Called on the election thread, which must stay free for health checks: the admin-table write
   * goes to another thread (a pool that is exhausted must not delay a step-down). It is best
   * effort; refresh_admin_metadata, kicked below, writes the same flags again at once.
   */
  private void onGained() {
    CompletableFuture.runAsync(
        () -> {
          if (!closed) {
            adminWrite(
                "could not flag this instance as leader",
                c -> MaintenanceSql.markLeader(c, instanceId, config.hostname(), config.pid()));
          }
        });
    MaintenanceListener l = config.listener();
    SafeCall.run(l, () -> l.onLeaderGained(instanceId));
    for (BranchRunner r : runners) {
      r.kick();
    }
    completeWaiters();
  }

  /** As {@link #onGained()}: the flag is cleared off the election thread, best effort. */
  private void onLost(String reason) {
    CompletableFuture.runAsync(
        () ->
            adminWrite(
                null, // leadership is often lost because the database is gone: not worth a WARN
                c -> MaintenanceSql.clearLeaderFlag(c, instanceId)));
    MaintenanceListener l = config.listener();
    SafeCall.run(l, () -> l.onLeaderLost(instanceId, reason));
  }

  private static String loopName(LoopLayout layout, MaintenanceBranch branch) {
    if (layout == LoopLayout.SINGLE) {
      return "single";
    }
    MaintenanceLoop loop = Objects.requireNonNull(branch.loop(), "loop of " + branch.name());
    return loop == MaintenanceLoop.DEDICATED ? branch.name() : loop.tagValue();
  }

  private static ScheduledExecutorService thread(String loopName) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(1, DaemonThreads.named("awa-maint-" + loopName));
    // On close, a running body may finish, but ticks scheduled for later must not hold shutdown.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private static LeaderElector.ConnectionSource leaderConnectionSource(MaintenanceConfig b) {
    if (b.leaderJdbcUrl() == null) {
      return b.dataSource()::getConnection;
    }
    return () -> {
      Properties props = new Properties();
      if (b.leaderUser() != null) {
        props.setProperty("user", b.leaderUser());
      }
      if (b.leaderPassword() != null) {
        props.setProperty("password", b.leaderPassword());
      }
      props.setProperty("ApplicationName", "awa-leader");
      props.setProperty("tcpKeepAlive", "true");
      props.setProperty(
          "connectTimeout", String.valueOf(Math.max(1, b.healthCheckTimeout().toSeconds())));
      return DriverManager.getConnection(b.leaderJdbcUrl(), props);
    };
  }

  /**
   * Configuration of a {@link MaintenanceService} (or a {@link MaintenanceRound}). Every setting
   * has a default suited to production; {@code docs/maintenance.md} says when to change each. A bad
   * value throws {@link InvalidMaintenanceConfigException} naming the setting and its limits. The
   * builder is only a way to write the settings: {@link #build()} turns them into an immutable
   * configuration, and later changes to the builder do not reach a built service.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String leaderJdbcUrl;
    private String leaderUser;
    private String leaderPassword;
    private String instanceId;
    private LoopLayout layout = LoopLayout.SPLIT;
    private MaintenanceListener listener = MaintenanceListener.NOOP;
    private Duration electionInterval = Duration.ofSeconds(5);
    private Duration healthCheckInterval = Duration.ofSeconds(1);
    private Duration healthCheckTimeout = Duration.ofSeconds(2);
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;
    private Duration lockTimeout = Duration.ofSeconds(5);
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private final Map<String, Duration> intervals = new LinkedHashMap<>();
    private final Set<String> disabled = new HashSet<>();
    private PromoteScheduledBranch.Config promote = PromoteScheduledBranch.Config.DEFAULTS;
    private RescueBranch.Config rescue = RescueBranch.Config.DEFAULTS;
    private Duration heartbeatStaleness = RescueStaleHeartbeatsBranch.DEFAULT_STALENESS;
    private CleanupBranch.Config cleanup = CleanupBranch.Config.DEFAULTS;
    private PriorityAgingBranch.Config aging = PriorityAgingBranch.Config.DEFAULTS;
    private Duration staleInstanceAfter = RefreshAdminMetadataBranch.DEFAULT_STALE_INSTANCE_AFTER;
    private final List<MaintenanceBranch> extraBranches = new ArrayList<>();
    private final Map<String, PeriodicJob> periodicJobs = new LinkedHashMap<>();
    private ObjectMapper objectMapper;
    private Clock clock;
    private BranchRunner.OverrunLog overrunLog = BranchRunner.OverrunLog.SLF4J;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * A direct JDBC URL for the leader's dedicated connection (default: a connection borrowed from
     * the data source and held while leading). Required when the data source goes through a
     * transaction pooler, which cannot keep a session advisory lock.
     */
    public Builder leaderJdbcUrl(String url) {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw new InvalidMaintenanceConfigException(
            "leaderJdbcUrl", "must be a jdbc:postgresql: URL");
      }
      this.leaderJdbcUrl = url;
      return this;
    }

    /** User and password for {@link #leaderJdbcUrl} when the URL does not carry them. */
    public Builder leaderCredentials(String user, String password) {
      this.leaderUser = Objects.requireNonNull(user, "user");
      this.leaderPassword = password;
      return this;
    }

    /**
     * This process's id in {@code awa.runtime_instances} (default: the process's one id,
     * host-pid-random, which the runtime uses too, so the two share one row).
     */
    public Builder instanceId(String id) {
      if (id == null || id.isBlank() || id.length() > 200) {
        throw new InvalidMaintenanceConfigException(
            "instanceId", "must be non-blank and at most 200 characters");
      }
      this.instanceId = id;
      return this;
    }

    /** The loop layout (default {@link LoopLayout#SPLIT}). */
    public Builder layout(LoopLayout layout) {
      this.layout = Objects.requireNonNull(layout, "layout");
      return this;
    }

    /**
     * The telemetry listener (default: none). For several, pass {@link
     * MaintenanceListener#composite}.
     */
    public Builder listener(MaintenanceListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * How often a follower tries to take the lead (default 5 s; 50 ms to 10 min). This bounds crash
     * takeover (plus the grace); a graceful release is announced and taken over at once.
     */
    public Builder electionInterval(Duration d) {
      this.electionInterval =
          Limits.range("electionInterval", d, Duration.ofMillis(50), Duration.ofMinutes(10));
      return this;
    }

    /**
     * How often the leader checks its connection (default 1 s; 20 ms to 1 min). A new leader waits
     * this plus {@link #healthCheckTimeout} after taking the lock before it acts, so an old leader
     * whose session died has stepped down by then.
     */
    public Builder healthCheckInterval(Duration d) {
      this.healthCheckInterval =
          Limits.range("healthCheckInterval", d, Duration.ofMillis(20), Duration.ofMinutes(1));
      return this;
    }

    /** Socket timeout of the health check (default 2 s; 50 ms to 1 min). */
    public Builder healthCheckTimeout(Duration d) {
      this.healthCheckTimeout =
          Limits.range("healthCheckTimeout", d, Duration.ofMillis(50), Duration.ofMinutes(1));
      return this;
    }

    /**
     * {@code SET LOCAL statement_timeout} of every branch transaction, cron's included (default 30
     * s; 100 ms to 1 h).
     */
    public Builder statementTimeout(Duration d) {
      this.statementTimeout =
          Limits.range("statementTimeout", d, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /** {@code SET LOCAL lock_timeout} of deleting transactions (default 5 s; 10 ms to 10 min). */
    public Builder lockTimeout(Duration d) {
      this.lockTimeout =
          Limits.range("lockTimeout", d, Duration.ofMillis(10), Duration.ofMinutes(10));
      return this;
    }

    /** How long {@link MaintenanceService#close()} waits for running bodies (default 10 s). */
    public Builder shutdownTimeout(Duration d) {
      this.shutdownTimeout =
          Limits.range("shutdownTimeout", d, Duration.ZERO, Duration.ofMinutes(10));
      return this;
    }

    /** The interval of a built-in branch, by its name (10 ms to 24 h). */
    public Builder interval(String branch, Duration d) {
      requireBuiltIn("interval", branch);
      intervals.put(
          branch,
          Limits.range("interval(" + branch + ")", d, Limits.MIN_INTERVAL, Limits.MAX_INTERVAL));
      return this;
    }

    /** Turns a built-in branch off (e.g. cleanup when another tool owns retention). */
    public Builder disable(String branch) {
      requireBuiltIn("disable", branch);
      disabled.add(branch);
      return this;
    }

    private static void requireBuiltIn(String option, String branch) {
      if (!BranchRegistry.isBuiltIn(branch)) {
        throw new InvalidMaintenanceConfigException(
            option,
            "unknown branch '"
                + branch
                + "'; built-ins are "
                + BranchRegistry.DEFAULT_INTERVALS.keySet());
      }
    }

    /** Rows per promotion batch (default 2,000; 1 to 50,000). */
    public Builder promoteBatchSize(int n) {
      this.promote = new PromoteScheduledBranch.Config(n, promote.maxBatchesPerTick());
      return this;
    }

    /** Promotion batches per tick at most (default 10; 1 to 1,000). */
    public Builder promoteMaxBatchesPerTick(int n) {
      this.promote = new PromoteScheduledBranch.Config(promote.batchSize(), n);
      return this;
    }

    /**
     * Rows per rescue transaction, for each of the three rescues (default 500; 1 to 10,000).
     * Priority aging has its own, {@link #priorityAgingBatchSize}.
     */
    public Builder rescueBatchSize(int n) {
      this.rescue = new RescueBranch.Config(n, rescue.maxBatchesPerTick(), rescue.retryPolicy());
      return this;
    }

    /** Rescue batches per tick at most, for each of the three rescues (default 20; 1 to 1,000). */
    public Builder rescueMaxBatchesPerTick(int n) {
      this.rescue = new RescueBranch.Config(rescue.batchSize(), n, rescue.retryPolicy());
      return this;
    }

    /**
     * The backoff of a rescued job's next attempt (default {@link RetryPolicy#exponential()}, as
     * the runtime's). Give maintenance the same policy as the runtime ({@code
     * AwaRuntime.Builder#retryPolicy}) so a rescued attempt waits as a failed one does.
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.rescue = new RescueBranch.Config(rescue.batchSize(), rescue.maxBatchesPerTick(), policy);
      return this;
    }

    /**
     * The heartbeat staleness for jobs whose runtime has no {@code awa.runtime_instances} row any
     * more (default 90 s; 100 ms to 7 days). A job whose runtime is registered is rescued after the
     * staleness that runtime registered ({@code AwaRuntime.Builder#heartbeatStaleness}), which is
     * the one setting to change.
     */
    public Builder heartbeatStaleness(Duration d) {
      this.heartbeatStaleness =
          Limits.range("heartbeatStaleness", d, Duration.ofMillis(100), Duration.ofDays(7));
      return this;
    }

    /** Retention of a finished state: completed, failed or cancelled (1 s to 3,650 days). */
    public Builder retention(String state, Duration d) {
      this.cleanup = cleanup.withRetention(state, d);
      return this;
    }

    /** Rows per cleanup delete (default 5,000; 1 to 100,000). */
    public Builder cleanupBatchSize(int n) {
      this.cleanup = new CleanupBranch.Config(cleanup.retention(), n, cleanup.timeBudget());
      return this;
    }

    /** Time a cleanup tick may spend deleting (default 20 s; 10 ms to 1 h). */
    public Builder cleanupTimeBudget(Duration d) {
      this.cleanup = new CleanupBranch.Config(cleanup.retention(), cleanup.batchSize(), d);
      return this;
    }

    /** Waiting time per priority level raised (default 5 min; 1 s to 7 days). */
    public Builder priorityAgingThreshold(Duration d) {
      this.aging =
          new PriorityAgingBranch.Config(
              d, aging.maxLevels(), aging.batchSize(), aging.maxBatchesPerTick());
      return this;
    }

    /** Most levels aging may raise a job above its original priority (default 3; 1 to 3). */
    public Builder priorityAgingMaxLevels(int n) {
      this.aging =
          new PriorityAgingBranch.Config(
              aging.threshold(), n, aging.batchSize(), aging.maxBatchesPerTick());
      return this;
    }

    /** Rows per priority-aging transaction (default 500; 1 to 10,000). */
    public Builder priorityAgingBatchSize(int n) {
      this.aging =
          new PriorityAgingBranch.Config(
              aging.threshold(), aging.maxLevels(), n, aging.maxBatchesPerTick());
      return this;
    }

    /** Priority-aging batches per tick at most (default 20; 1 to 1,000). */
    public Builder priorityAgingMaxBatchesPerTick(int n) {
      this.aging =
          new PriorityAgingBranch.Config(
              aging.threshold(), aging.maxLevels(), aging.batchSize(), n);
      return this;
    }

    /**
     * Registers an extra branch: one class implementing {@link MaintenanceBranch} and this one line
     * (see "Writing a branch" in docs/maintenance.md). Its name must be unique; it runs on the loop
     * it asks for ({@link MaintenanceLoop#DEDICATED} for its own thread, e.g. a 1-second tick),
     * only while this process leads, with the built-ins' telemetry. The built-ins are registered
     * through the same check.
     */
    public Builder addBranch(MaintenanceBranch branch) {
      Objects.requireNonNull(branch, "branch");
      List<String> taken = new ArrayList<>(BranchRegistry.DEFAULT_INTERVALS.keySet());
      extraBranches.forEach(b -> taken.add(b.name()));
      BranchRegistry.check(branch, taken);
      extraBranches.add(branch);
      return this;
    }

    /**
     * Declares a periodic job: synced into {@code awa.cron_jobs} by {@code cron_sync} and fired by
     * whichever process leads (see docs/cron.md). Names must be unique.
     */
    public Builder periodicJob(PeriodicJob job) {
      Objects.requireNonNull(job, "periodicJob");
      if (periodicJobs.putIfAbsent(job.name(), job) != null) {
        throw new InvalidMaintenanceConfigException(
            "periodicJob.name", "'" + job.name() + "' is declared twice");
      }
      return this;
    }

    /**
     * How long after its last sign of life a row of {@code awa.runtime_instances} is removed by
     * {@code refresh_admin_metadata} (default 15 min, 1 min to 7 days). Keep it well above the
     * runtimes' heartbeat interval: a live runtime refreshes its row with every heartbeat.
     */
    public Builder staleInstanceAfter(Duration d) {
      this.staleInstanceAfter =
          Limits.range("staleInstanceAfter", d, Duration.ofMinutes(1), Duration.ofDays(7));
      return this;
    }

    /**
     * The mapper that writes periodic jobs' args (default: the one {@code AwaClient} uses by
     * default, Jackson with java.time support).
     */
    public Builder objectMapper(ObjectMapper mapper) {
      this.objectMapper = Objects.requireNonNull(mapper, "objectMapper");
      return this;
    }

    /** Test hook: the clock cron uses instead of the database's. */
    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Test hook: where the overrun WARN goes. */
    Builder overrunLog(BranchRunner.OverrunLog overrunLog) {
      this.overrunLog = overrunLog;
      return this;
    }

    /** Builds the service; call {@link MaintenanceService#start()}. */
    public MaintenanceService build() {
      return new MaintenanceService(config());
    }

    /**
     * Builds a {@link MaintenanceRound}: every branch this builder would give a service, run once
     * per {@link MaintenanceRound#runOnce()} on the calling thread, without an election.
     */
    public MaintenanceRound buildRound() {
      return new MaintenanceRound(config());
    }

    /** The immutable configuration; checks every branch as the service will compose them. */
    MaintenanceConfig config() {
      MaintenanceConfig c =
          new MaintenanceConfig(
              dataSource,
              leaderJdbcUrl,
              leaderUser,
              leaderPassword,
              instanceId != null ? instanceId : ProcessIdentity.instanceId(),
              ProcessIdentity.hostname(),
              ProcessHandle.current().pid(),
              layout,
              listener,
              electionInterval,
              healthCheckInterval,
              healthCheckTimeout,
              statementTimeout,
              lockTimeout,
              shutdownTimeout,
              intervals,
              disabled,
              promote,
              rescue,
              heartbeatStaleness,
              cleanup,
              aging,
              staleInstanceAfter,
              List.copyOf(periodicJobs.values()),
              objectMapper != null ? objectMapper : AwaClient.create(dataSource).objectMapper(),
              clock,
              extraBranches,
              overrunLog,
              nanoTime);
      BranchRegistry.compose(c, List::of); // fails now on a branch that cannot be built
      return c;
    }
  }
}
