package dev.awa.maintenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
import java.util.UUID;
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
  public static final String PROMOTE_SCHEDULED = "promote_scheduled";

  /** Branch name: rescues running jobs whose worker stopped heartbeating. */
  public static final String RESCUE_STALE_HEARTBEATS = "rescue_stale_heartbeats";

  /** Branch name: rescues running jobs past their deadline. */
  public static final String RESCUE_EXPIRED_DEADLINES = "rescue_expired_deadlines";

  /** Branch name: rescues parked jobs whose callback timed out. */
  public static final String RESCUE_EXPIRED_CALLBACKS = "rescue_expired_callbacks";

  /** Branch name: deletes finished jobs past retention. */
  public static final String CLEANUP = "cleanup";

  /** Branch name: publishes counts per queue and state, and queue lag. */
  public static final String QUEUE_STATS = "queue_stats";

  /** Branch name: raises the priority of long-waiting jobs, bounded. */
  public static final String PRIORITY_AGING = "priority_aging";

  /** Branch name: writes leader and branch state to the admin tables. */
  public static final String REFRESH_ADMIN_METADATA = "refresh_admin_metadata";

  /** Branch name: upserts the periodic jobs this process declares (hygiene loop). */
  public static final String CRON_SYNC = "cron_sync";

  /** Branch name: enqueues due periodic-job fires, once a second on its own thread. */
  public static final String CRON_EVALUATE = "cron_evaluate";

  /** The built-in branches with their default intervals. */
  static final Map<String, Duration> DEFAULT_INTERVALS =
      Map.of(
          PROMOTE_SCHEDULED, Duration.ofMillis(250),
          RESCUE_STALE_HEARTBEATS, Duration.ofSeconds(30),
          RESCUE_EXPIRED_DEADLINES, Duration.ofSeconds(30),
          RESCUE_EXPIRED_CALLBACKS, Duration.ofSeconds(30),
          CLEANUP, Duration.ofSeconds(60),
          QUEUE_STATS, Duration.ofSeconds(30),
          PRIORITY_AGING, Duration.ofSeconds(60),
          REFRESH_ADMIN_METADATA, Duration.ofSeconds(60),
          CRON_SYNC, Duration.ofSeconds(60),
          CRON_EVALUATE, Duration.ofSeconds(1));

  private static final Duration MIN_INTERVAL = Duration.ofMillis(10);
  private static final Duration MAX_INTERVAL = Duration.ofHours(24);

  private final Builder config;
  private final String instanceId;
  private final Leadership leadership = new Leadership();
  private final Context context;
  private final List<BranchRunner> runners = new ArrayList<>();
  private final Map<String, ScheduledExecutorService> loops = new LinkedHashMap<>();
  private final LeaderElector elector;
  private final String hostname;
  private final long pid = ProcessHandle.current().pid();
  private final List<CompletableFuture<Void>> leadershipWaiters = new ArrayList<>();
  private boolean started;
  private volatile boolean closed;

  private MaintenanceService(Builder b) {
    this.config = b;
    this.hostname = hostname();
    this.instanceId =
        b.instanceId != null
            ? b.instanceId
            : hostname + "-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.context = new Context(b.dataSource, instanceId, leadership::isLeader, b.listener);
    for (MaintenanceBranch branch : branches(b)) {
      String loopName = loopName(b.layout, branch);
      ScheduledExecutorService loop = loops.computeIfAbsent(loopName, MaintenanceService::thread);
      runners.add(
          new BranchRunner(
              branch, loopName, loop, leadership, context, b.listener, b.overrunLog, b.nanoTime));
    }
    this.elector =
        new LeaderElector(
            leaderConnectionSource(b),
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
            b.electionInterval,
            b.healthCheckInterval,
            b.healthCheckTimeout,
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
      for (BranchRunner r : runners) {
        r.start();
      }
      elector.start();
      log.info(
          "awa maintenance started: instance {}, layout {}, loops {}",
          instanceId,
          config.layout,
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
    return config.layout;
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
        if (!loop.awaitTermination(config.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
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
    Duration releaseTimeout = config.healthCheckTimeout.multipliedBy(2);
    elector.close(
        config.shutdownTimeout.compareTo(releaseTimeout) > 0
            ? config.shutdownTimeout
            : releaseTimeout,
        loopsStopped);
    List<CompletableFuture<Void>> pending;
    synchronized (leadershipWaiters) {
      pending = List.copyOf(leadershipWaiters);
      leadershipWaiters.clear();
    }
    pending.forEach(f -> f.cancel(false));
    log.info("awa maintenance stopped: instance {}", instanceId);
  }

  /** The leader connection's backend pid while leading (or about to), else 0. For tests. */
  int leaderBackendPid() {
    return elector.backendPid();
  }

  /** Server-side µs from the last graceful release to this process's grant (fast path), or -1. */
  long lastHandOverMicros() {
    return elector.lastHandOverMicros();
  }

  Context context() {
    return context;
  }

  /**
   * Called on the election thread, which must stay free for health checks: the admin-table write
   * goes to another thread (a pool that is exhausted must not delay a step-down). It is best
   * effort; refresh_admin_metadata, kicked below, writes the same flags again at once.
   */
  private void onGained() {
    CompletableFuture.runAsync(
        () -> {
          try (Connection c = config.dataSource.getConnection()) {
            RefreshAdminMetadataBranch.markLeader(c, instanceId, hostname, pid);
          } catch (SQLException e) {
            log.warn("awa maintenance: could not flag this instance as leader: {}", e.getMessage());
          }
        });
    Listeners.safely(() -> config.listener.onLeaderGained(instanceId));
    for (BranchRunner r : runners) {
      r.kick();
    }
    completeWaiters();
  }

  /** As {@link #onGained()}: the flag is cleared off the election thread, best effort. */
  private void onLost(String reason) {
    CompletableFuture.runAsync(
        () -> {
          try (Connection c = config.dataSource.getConnection();
              PreparedStatement ps = c.prepareStatement(RefreshAdminMetadataBranch.CLEAR_SELF)) {
            ps.setString(1, instanceId);
            ps.executeUpdate();
          } catch (SQLException e) {
            log.debug("awa maintenance: could not clear the leader flag: {}", e.getMessage());
          }
        });
    Listeners.safely(() -> config.listener.onLeaderLost(instanceId, reason));
  }

  private List<MaintenanceBranch> branches(Builder b) {
    List<MaintenanceBranch> all = new ArrayList<>();
    Duration st = b.statementTimeout;
    all.add(
        new PromoteScheduledBranch(
            b.interval(PROMOTE_SCHEDULED), b.promoteBatchSize, b.promoteMaxBatches, st));
    all.add(
        new RescueStaleHeartbeatsBranch(
            b.interval(RESCUE_STALE_HEARTBEATS),
            b.rescueBatchSize,
            b.rescueMaxBatches,
            st,
            b.heartbeatStaleness));
    all.add(
        new RescueExpiredDeadlinesBranch(
            b.interval(RESCUE_EXPIRED_DEADLINES), b.rescueBatchSize, b.rescueMaxBatches, st));
    all.add(
        new RescueExpiredCallbacksBranch(
            b.interval(RESCUE_EXPIRED_CALLBACKS), b.rescueBatchSize, b.rescueMaxBatches, st));
    all.add(
        new CleanupBranch(
            b.interval(CLEANUP),
            b.retention,
            b.cleanupBatchSize,
            b.cleanupTimeBudget,
            st,
            b.lockTimeout));
    all.add(new QueueStatsBranch(b.interval(QUEUE_STATS), st));
    all.add(
        new PriorityAgingBranch(
            b.interval(PRIORITY_AGING),
            b.agingThreshold,
            b.agingMaxLevels,
            b.rescueBatchSize,
            b.rescueMaxBatches,
            st));
    all.add(
        new RefreshAdminMetadataBranch(
            b.interval(REFRESH_ADMIN_METADATA),
            st,
            hostname,
            pid,
            this::branchStatus,
            b.staleInstanceAfter));
    if (!b.periodicJobs.isEmpty()) {
      all.add(
          new CronBranches.Sync(
              b.interval(CRON_SYNC),
              List.copyOf(b.periodicJobs.values()),
              b.objectMapper,
              b.clock));
    }
    all.add(new CronBranches.Evaluate(b.interval(CRON_EVALUATE), st, b.clock));
    all.removeIf(branch -> b.disabled.contains(branch.name()));
    all.addAll(b.extraBranches);
    return all;
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
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "awa-maint-" + loopName);
              t.setDaemon(true);
              return t;
            });
    // On close, a running body may finish, but ticks scheduled for later must not hold shutdown.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private static LeaderElector.ConnectionSource leaderConnectionSource(Builder b) {
    if (b.leaderJdbcUrl == null) {
      return b.dataSource::getConnection;
    }
    return () -> {
      Properties props = new Properties();
      if (b.leaderUser != null) {
        props.setProperty("user", b.leaderUser);
      }
      if (b.leaderPassword != null) {
        props.setProperty("password", b.leaderPassword);
      }
      props.setProperty("ApplicationName", "awa-leader");
      props.setProperty("tcpKeepAlive", "true");
      props.setProperty(
          "connectTimeout", String.valueOf(Math.max(1, b.healthCheckTimeout.toSeconds())));
      return DriverManager.getConnection(b.leaderJdbcUrl, props);
    };
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown-host";
    }
  }

  /**
   * Configuration of a {@link MaintenanceService}. Every setting has a default suited to
   * production; {@code docs/maintenance.md} says when to change each.
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
    private Duration statementTimeout = Duration.ofSeconds(30);
    private Duration lockTimeout = Duration.ofSeconds(5);
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private final Map<String, Duration> intervals = new LinkedHashMap<>();
    private int promoteBatchSize = 2_000;
    private int promoteMaxBatches = 10;
    private int rescueBatchSize = 500;
    private int rescueMaxBatches = 20;
    private Duration heartbeatStaleness = Duration.ofSeconds(90);
    private final Map<String, Duration> retention = new LinkedHashMap<>();
    private int cleanupBatchSize = 5_000;
    private Duration cleanupTimeBudget = Duration.ofSeconds(20);
    private Duration agingThreshold = Duration.ofMinutes(5);
    private int agingMaxLevels = 3;
    private final Set<String> disabled = new HashSet<>();
    private final List<MaintenanceBranch> extraBranches = new ArrayList<>();
    private final Map<String, PeriodicJob> periodicJobs = new LinkedHashMap<>();
    private Duration staleInstanceAfter = Duration.ofMinutes(15);
    private ObjectMapper objectMapper = new ObjectMapper().findAndRegisterModules();
    private Clock clock = Clock.systemUTC();
    private BranchRunner.OverrunLog overrunLog = BranchRunner.OverrunLog.SLF4J;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      retention.put("completed", Duration.ofHours(24));
      retention.put("failed", Duration.ofHours(72));
      retention.put("cancelled", Duration.ofHours(72));
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

    /** This process's id in {@code awa.runtime_instances} (default: host-pid-random). */
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

    /** The telemetry listener (default: none). */
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
          check("electionInterval", d, Duration.ofMillis(50), Duration.ofMinutes(10));
      return this;
    }

    /**
     * How often the leader checks its connection (default 1 s; 20 ms to 1 min). A new leader waits
     * this plus {@link #healthCheckTimeout} after taking the lock before it acts, so an old leader
     * whose session died has stepped down by then.
     */
    public Builder healthCheckInterval(Duration d) {
      this.healthCheckInterval =
          check("healthCheckInterval", d, Duration.ofMillis(20), Duration.ofMinutes(1));
      return this;
    }

    /** Socket timeout of the health check (default 2 s; 50 ms to 1 min). */
    public Builder healthCheckTimeout(Duration d) {
      this.healthCheckTimeout =
          check("healthCheckTimeout", d, Duration.ofMillis(50), Duration.ofMinutes(1));
      return this;
    }

    /** {@code SET LOCAL statement_timeout} of every branch transaction (default 30 s). */
    public Builder statementTimeout(Duration d) {
      this.statementTimeout =
          check("statementTimeout", d, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /** {@code SET LOCAL lock_timeout} of deleting transactions (default 5 s). */
    public Builder lockTimeout(Duration d) {
      this.lockTimeout = check("lockTimeout", d, Duration.ofMillis(10), Duration.ofMinutes(10));
      return this;
    }

    /** How long {@link MaintenanceService#close()} waits for running bodies (default 10 s). */
    public Builder shutdownTimeout(Duration d) {
      this.shutdownTimeout = check("shutdownTimeout", d, Duration.ZERO, Duration.ofMinutes(10));
      return this;
    }

    /** The interval of a built-in branch, by its name (10 ms to 24 h). */
    public Builder interval(String branch, Duration d) {
      if (!DEFAULT_INTERVALS.containsKey(branch)) {
        throw new InvalidMaintenanceConfigException(
            "interval",
            "unknown branch '" + branch + "'; built-ins are " + DEFAULT_INTERVALS.keySet());
      }
      intervals.put(branch, check("interval(" + branch + ")", d, MIN_INTERVAL, MAX_INTERVAL));
      return this;
    }

    /** Turns a built-in branch off (e.g. cleanup when another tool owns retention). */
    public Builder disable(String branch) {
      if (!DEFAULT_INTERVALS.containsKey(branch)) {
        throw new InvalidMaintenanceConfigException(
            "disable",
            "unknown branch '" + branch + "'; built-ins are " + DEFAULT_INTERVALS.keySet());
      }
      disabled.add(branch);
      return this;
    }

    /** Rows per promotion batch (default 2,000; 1 to 50,000). */
    public Builder promoteBatchSize(int n) {
      this.promoteBatchSize = checkInt("promoteBatchSize", n, 1, 50_000);
      return this;
    }

    /** Promotion batches per tick at most (default 10; 1 to 1,000). */
    public Builder promoteMaxBatchesPerTick(int n) {
      this.promoteMaxBatches = checkInt("promoteMaxBatchesPerTick", n, 1, 1_000);
      return this;
    }

    /** Rows per rescue (and aging) transaction (default 500; 1 to 10,000). */
    public Builder rescueBatchSize(int n) {
      this.rescueBatchSize = checkInt("rescueBatchSize", n, 1, 10_000);
      return this;
    }

    /** Rescue (and aging) batches per tick at most (default 20; 1 to 1,000). */
    public Builder rescueMaxBatchesPerTick(int n) {
      this.rescueMaxBatches = checkInt("rescueMaxBatchesPerTick", n, 1, 1_000);
      return this;
    }

    /** How old a running job's last heartbeat may be before it is rescued (default 90 s). */
    public Builder heartbeatStaleness(Duration d) {
      this.heartbeatStaleness =
          check("heartbeatStaleness", d, Duration.ofMillis(100), Duration.ofDays(7));
      return this;
    }

    /** Retention of a finished state: completed, failed or cancelled (1 s to 3,650 days). */
    public Builder retention(String state, Duration d) {
      if (!retention.containsKey(state)) {
        throw new InvalidMaintenanceConfigException(
            "retention", "state must be completed, failed or cancelled, was '" + state + "'");
      }
      retention.put(
          state,
          check("retention(" + state + ")", d, Duration.ofSeconds(1), Duration.ofDays(3650)));
      return this;
    }

    /** Rows per cleanup delete (default 5,000; 1 to 100,000). */
    public Builder cleanupBatchSize(int n) {
      this.cleanupBatchSize = checkInt("cleanupBatchSize", n, 1, 100_000);
      return this;
    }

    /** Time a cleanup tick may spend deleting (default 20 s; 10 ms to 1 h). */
    public Builder cleanupTimeBudget(Duration d) {
      this.cleanupTimeBudget =
          check("cleanupTimeBudget", d, Duration.ofMillis(10), Duration.ofHours(1));
      return this;
    }

    /** Waiting time per priority level raised (default 5 min; 1 s to 7 days). */
    public Builder priorityAgingThreshold(Duration d) {
      this.agingThreshold =
          check("priorityAgingThreshold", d, Duration.ofSeconds(1), Duration.ofDays(7));
      return this;
    }

    /** Most levels aging may raise a job above its original priority (default 3; 1 to 3). */
    public Builder priorityAgingMaxLevels(int n) {
      this.agingMaxLevels = checkInt("priorityAgingMaxLevels", n, 1, 3);
      return this;
    }

    /**
     * Registers an extra branch (the cron hook). Its name must be unique; it runs on the loop it
     * asks for ({@link MaintenanceLoop#DEDICATED} for its own thread, e.g. a 1-second tick), only
     * while this process leads, with the built-ins' telemetry.
     */
    public Builder addBranch(MaintenanceBranch branch) {
      Objects.requireNonNull(branch, "branch");
      String name = branch.name();
      if (name == null || !name.matches("[a-z][a-z0-9_]{0,62}")) {
        throw new InvalidMaintenanceConfigException(
            "branch.name", "must be lower_snake_case, 1 to 63 characters, was '" + name + "'");
      }
      if (DEFAULT_INTERVALS.containsKey(name)
          || extraBranches.stream().anyMatch(b -> b.name().equals(name))) {
        throw new InvalidMaintenanceConfigException(
            "branch.name", "'" + name + "' is already registered");
      }
      check("branch.interval(" + name + ")", branch.interval(), MIN_INTERVAL, MAX_INTERVAL);
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
          check("staleInstanceAfter", d, Duration.ofMinutes(1), Duration.ofDays(7));
      return this;
    }

    /** The mapper that writes periodic jobs' args (default: Jackson with modules found). */
    public Builder objectMapper(ObjectMapper mapper) {
      this.objectMapper = Objects.requireNonNull(mapper, "objectMapper");
      return this;
    }

    /** Test hook: the clock cron evaluation uses. */
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
      return new MaintenanceService(this);
    }

    Duration interval(String branch) {
      return intervals.getOrDefault(branch, DEFAULT_INTERVALS.get(branch));
    }

    private static Duration check(String field, Duration d, Duration min, Duration max) {
      if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new InvalidMaintenanceConfigException(
            field, "must be between " + min + " and " + max + ", was " + d);
      }
      return d;
    }

    private static int checkInt(String field, int n, int min, int max) {
      if (n < min || n > max) {
        throw new InvalidMaintenanceConfigException(
            field, "must be between " + min + " and " + max + ", was " + n);
      }
      return n;
    }
  }
}
