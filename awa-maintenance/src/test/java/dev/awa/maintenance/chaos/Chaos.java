package dev.awa.maintenance.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.NewJob;
import dev.awa.core.Worker;
import dev.awa.maintenance.MaintenanceService;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared fixtures of the chaos suite: the execution log every handler writes to, a recording
 * worker, fast-recovery settings for runtimes and the maintenance leader, a paced enqueuer and the
 * "nothing lost, nothing run twice without a rescue" check.
 *
 * <p>The execution log ({@code public.exec_log}) holds one row per handler start: {@code (job_id,
 * attempt, run_lease, worker)}. Every claim bumps {@code run_lease}, so an execution that was not
 * preceded by a rescue, a hand-back or a retry would show up as a duplicate {@code (job_id,
 * run_lease)} pair.
 */
public final class Chaos {
  private static final Logger log = LoggerFactory.getLogger(Chaos.class);

  /** Heartbeat interval of chaos runtimes: short so that staleness can be short too. */
  public static final Duration HEARTBEAT = Duration.ofMillis(300);

  /** Staleness used by runtimes and the leader alike: a dead worker's jobs come back in ~2 s. */
  public static final Duration STALENESS = Duration.ofSeconds(2);

  private Chaos() {}

  /** The longest gap between consecutive instants (System.nanoTime values, any order), in ms. */
  public static long longestGapMillis(long[] nanos) {
    long[] sorted = nanos.clone();
    java.util.Arrays.sort(sorted);
    long gap = 0;
    for (int i = 1; i < sorted.length; i++) {
      gap = Math.max(gap, sorted[i] - sorted[i - 1]);
    }
    return gap / 1_000_000;
  }

  /** A HikariCP pool for a chaos server of the test's own (short connection timeout). */
  public static com.zaxxer.hikari.HikariDataSource pool(String url, int size, String name) {
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setPoolName(name);
    config.setConnectionTimeout(5_000);
    config.addDataSourceProperty("ApplicationName", name);
    return new com.zaxxer.hikari.HikariDataSource(config);
  }

