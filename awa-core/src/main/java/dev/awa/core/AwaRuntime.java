package dev.awa.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.internal.DaemonThreads;
import dev.awa.core.internal.ProcessIdentity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker pools inside a service: claims jobs of the configured queues, runs them with the
 * registered {@link Worker}s and writes their outcomes. Build one with {@link
 * #builder(DataSource)}, {@link #start()} it with the service and {@link #close()} it on shutdown.
 *
 * <p>Per runtime: one thread and one dedicated LISTEN connection for wake-ups and cancels, one
 * claim thread per queue, one completer thread (batched acknowledgements), one heartbeat thread,
 * one deadline timer thread, and the handler threads (one pool per queue sized to its concurrency,
 * unless an executor is supplied). Claims, acknowledgements, heartbeats and outcome writes borrow
 * pooled connections briefly. See {@code docs/workers.md}.
 *
 * <p>{@link #close()} stops claiming, waits up to the drain timeout for running handlers while
 * heartbeats continue, hands unfinished attempts back (available again at once, attempt not
 * counted), and only then stops heartbeats.
 */
public final class AwaRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AwaRuntime.class);

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  private final DataSource dataSource;
  private final AwaClient client;
  private final String instanceId;
  private final List<QueueConfig> queues;
  private final Map<String, Worker> workers;
  private final Duration pollInterval;
  private final int claimBatchSize;
  private final int claimAhead;
  private final Duration backstopPollInterval;
  private final Duration heartbeatInterval;
  private final Duration heartbeatStaleness;
  private final Duration drainTimeout;
  private final Duration flushInterval;
  private final Executor userExecutor;
  private final RetryPolicy retryPolicy;
  private final UnknownKindPolicy unknownKinds;
  private final boolean listen;
  private final String listenerUrl;
  private final Properties listenerProperties;

  private final InFlightJobs inFlight = new InFlightJobs();
  private final Map<String, QueueProducer> producers = new LinkedHashMap<>();
  private final List<ExecutorService> ownPools = new ArrayList<>();
  private volatile State state = State.NEW;
  private ScheduledThreadPoolExecutor timer;
  private Completer completer;
  private Heartbeater heartbeater;
  private NotificationListener notifications;
  private InstanceRegistration instance;
  private JobExecutor executor;

  /**
   * Most claim statements of one runtime in flight at once, whatever the number of queues: each
   * holds a pooled connection, so this bounds the connections a many-queue runtime needs.
   */
  static final int MAX_CONCURRENT_CLAIMS = 4;

  /**
   * Claim loops per queue: 1. Helpers (which claim only while a backlog lasts) are supported for
   * measurements through the system property {@code awa.claimLoops}; two were not better on the
   * 2-core machine they were measured on (adr/0007), so one stays the default.
   */
  private final int claimLoops = Math.max(1, Math.min(4, Integer.getInteger("awa.claimLoops", 1)));

  private AwaRuntime(Builder b) {
    this.dataSource = b.dataSource;
    this.client =
        b.client != null
            ? b.client
            : AwaClient.builder(b.dataSource).objectMapper(b.mapper).listener(b.listener).build();
    this.instanceId = b.instanceId != null ? b.instanceId : ProcessIdentity.instanceId();
    this.queues = List.copyOf(b.queues.values());
    this.workers = Map.copyOf(b.workers);
    this.pollInterval = b.pollInterval;
    this.claimBatchSize = b.claimBatchSize;
    this.claimAhead = b.claimAhead;
    this.backstopPollInterval = b.backstopPollInterval;
    this.heartbeatInterval = b.heartbeatInterval;
    this.heartbeatStaleness = b.heartbeatStaleness;
    this.drainTimeout = b.drainTimeout;
    this.flushInterval = b.flushInterval;
    this.userExecutor = b.executor;
    this.retryPolicy = b.retryPolicy;
    this.unknownKinds = b.unknownKinds;
    this.listen = b.listen;
    this.listenerUrl = b.listenerUrl;
    this.listenerProperties = b.listenerProperties;
  }

  /** Starts a builder over {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * This runtime's id: its row in {@code awa.runtime_instances} and the {@code attempted_by} of the
   * jobs it claims.
   */
  public String instanceId() {
    return instanceId;
  }

  /** The client this runtime writes through (enqueue, callbacks and admin calls work on it too). */
  public AwaClient client() {
    return client;
  }

  /** Whether {@link #start()} ran and {@link #close()} has not. */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /** Attempts this runtime holds a lease for right now. */
  public int inFlightCount() {
    return inFlight.size();
  }

  /** Batched acks that failed and were retried one by one. */
  long completerFallbacks() {
    return completer.fallbacks.sum();
  }

  /** Claims that started at a queue's watermark (adr/0007 "Third pass"), over all queues. */
  long claimsFromMark() {
    long n = 0;
    for (QueueProducer p : producers.values()) {
      n += p.markClaims.sum();
    }
    return n;
  }

  /** Claim and flush counters, for diagnostics and the throughput measure. */
  String stats() {
    StringBuilder sb = new StringBuilder();
    for (QueueProducer p : producers.values()) {
      long n = Math.max(1, p.claimStatements.sum());
      sb.append(
          String.format(
              "queue %s: %d claims (%d from the watermark, %d of them short), %.1f jobs/claim,"
                  + " %.2f ms/claim; ",
              p.config().name(),
              p.claimStatements.sum(),
              p.markClaims.sum(),
              p.shortMarkClaims.sum(),
              p.claimedJobs.sum() / (double) n,
              p.claimNanos.sum() / 1e6 / n));
    }
    long f = Math.max(1, completer.flushes.sum());
    sb.append(
        String.format(
            "completer: %d flushes, %.1f jobs/flush, %.2f ms/flush",
            completer.flushes.sum(),
            completer.flushedJobs.sum() / (double) f,
            completer.flushNanos.sum() / 1e6 / f));
    return sb.toString();
  }

  /** Whether notifications are known to arrive: the session is up and its self-test came back. */
  private boolean notificationsConfirmed() {
    return notifications != null && notifications.isConfirmed();
  }

  /**
   * How this runtime learns about new jobs right now: {@link ListenerMode#LISTEN} once its LISTEN
   * session passed the self-test NOTIFY, {@link ListenerMode#POLLING} when it did not (a
   * transaction pooler) or while it reconnects, {@link ListenerMode#OFF} with LISTEN disabled or
   * the runtime not running. Also reported through {@link AwaListener#onListenerModeChanged}.
   */
  public ListenerMode listenerMode() {
    NotificationListener n = notifications;
    return n == null || state != State.RUNNING ? ListenerMode.OFF : n.mode();
  }

  /**
   * Whether the LISTEN session is up (false with LISTEN disabled or while it reconnects, when
   * queues only poll). Health checks report it.
   */
  public boolean isListening() {
    return notifications != null && notifications.isListening();
  }

  /**
   * Checks the schema, registers the instance and starts claiming.
   *
   * @throws SchemaVersionException when the database is not migrated to this version
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (state != State.NEW) {
      throw new IllegalStateException("runtime " + instanceId + " is " + state);
    }
    Migrations.verify(dataSource);
    Map<String, Object> queueInfo = new LinkedHashMap<>();
    for (QueueConfig q : queues) {
      queueInfo.put(
          q.name(), Map.of("concurrency", q.concurrency(), "deadline_ms", q.deadline().toMillis()));
    }
    instance =
        new InstanceRegistration(
            dataSource,
            instanceId,
            ProcessIdentity.hostname(),
            ProcessHandle.current().pid(),
            queueInfo,
            Map.of(
                "heartbeat_interval_ms", heartbeatInterval.toMillis(),
                "heartbeat_staleness_ms", heartbeatStaleness.toMillis(),
                "poll_interval_ms", pollInterval.toMillis(),
                "kinds", new ArrayList<>(workers.keySet())));
    instance.register();

    timer = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("awa-deadline-" + instanceId));
    timer.setRemoveOnCancelPolicy(true);
    completer = new Completer(client, inFlight, flushInterval, instanceId);
    executor =
        new JobExecutor(
            client, workers, retryPolicy, unknownKinds, inFlight, completer, timer, instanceId);
    Semaphore claimConnections =
        queues.size() * claimLoops > MAX_CONCURRENT_CLAIMS
            ? new Semaphore(MAX_CONCURRENT_CLAIMS)
            : null;
    for (QueueConfig q : queues) {
      Executor threads = userExecutor != null ? userExecutor : ownPool(q);
      producers.put(
          q.name(),
          new QueueProducer(
              q,
              client,
              executor,
              threads,
              claimBatchSize,
              claimAheadOf(q),
              pollInterval,
              backstopPollInterval,
              this::notificationsConfirmed,
              claimConnections,
              claimLoops,
              instanceId));
    }
    heartbeater =
        new Heartbeater(
            client, inFlight, instance, heartbeatInterval, heartbeatStaleness, instanceId);
    completer.start();
    heartbeater.start();
    if (listen) {
      notifications =
          new NotificationListener(
              this::openListenerConnection,
              this::wakeQueue,
              this::cancelInFlight,
              this::wakeAll,
              m -> Listeners.safely(() -> client.listener().onListenerModeChanged(instanceId, m)),
              instanceId,
              NotificationListener.POLLING_RECHECK);
      notifications.start();
    }
    producers.values().forEach(QueueProducer::start);
    state = State.RUNNING;
    logConnectionNeeds();
    log.info(
        "Awa runtime {} started: queues {}, LISTEN {}",
        instanceId,
        producers.keySet(),
        listen ? "on" : "off");
  }

  /**
   * Shuts down gracefully: stops claiming, waits up to the drain timeout for running handlers
   * (heartbeats continue), flushes acknowledgements, hands unfinished attempts back so they are
   * available again at once, then stops heartbeats, the listener and the handler threads, and
   * removes the instance row. Idempotent; safe to call from a shutdown hook.
   */
  @Override
  public synchronized void close() {
    if (state != State.RUNNING) {
      state = State.CLOSED;
      return;
    }
    state = State.CLOSED;
    try {
      for (QueueProducer p : producers.values()) {
        p.stopClaiming();
      }
      if (log.isDebugEnabled()) {
        log.debug("runtime {} closing: {}", instanceId, stats());
      }
      // Claimed but never started: back to the queue first and at once, for other runtimes.
      List<JobRun> buffered = new ArrayList<>();
      for (QueueProducer p : producers.values()) {
        buffered.addAll(p.takeBuffered());
      }
      executor.handBack(buffered);
      drain();
      List<JobRun> unfinished = new ArrayList<>();
      for (JobRun r : inFlight.snapshot()) {
        if (!r.handlerDone()) {
          r.cancel("runtime shutting down; job handed back");
          unfinished.add(r);
        }
      }
      executor.handBack(unfinished);
      unfinished.forEach(JobRun::interruptHandler);
      completer.stop(Duration.ofSeconds(10));
      // Acks that could not be written even one by one: hand those back too.
      executor.handBack(inFlight.snapshot());
      heartbeater.stop();
      if (notifications != null) {
        notifications.stop();
      }
      for (ExecutorService pool : ownPools) {
        pool.shutdownNow();
      }
      timer.shutdownNow();
      try {
        instance.deregister();
      } catch (RuntimeException e) {
        log.warn("could not remove runtime instance row {}", instanceId, e);
      }
      log.info("Awa runtime {} closed", instanceId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("interrupted while closing runtime {}; in-flight jobs await rescue", instanceId);
    }
  }

  /**
   * Connections the runtime may hold at once: the LISTEN session (when it comes from the pool), one
   * per producer claiming, the completer and the heartbeat. Handlers that write non-completed
   * outcomes or use the database themselves need more.
   */
  int pooledConnectionsNeeded() {
    return (listen && listenerUrl == null ? 1 : 0) + concurrentClaims() + 2;
  }

  /** Claim statements in flight at once at most: each holds a pooled connection meanwhile. */
  private int concurrentClaims() {
    return Math.min(queues.size() * claimLoops, MAX_CONCURRENT_CLAIMS);
  }

  private void logConnectionNeeds() {
    int needed = pooledConnectionsNeeded();
    boolean pooledListener = listen && listenerUrl == null;
    log.info(
        "Awa runtime {} uses up to {} pooled connections at once: {}{} producer(s), completer,"
            + " heartbeat; plus what handlers use",
        instanceId,
        needed,
        pooledListener ? "1 LISTEN session (held), " : "",
        concurrentClaims());
    String warning = poolSizeWarning(maxPoolSize(dataSource), needed, pooledListener);
    if (warning != null) {
      log.warn("Awa runtime {}: {}", instanceId, warning);
    }
  }

  /**
   * The warning for a pool of {@code max} connections (null: unknown or large enough). A pool
   * smaller than {@code needed} still works (claims, acks and heartbeats queue for a connection)
   * but is slower and heartbeats may be late; a pool the held LISTEN session would fill stalls.
   */
  static String poolSizeWarning(Integer max, int needed, boolean pooledListener) {
    if (max == null || max >= needed) {
      return null;
    }
    if (pooledListener && max <= 1) {
      return "the DataSource allows "
          + max
          + " connection(s) and the LISTEN session holds one for good: claims, acks and"
          + " heartbeats cannot get a connection. Enlarge the pool to at least "
          + needed
          + " or set listenerJdbcUrl";
    }
    return "the DataSource allows only "
        + max
        + " connections but the runtime uses up to "
        + needed
        + " at once (plus what handlers use): claims, acks and heartbeats will wait for"
        + " connections, so throughput drops and heartbeats may come late. Enlarge the pool to"
        + " at least "
        + needed;
  }

  /**
   * The pool's maximum size when the DataSource tells it (HikariCP's {@code getMaximumPoolSize},
   * commons-dbcp2's {@code getMaxTotal}), found reflectively to avoid depending on any pool.
   */
  static Integer maxPoolSize(DataSource ds) {
    for (String name : new String[] {"getMaximumPoolSize", "getMaxTotal"}) {
      try {
        Object v = ds.getClass().getMethod(name).invoke(ds);
        if (v instanceof Integer i && i > 0) {
          return i;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // Not this pool type (or not readable): try the next accessor.
      }
    }
    return null;
  }

  private void drain() throws InterruptedException {
    long until = System.nanoTime() + drainTimeout.toNanos();
    while (System.nanoTime() < until) {
      boolean busy = false;
      for (QueueProducer p : producers.values()) {
        busy |= p.busySlots() > 0;
      }
      if (!busy) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(10);
    }
    log.info("drain timeout {} passed with jobs still running; handing them back", drainTimeout);
  }

  private void wakeQueue(String queue) {
    QueueProducer p = producers.get(queue);
    if (p != null) {
      p.wake();
    }
  }

  private void wakeAll() {
    producers.values().forEach(QueueProducer::wake);
  }

  /**
   * A cancel notification names a job, not an attempt: a late one (say, for a rescued attempt whose
   * job this runtime has since claimed again) must not stop the newer attempt. So the lease is
   * checked (and refreshed) first; only a lease that is gone raises the flag. When the check itself
   * fails the flag stays down and the next heartbeat decides.
   */
  private void cancelInFlight(long jobId) {
    JobRun run = inFlight.get(jobId);
    if (run == null) {
      return;
    }
    if (cancelledByOperator(run)) {
      // Before the flag, so whoever sees the attempt end reports onCancelled (once): the runner
      // or this method for a buffered attempt, the executor or the completer for a started one.
      run.markOperatorCancelled();
    } else if (run.handlerDone()) {
      return;
    } else {
      try {
        if (client.leases().heartbeat(List.of(run.job())).contains(jobId)) {
          log.debug(
              "cancel notification for job {} did not concern attempt {}", jobId, run.lease());
          return;
        }
      } catch (RuntimeException e) {
        log.debug("could not check the lease of job {}; the next heartbeat will", jobId, e);
        return;
      }
    }
    if (!run.handlerDone() && run.cancel("cancelled (operator or rescue)")) {
      log.debug("job {} cancelled through notification", jobId);
    }
    QueueProducer p = producers.get(run.job().queue());
    if (p != null && p.removeBuffered(run)) {
      executor.drop(run); // it never started: free its capacity now, not when a runner meets it
    }
  }

  /** Whether this very attempt's row was cancelled (same lease, state cancelled). */
  private boolean cancelledByOperator(JobRun run) {
    try {
      return client
          .operator()
          .getJob(run.id())
          .map(j -> j.state() == JobState.CANCELLED && j.runLease() == run.lease().runLease())
          .orElse(false);
    } catch (RuntimeException e) {
      log.debug("could not read job {} after a cancel notification", run.id(), e);
      return false;
    }
  }

  private Connection openListenerConnection() throws java.sql.SQLException {
    if (listenerUrl != null) {
      Properties p = new Properties();
      p.putAll(listenerProperties);
      p.putIfAbsent("ApplicationName", NotificationListener.APPLICATION_NAME);
      p.putIfAbsent("tcpKeepAlive", "true");
      return DriverManager.getConnection(listenerUrl, p);
    }
    return dataSource.getConnection();
  }

  /**
   * The claim-ahead bound of one queue: the setting, or by default its concurrency, at most {@value
   * #DEFAULT_CLAIM_AHEAD_CAP}, but at least what gives the queue a capacity (slots + ahead) of
   * {@value #DEFAULT_MIN_CAPACITY}: 16 slots get 240, 64 get 192, 128 get 128. adr/0007: with no-op
   * handlers a queue drains at about its capacity per claim round trip (Little's law: every claimed
   * attempt holds capacity for the claim, its wait and its handler), so the "Fifth pass" raised the
   * floor from 128 to 256 (16 slots 31,700 → 49,600 jobs/s in the same repetitions, 64 slots 26,200
   * → 37,500); the 20 ms window still keeps slow handlers' buffers small.
   */
  private int claimAheadOf(QueueConfig q) {
    return claimAhead >= 0 ? claimAhead : defaultClaimAhead(q.concurrency());
  }

  /** The default claim-ahead bound of a queue with {@code concurrency} slots. */
  static int defaultClaimAhead(int concurrency) {
    return Math.max(
        Math.min(concurrency, DEFAULT_CLAIM_AHEAD_CAP), DEFAULT_MIN_CAPACITY - concurrency);
  }

  /**
   * The default claim-ahead bound gives every queue at least this capacity (slots + ahead); see
   * {@link #claimAheadOf}. Beyond 256 the drain did not get faster (320 ahead at 64 slots: same
   * rate as 192), while every runtime would hold more of a shared backlog.
   */
  static final int DEFAULT_MIN_CAPACITY = 256;

  /** The default claim-ahead bound is the queue's concurrency, at most this. */
  static final int DEFAULT_CLAIM_AHEAD_CAP = 100;

  private ExecutorService ownPool(QueueConfig q) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            q.concurrency(),
            q.concurrency(),
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            DaemonThreads.numbered("awa-worker-" + q.name() + "-"));
    pool.allowCoreThreadTimeOut(true);
    ownPools.add(pool);
    return pool;
  }

  /**
   * Builder of {@link AwaRuntime}. Every setter checks its value at once and throws {@link
   * InvalidConfigException} naming the option and its limit.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private final Map<String, QueueConfig> queues = new LinkedHashMap<>();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private AwaClient client;
    private ObjectMapper mapper = Json.MAPPER;
    private AwaListener listener = AwaListener.NOOP;
    private Duration pollInterval = Duration.ofMillis(500);
    private int claimBatchSize = 100;
    private int claimAhead = -1;
    private Duration backstopPollInterval = Duration.ofSeconds(10);
    private Duration heartbeatInterval = Duration.ofSeconds(30);
    private Duration heartbeatStaleness = Duration.ofSeconds(90);
    private Duration defaultDeadline = QueueConfig.DEFAULT_DEADLINE;
    private Duration drainTimeout = Duration.ofSeconds(30);
    private Duration flushInterval = Duration.ofMillis(1);
    private Executor executor;
    private RetryPolicy retryPolicy = RetryPolicy.exponential();
    private UnknownKindPolicy unknownKinds = UnknownKindPolicy.RETRY;
    private boolean listen = true;
    private String listenerUrl;
    private Properties listenerProperties = new Properties();
    private String instanceId;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Registers the worker of {@code kind}; one per kind. */
    public Builder register(String kind, Worker worker) {
      if (kind == null || kind.isBlank() || kind.length() > NewJob.MAX_NAME_LENGTH) {
        throw new InvalidConfigException(
            "kind", "must be non-blank and at most " + NewJob.MAX_NAME_LENGTH + " characters");
      }
      if (worker == null) {
        throw new InvalidConfigException("worker", "must not be null (kind " + kind + ")");
      }
      if (workers.putIfAbsent(kind, worker) != null) {
        throw new InvalidConfigException(
            "kind", "a worker for '" + kind + "' is already registered");
      }
      return this;
    }

    /** Works {@code name} with {@code concurrency} handler slots and the default deadline. */
    public Builder queue(String name, int concurrency) {
      return queue(new QueueConfig(name, concurrency, defaultDeadline));
    }

    /** Works a queue as configured. */
    public Builder queue(QueueConfig queue) {
      Objects.requireNonNull(queue, "queue");
      if (queues.putIfAbsent(queue.name(), queue) != null) {
        throw new InvalidConfigException("queue", "'" + queue.name() + "' is configured twice");
      }
      return this;
    }

    /**
     * How often an idle queue polls without LISTEN, or while the LISTEN session is down or its
     * probe has not come back (default 500 ms; 10 ms to 1 h). With notifications arriving, {@link
     * #backstopPollInterval} applies instead.
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval =
          range("pollInterval", interval, Duration.ofMillis(10), Duration.ofHours(1));
      return this;
    }

    /**
     * Most jobs one claim statement takes (default 100; 1 to 10,000); never more than free slots.
     */
    public Builder claimBatchSize(int size) {
      if (size < 1 || size > 10_000) {
        throw new InvalidConfigException(
            "claimBatchSize", "must be between 1 and 10000, was " + size);
      }
      this.claimBatchSize = size;
      return this;
    }

    /**
     * Most jobs per queue claimed ahead of free handler slots into the queue's buffer (default: the
     * queue's concurrency, at most 100, but at least enough for a capacity of 256 slots + buffered:
     * 240 for 16 slots, 192 for 64; 0 to 10,000; 0 claims only for free slots). The buffer is
     * filled only as far as the handlers empty it in about 20 ms at their recent rate, so slow
     * handlers get none; a buffered job's deadline starts when its handler starts, and one that
     * waited over a second is handed back. See adr/0007.
     */
    public Builder claimAhead(int jobs) {
      if (jobs < 0 || jobs > 10_000) {
        throw new InvalidConfigException("claimAhead", "must be between 0 and 10000, was " + jobs);
      }
      this.claimAhead = jobs;
      return this;
    }

    /**
     * How often an idle queue polls while the LISTEN session is up (default 10 s; 10 ms to 1 h):
     * notifications wake it at once, this only catches one that was lost. Without LISTEN, or while
     * it is down, {@link #pollInterval} applies.
     */
    public Builder backstopPollInterval(Duration interval) {
      this.backstopPollInterval =
          range("backstopPollInterval", interval, Duration.ofMillis(10), Duration.ofHours(1));
      return this;
    }

    /** How often in-flight leases are refreshed (default 30 s; 10 ms to 1 h). */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval =
          range("heartbeatInterval", interval, Duration.ofMillis(10), Duration.ofHours(1));
      return this;
    }

    /**
     * After how long without a heartbeat a lease counts as dead (default 90 s): the maintenance
     * leader's rescue uses the same figure, and a runtime whose heartbeats failed this long tells
     * its handlers to stop. Must exceed the heartbeat interval.
     */
    public Builder heartbeatStaleness(Duration staleness) {
      this.heartbeatStaleness =
          range("heartbeatStaleness", staleness, Duration.ofMillis(20), Duration.ofDays(1));
      return this;
    }

    /** Deadline of queues added by name after this call (default 5 min). */
    public Builder defaultDeadline(Duration deadline) {
      this.defaultDeadline =
          range("defaultDeadline", deadline, Duration.ofMillis(1), Duration.ofDays(7));
      return this;
    }

    /** How long {@link AwaRuntime#close()} waits for running handlers (default 30 s; 0 to 1 h). */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = range("drainTimeout", timeout, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    /** How long the completer waits to fill a batch (default 1 ms; 0 to 1 s). */
    public Builder completerFlushInterval(Duration interval) {
      this.flushInterval =
          range("completerFlushInterval", interval, Duration.ZERO, Duration.ofSeconds(1));
      return this;
    }

    /**
     * Runs handlers on {@code executor} instead of one pool per queue. Concurrency limits still
     * apply; the runtime never shuts this executor down.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Backoff after a failed attempt (default: 2^attempt s + up to 25 % jitter, capped at 24 h).
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /**
     * What to do with jobs of kinds no worker is registered for (default {@link
     * UnknownKindPolicy#RETRY}).
     */
    public Builder unknownKinds(UnknownKindPolicy policy) {
      this.unknownKinds = Objects.requireNonNull(policy, "unknownKinds");
      return this;
    }

    /** The Jackson mapper for typed args (ignored when {@link #client(AwaClient)} is set). */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "objectMapper");
      return this;
    }

    /** The telemetry listener (ignored when {@link #client(AwaClient)} is set). */
    public Builder listener(AwaListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Writes through this client (its mapper and listener) instead of building one. */
    public Builder client(AwaClient client) {
      this.client = Objects.requireNonNull(client, "client");
      if (client.dataSource() != dataSource) {
        throw new InvalidConfigException("client", "must use the runtime's data source");
      }
      return this;
    }

    /** Whether to LISTEN for wake-ups and cancels (default true); without it queues only poll. */
    public Builder listen(boolean listen) {
      this.listen = listen;
      return this;
    }

    /**
     * Opens the LISTEN session with {@link DriverManager} on this direct URL (named {@code
     * awa-listener}) instead of holding a pooled connection; use it behind a transaction pooler.
     */
    public Builder listenerJdbcUrl(String url, Properties properties) {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw new InvalidConfigException("listenerJdbcUrl", "must be a jdbc:postgresql: URL");
      }
      this.listenerUrl = url;
      this.listenerProperties =
          properties == null ? new Properties() : (Properties) properties.clone();
      return this;
    }

    /** This runtime's id (default: host-pid-random). At most 200 characters. */
    public Builder instanceId(String id) {
      if (id == null || id.isBlank() || id.length() > 200) {
        throw new InvalidConfigException(
            "instanceId", "must be non-blank and at most 200 characters");
      }
      this.instanceId = id;
      return this;
    }

    /** Builds the runtime (not started). */
    public AwaRuntime build() {
      if (queues.isEmpty()) {
        throw new InvalidConfigException("queues", "configure at least one queue");
      }
      if (heartbeatStaleness.compareTo(heartbeatInterval) <= 0) {
        throw new InvalidConfigException(
            "heartbeatStaleness",
            "must exceed heartbeatInterval (" + heartbeatInterval + "), was " + heartbeatStaleness);
      }
      return new AwaRuntime(this);
    }

    private static Duration range(String field, Duration d, Duration min, Duration max) {
      if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
        throw new InvalidConfigException(
            field, "must be between " + min + " and " + max + ", was " + d);
      }
      return d;
    }
  }
}