  /** Creates (or empties) {@code exec_log} in the database behind {@code ds}. */
  public static void createExecLog(DataSource ds) {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS public.exec_log (job_id bigint NOT NULL, attempt int NOT"
              + " NULL, run_lease bigint NOT NULL, worker text NOT NULL, at timestamptz NOT NULL"
              + " DEFAULT clock_timestamp())");
      st.execute("TRUNCATE public.exec_log");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create exec_log", e);
    }
  }

  /**
   * Records the start of an execution. Throws when the row cannot be written (say, the connection
   * was just terminated): the attempt then fails and is retried, so an execution that did real work
   * is never missing from the log.
   */
  public static void record(DataSource ds, long jobId, int attempt, long runLease, String worker)
      throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO public.exec_log (job_id, attempt, run_lease, worker) VALUES (?, ?, ?,"
                    + " ?)")) {
      ps.setLong(1, jobId);
      ps.setInt(2, attempt);
      ps.setLong(3, runLease);
      ps.setString(4, worker);
      ps.executeUpdate();
    }
  }

  /** A worker that records its execution in {@code exec_log} and then "works" for {@code work}. */
  public static Worker recording(DataSource logDs, String worker, Duration work) {
    return ctx -> {
      record(logDs, ctx.id(), ctx.attempt(), ctx.job().runLease(), worker);
      if (!work.isZero()) {
        Thread.sleep(work.toMillis()); // simulated work, interruptible like real I/O
      }
      return JobResult.completed();
    };
  }

  /** A runtime builder with chaos-friendly timings: quick heartbeats, quick retries. */
  public static AwaRuntime.Builder runtime(DataSource ds, String instanceId) {
    return AwaRuntime.builder(ds)
        .instanceId(instanceId)
        .heartbeatInterval(HEARTBEAT)
        .heartbeatStaleness(STALENESS)
        .pollInterval(Duration.ofMillis(200))
        .drainTimeout(Duration.ofSeconds(5))
        // Handler failures caused by the chaos itself (a terminated connection) come back soon.
        .retryPolicy(attempt -> Duration.ofMillis(200));
  }

  /**
   * A maintenance service that takes over quickly and rescues dead workers' jobs within about
   * {@link #STALENESS}. Rescued attempts go to {@code retryable} with the leader's own backoff
   * (2^attempt s), and {@code promote_scheduled} brings them back.
   */
  public static MaintenanceService.Builder maintenance(DataSource ds, String instanceId) {
    return MaintenanceService.builder(ds)
        .instanceId(instanceId)
        .electionInterval(Duration.ofMillis(500))
        .healthCheckInterval(Duration.ofMillis(200))
        .healthCheckTimeout(Duration.ofSeconds(1))
        .heartbeatStaleness(STALENESS)
        .interval(MaintenanceService.RESCUE_STALE_HEARTBEATS, Duration.ofMillis(250))
        .interval(MaintenanceService.RESCUE_EXPIRED_DEADLINES, Duration.ofMillis(250))
        .interval(MaintenanceService.PROMOTE_SCHEDULED, Duration.ofMillis(100));
  }

  /** Enqueues {@code n} jobs of {@code kind} on {@code queue} in one statement. */
  public static long[] enqueue(AwaClient client, String kind, String queue, int n) {
    return enqueue(client, kind, queue, n, Duration.ZERO);
  }

  /** Enqueues {@code n} jobs due after {@code runIn}, in one statement. */
  public static long[] enqueue(AwaClient client, String kind, String queue, int n, Duration runIn) {
    List<NewJob> jobs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      NewJob.Builder b = NewJob.builder(kind).queue(queue).args(java.util.Map.of("i", i));
      if (!runIn.isZero()) {
        b.runIn(runIn);
      }
      jobs.add(b.build());
    }
    return client.enqueueMany(jobs);
  }

  /** Reads the first column of the first row as a long (0 when null). */
  public static long queryLong(DataSource ds, String sql) {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** Counts jobs in either table that are not in {@code state}. */
  public static long countNotIn(DataSource ds, String state) {
    return queryLong(
        ds,
        "SELECT (SELECT count(*) FROM awa.jobs WHERE state::text <> '"
            + state
            + "') + (SELECT count(*) FROM awa.scheduled_jobs WHERE state::text <> '"
            + state
            + "')");
  }

  /**
   * Waits until no row is left unfinished, logging a state histogram about every second so a slow
   * recovery shows where jobs sit (and the moment the last one finished).
   */
  public static void awaitAllCompleted(DataSource ds, Duration atMost) {
    long start = System.nanoTime();
    AtomicBoolean dumped = new AtomicBoolean();
    org.awaitility.Awaitility.await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .until(
            () -> {
              long left = countNotIn(ds, "completed");
              if (left > 0 && System.nanoTime() - start > 1_000_000_000L) {
                log.info("waiting for {} unfinished jobs: {}", left, histogram(ds));
              }
              if (left > 0
                  && Boolean.getBoolean("awa.chaos.dumpThreads")
                  && System.nanoTime() - start > 5_000_000_000L
                  && dumped.compareAndSet(false, true)) {
                Thread.getAllStackTraces()
                    .forEach(
                        (t, st) -> {
                          if (t.getName().startsWith("awa-")) {
                            StringBuilder sb = new StringBuilder(t.getName()).append('\n');
                            for (int i = 0; i < Math.min(12, st.length); i++) {
                              sb.append("    at ").append(st[i]).append('\n');
                            }
                            log.info("thread {}", sb);
                          }
                        });
              }
              return left == 0;
            });
    log.info(
        "all jobs completed {} ms after recovery began", (System.nanoTime() - start) / 1_000_000);
  }

  /** Job counts by table and state, e.g. {@code jobs.running=3 scheduled_jobs.retryable=2}. */
  public static String histogram(DataSource ds) {
    StringBuilder sb = new StringBuilder();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 'jobs.' || state, count(*) FROM awa.jobs WHERE state <> 'completed'"
                    + " GROUP BY 1 UNION ALL SELECT 'scheduled_jobs.' || state, count(*)"
                    + " FROM awa.scheduled_jobs GROUP BY 1 ORDER BY 1")) {
      while (rs.next()) {
        sb.append(rs.getString(1)).append('=').append(rs.getLong(2)).append(' ');
      }
    } catch (SQLException e) {
      return "unavailable: " + e.getMessage();
    }
    return sb.toString().trim();
  }

  /** Counts every job row, in both tables. */
  public static long countAll(DataSource ds) {
    return queryLong(
        ds, "SELECT (SELECT count(*) FROM awa.jobs) + (SELECT count(*) FROM awa.scheduled_jobs)");
  }

  /** What {@link #assertExactlyOnce} found, for the test's log line and the report. */
  public record Outcome(long jobs, long executions, long rerunJobs) {}

  /**
   * The suite's central check, from the database alone:
   *
   * <ul>
   *   <li>every id in {@code expected} exists and is {@code completed}, and so is every other row
   *       (nothing lost, nothing stuck);
   *   <li>no {@code (job_id, run_lease)} pair was executed twice: every re-execution came from a
   *       new claim after a rescue, hand-back or retry;
   *   <li>the completed row's lease is the latest executed one: nothing ran after completion, and
   *       the completion came from the last attempt;
   *   <li>every completed job was executed at least once (the log saw it).
   * </ul>
   */
  public static Outcome assertExactlyOnce(DataSource ds, Set<Long> expected) {
    assertThat(countNotIn(ds, "completed")).as("jobs not completed").isZero();
    if (!expected.isEmpty()) {
      Long[] ids = expected.toArray(Long[]::new);
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT count(*) FROM awa.jobs WHERE state = 'completed' AND id = ANY(?)")) {
        ps.setArray(1, c.createArrayOf("bigint", ids));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(rs.getLong(1)).as("known jobs completed").isEqualTo(expected.size());
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    assertThat(
            queryLong(
                ds,
                "SELECT count(*) FROM (SELECT job_id, run_lease FROM public.exec_log"
                    + " GROUP BY 1, 2 HAVING count(*) > 1) d"))
        .as("executions of the same (job, lease) twice")
        .isZero();
    assertThat(
            queryLong(
                ds,
                "SELECT count(*) FROM awa.jobs j WHERE j.state = 'completed' AND j.run_lease <>"
                    + " (SELECT max(e.run_lease) FROM public.exec_log e WHERE e.job_id = j.id)"))
        .as("completed jobs whose completing lease is not their last execution")
        .isZero();
    assertThat(
            queryLong(
                ds,
                "SELECT count(*) FROM awa.jobs j WHERE j.state = 'completed' AND NOT EXISTS"
                    + " (SELECT 1 FROM public.exec_log e WHERE e.job_id = j.id)"))
        .as("completed jobs never executed")
        .isZero();
    Outcome o =
        new Outcome(
            countAll(ds),
            queryLong(ds, "SELECT count(*) FROM public.exec_log"),
            queryLong(
                ds,
                "SELECT count(*) FROM (SELECT job_id FROM public.exec_log GROUP BY 1"
                    + " HAVING count(*) > 1) r"));
    log.info("chaos outcome: {}", o);
    return o;
  }

  /**
   * Enqueues jobs at a steady rate on its own thread. Enqueues that fail (the chaos killed the
   * connection) are retried; one whose commit outcome is unknown may exist without its id being
   * known, which {@link #assertExactlyOnce} covers by checking every row.
   */
  public static final class Enqueuer extends Thread {
    private final AwaClient client;
    private final String kind;
    private final String queue;
    private final int perSecond;
    private final AtomicBoolean stop = new AtomicBoolean();

    /** Ids of jobs whose enqueue returned. */
    public final Set<Long> ids = ConcurrentHashMap.newKeySet();

    /** Enqueue calls that threw. */
    public final AtomicLong failures = new AtomicLong();

    /** When each successful enqueue call returned (System.nanoTime), in order. */
    public final java.util.Queue<Long> successNanos =
        new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final Duration runIn;

    /** Paces {@code perSecond} jobs of {@code kind} on {@code queue}, due at once. */
    public Enqueuer(AwaClient client, String kind, String queue, int perSecond) {
      this(client, kind, queue, perSecond, Duration.ZERO);
    }

    /**
     * Paces {@code perSecond} jobs of {@code kind} on {@code queue} (in batches of a twentieth of
     * the rate), due after {@code runIn} (zero: at once; else they pass through {@code
     * awa.scheduled_jobs}).
     */
    public Enqueuer(AwaClient client, String kind, String queue, int perSecond, Duration runIn) {
      super("chaos-enqueuer-" + queue + (runIn.isZero() ? "" : "-delayed"));
      this.runIn = runIn;
      setDaemon(true);
      this.client = client;
      this.kind = kind;
      this.queue = queue;
      this.perSecond = perSecond;
    }

    @Override
    public void run() {
      int batch = Math.max(1, perSecond / 20);
      long periodNanos = 1_000_000_000L * batch / perSecond;
      long next = System.nanoTime();
      while (!stop.get()) {
        try {
          for (long id : enqueue(client, kind, queue, batch, runIn)) {
            ids.add(id);
          }
          successNanos.add(System.nanoTime());
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
        next += periodNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait); // load pacing, not synchronisation
        } else {
          next = System.nanoTime(); // fell behind (chaos); do not burst to catch up
        }
      }
    }

    /** The longest time between two successful enqueue calls: the outage producers saw. */
    public long longestGapMillis() {
      return Chaos.longestGapMillis(successNanos.stream().mapToLong(Long::longValue).toArray());
    }

    /** Stops enqueueing and waits for the thread to end. */
    public void finish() throws InterruptedException {
      stop.set(true);
      join(30_000);
    }
  }
}
