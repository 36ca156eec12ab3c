package dev.awa.maintenance;

import dev.awa.core.internal.DaemonThreads;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on one dedicated connection that holds a session advisory lock.
 *
 * <p>All of its work runs on one thread, so the connection is never shared. States:
 *
 * <ul>
 *   <li><b>follower</b>: holds a candidate connection that LISTENs on {@value #LEADER_CHANNEL};
 *       calls {@code pg_try_advisory_lock} on it every election interval, and at once when a leader
 *       announces its release on that channel. Before its first attempt the candidate connection is
 *       checked to be pinned to one backend (a transaction pooler fails that check, and the
 *       election is refused with an ERROR naming the direct leader URL).
 *   <li><b>pending</b>: the lock is held, but the process does not call itself leader until one
 *       health-check interval plus one health-check timeout has passed with good checks. An old
 *       leader whose backend just died needs at most that long to notice and step down, so two
 *       processes do not both believe they lead. The wait is skipped when the lock was taken right
 *       after a <em>graceful</em> release (see below): that old leader had stopped its loops and
 *       let go itself, so nobody else can believe it leads.
 *   <li><b>leader</b>: every health-check interval, check on the leader connection (with a socket
 *       timeout) that it is alive, that its backend is the one that took the lock (a changed pid
 *       means a transaction pooler sits in between) and that the lock is still granted; step down
 *       the moment any of that fails.
 * </ul>
 *
 * <p>A graceful release (close) unlocks and sends {@code released <server time>} on the leader
 * channel in the same statement; a release while loop bodies may still be running sends {@code
 * unsafe <server time>} (followers try at once, but keep the grace). A follower skips the grace
 * only when its lock was granted less than one grace after that server timestamp, so a stale notice
 * (another holder may have come and gone since) never shortcuts it. Crash takeover is unchanged: at
 * most one election interval plus the grace.
 *
 * <p>A process that just lost its session waits two election intervals before competing again: its
 * own network or database session is the likelier culprit, so others get the first chance.
 */
final class LeaderElector {
  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  /** Two-int advisory lock key: "awa" and 1. Shows in pg_locks as classid/objid, objsubid 2. */
  static final int LOCK_CLASS = 0x617761;

  static final int LOCK_OBJECT = 1;

  /** Channel on which a leader announces that it let go of the lock. */
  static final String LEADER_CHANNEL = "awa_leader";

  /** application_name of a follower's candidate connection (the leader's is awa-leader). */
  static final String CANDIDATE_APPLICATION_NAME = "awa-leader-candidate";

  private static final String SAFE_RELEASE = "released";
  private static final String UNSAFE_RELEASE = "unsafe";

  /** How long one wait for a release notice blocks the election thread at most. */
  private static final long WAIT_SLICE_MILLIS = 200;

  private static final String SERVER_MICROS =
      "floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint";

  /** Finds the backend holding the leader lock in this database; operators can run it too. */
  static final String HOLDER_SQL =
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = "
          + LOCK_CLASS
          + " AND objid = "
          + LOCK_OBJECT
          + " AND objsubid = 2 AND granted"
          + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

  /** Takes the leader lock for good on a session (tests and operators holding leadership off). */
  static final String LOCK = "SELECT pg_advisory_lock(" + LOCK_CLASS + ", " + LOCK_OBJECT + ")";

  private static final String TRY_LOCK =
      "SELECT pg_try_advisory_lock("
          + LOCK_CLASS
          + ", "
          + LOCK_OBJECT
          + "), pg_backend_pid(), "
          + SERVER_MICROS;

  /** Unlocks and announces it; the notice goes out when this autocommit statement commits. */
  private static String unlockAndAnnounce(boolean safe) {
    return "SELECT pg_advisory_unlock("
        + LOCK_CLASS
        + ", "
        + LOCK_OBJECT
        + "), pg_notify('"
        + LEADER_CHANNEL
        + "', '"
        + (safe ? SAFE_RELEASE : UNSAFE_RELEASE)
        + " ' || "
        + SERVER_MICROS
        + ")";
  }

  /** Alive, same backend, and the lock still granted to it. */
  private static final String HEALTH =
      "SELECT pg_backend_pid(), EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"
          + " AND classid = "
          + LOCK_CLASS
          + " AND objid = "
          + LOCK_OBJECT
          + " AND objsubid = 2 AND granted AND pid = pg_backend_pid())";

  /** Opens the leader's connection. */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  /** Told about changes, on the election thread. */
  interface Events {
    void gained(int backendPid);

    void lost(String reason);

    /** The election was refused: the connection is not a session of its own (a pooler). */
    void refused(String reason);
  }

  private enum State {
    FOLLOWER,
    PENDING,
    LEADER
  }

  /** A release notice: whether it was graceful and the server time it was sent. */
  private record Release(boolean safe, long serverMicros) {}

  private final ConnectionSource source;
  private final Leadership leadership;
  private final Events events;
  private final Duration electionInterval;
  private final Duration healthInterval;
  private final Duration healthTimeout;
  private final ScheduledExecutorService thread;
  private final SessionPinCheck pinCheck;

  private State state = State.FOLLOWER;

  /**
   * The candidate connection while following, the leader connection while pending or leading.
   * Volatile only so that close() can abort it when the orderly release did not finish in time.
   */
  private volatile Connection connection;

  private int backendPid;
  private long pendingSinceNanos;
  private long nextAttemptNotBeforeNanos;
  private long nextTryNanos;
  private boolean attemptsFailing;
  private boolean refusing;
  private volatile String refusal;
  private volatile boolean closed;
  private volatile long lastHandOverMicros = -1;

  LeaderElector(
      ConnectionSource source,
      Leadership leadership,
      Events events,
      Duration electionInterval,
      Duration healthInterval,
      Duration healthTimeout,
      String threadName) {
    this.source = source;
    this.leadership = leadership;
    this.events = events;
    this.electionInterval = electionInterval;
    this.healthInterval = healthInterval;
    this.healthTimeout = healthTimeout;
    this.pinCheck = new SessionPinCheck(source, healthTimeout, threadName + "-pin-check");
    this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named(threadName));
  }

  void start() {
    schedule(Duration.ZERO);
  }

  /** The leader connection's backend pid while pending or leading, else 0. */
  int backendPid() {
    return backendPid;
  }

  /** Why the election is refused right now (a transaction pooler), or null. */
  String refusal() {
    return refusal;
  }

  /**
   * Server-side microseconds from the last graceful release notice to this process's lock grant,
   * when this process took over through the fast path; -1 otherwise. For tests and logs.
   */
  long lastHandOverMicros() {
    return lastHandOverMicros;
  }

  private void schedule(Duration delay) {
    if (closed) {
      return;
    }
    try {
      thread.schedule(this::step, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closing.
    }
  }

  private void step() {
    if (closed) {
      // A step scheduled before close() must not take the lock again after the explicit release:
      // the lock would stay behind on a pooled connection.
      return;
    }
    Duration next = electionInterval;
    try {
      switch (state) {
        case FOLLOWER -> next = follow();
        case PENDING -> {
          if (healthy() && System.nanoTime() - pendingSinceNanos >= graceNanos()) {
            promote();
          }
          next = state == State.FOLLOWER ? electionInterval : healthInterval;
        }
        case LEADER -> {
          healthy();
          next = state == State.LEADER ? healthInterval : electionInterval;
        }
      }
    } catch (RuntimeException e) {
      log.error("awa maintenance: election step failed", e);
    } finally {
      schedule(next);
    }
  }

  private long graceNanos() {
    return healthInterval.plus(healthTimeout).toNanos();
  }

  private void promote() {
    state = State.LEADER;
    leadership.set(true);
    log.info("awa maintenance: this process is now the leader (leader backend pid {})", backendPid);
    events.gained(backendPid);
  }

  /**
   * One follower step: opens the candidate connection when there is none, waits (at most one slice,
   * so close() is never held long) for a release notice or the next attempt, and tries the lock.
   * Returns the delay of the next step.
   */
  private Duration follow() {
    if (connection == null) {
      long wait = nextAttemptNotBeforeNanos - System.nanoTime();
      if (wait > 0) {
        return Duration.ofNanos(Math.min(wait, electionInterval.toNanos()));
      }
      if (!openCandidate()) {
        return electionInterval;
      }
      nextTryNanos = System.nanoTime();
    }
    Release notice = null;
    long untilTry = nextTryNanos - System.nanoTime();
    if (untilTry > 0) {
      try {
        notice = awaitRelease(Math.max(1, Math.min(WAIT_SLICE_MILLIS, untilTry / 1_000_000)));
      } catch (SQLException e) {
        candidateFailed(e);
        return electionInterval;
      }
      if (notice == null && System.nanoTime() - nextTryNanos < 0) {
        return Duration.ZERO;
      }
    }
    tryAcquire(notice);
    if (state == State.FOLLOWER) {
      nextTryNanos = System.nanoTime() + electionInterval.toNanos();
      return connection == null ? electionInterval : Duration.ZERO;
    }
    return healthInterval;
  }

  /** Opens, configures and checks the candidate connection; false (logged) when that failed. */
  private boolean openCandidate() {
    Connection c = null;
    try {
      c = source.open();
      c.setAutoCommit(true);
      // A socket timeout bounds every statement on this connection, so a vanished network makes
      // the health check fail instead of hanging.
      c.setNetworkTimeout(Runnable::run, (int) Math.max(1, healthTimeout.toMillis()));
      try (Statement st = c.createStatement()) {
        st.execute("SET application_name = '" + CANDIDATE_APPLICATION_NAME + "'");
        // Bounds the health check on the server side too (the socket timeout bounds the wait).
        st.execute("SET statement_timeout = " + Math.max(1, healthTimeout.toMillis()));
        // Server-side keepalives: if this host vanishes, PostgreSQL drops the session (and the
        // lock) in about 10 + 5·3 = 25 s instead of the OS default of hours. Ignored on Unix
        // sockets.
        st.execute("SET tcp_keepalives_idle = 10");
        st.execute("SET tcp_keepalives_interval = 5");
        st.execute("SET tcp_keepalives_count = 3");
      }
      String notPinned = pinCheck.check(c);
      if (notPinned != null) {
        refuse(notPinned);
        release(c);
        nextAttemptNotBeforeNanos = System.nanoTime() + electionInterval.toNanos();
        return false;
      }
      if (refusing) {
        refusing = false;
        refusal = null;
        log.info("awa maintenance: the leader connection is a session of its own again");
      }
      try (Statement st = c.createStatement()) {
        st.execute("LISTEN " + LEADER_CHANNEL);
      }
      attemptsFailing = false;
      connection = c;
      return true;
    } catch (SQLException e) {
      attemptFailed(e);
      if (c != null) {
        abort(c);
      }
      return false;
    }
  }

  private void refuse(String reason) {
    refusal = reason;
    if (!refusing) {
      refusing = true;
      log.error("awa maintenance: refusing to take part in the leader election: {}", reason);
    } else {
      log.debug("awa maintenance: election still refused: {}", reason);
    }
    events.refused(reason);
  }

  /** Waits up to {@code millis} for notices on the candidate connection; the newest release. */
  private Release awaitRelease(long millis) throws SQLException {
    PGNotification[] ns =
        connection.unwrap(PGConnection.class).getNotifications((int) Math.max(1, millis));
    Release newest = null;
    if (ns != null) {
      for (PGNotification n : ns) {
        Release r = parseRelease(n);
        if (r != null && (newest == null || r.serverMicros() >= newest.serverMicros())) {
          newest = r;
        }
      }
    }
    return newest;
  }

  private static Release parseRelease(PGNotification n) {
    if (!LEADER_CHANNEL.equals(n.getName())) {
      return null;
    }
    String[] parts = n.getParameter().trim().split(" ");
    if (parts.length != 2) {
      return null;
    }
    try {
      return new Release(SAFE_RELEASE.equals(parts[0]), Long.parseLong(parts[1]));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void tryAcquire(Release notice) {
    Connection c = connection;
    try {
      boolean granted;
      int pid;
      long grantedMicros;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(TRY_LOCK)) {
        rs.next();
        granted = rs.getBoolean(1);
        pid = rs.getInt(2);
        grantedMicros = rs.getLong(3);
      }
      attemptsFailing = false;
      if (!granted) {
        return;
      }
      try (Statement st = c.createStatement()) {
        st.execute("UNLISTEN " + LEADER_CHANNEL);
        st.execute("SET application_name = 'awa-leader'");
      }
      backendPid = pid;
      state = State.PENDING;
      pendingSinceNanos = System.nanoTime();
      // Skip the grace only right after a graceful release: measured on the server's clock from
      // the notice to the grant, so a stale notice (someone else may have held the lock since)
      // never counts.
      long sinceRelease = notice == null ? -1 : grantedMicros - notice.serverMicros();
      if (notice != null
          && notice.safe()
          && sinceRelease >= 0
          && sinceRelease * 1_000 < graceNanos()) {
        lastHandOverMicros = sinceRelease;
        log.debug(
            "awa maintenance: leader lock taken on backend {} {} µs after a graceful release",
            pid,
            sinceRelease);
        promote();
      } else {
        log.debug("awa maintenance: leader lock taken on backend {}; waiting out the grace", pid);
      }
    } catch (SQLException e) {
      candidateFailed(e);
    }
  }

  private void candidateFailed(SQLException e) {
    attemptFailed(e);
    Connection c = connection;
    connection = null;
    backendPid = 0;
    state = State.FOLLOWER;
    if (c != null) {
      abort(c);
    }
  }

  /**
   * Once per streak at WARN: a follower that cannot even reach the database is worth knowing about,
   * but not every election interval.
   */
  private void attemptFailed(SQLException e) {
    if (!attemptsFailing) {
      log.warn("awa maintenance: cannot take part in the leader election: {}", e.getMessage());
      attemptsFailing = true;
    } else {
      log.debug("awa maintenance: election attempt failed: {}", e.getMessage());
    }
  }

  /** One health check; on failure steps down. Returns whether the check passed. */
  private boolean healthy() {
    String failure;
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(HEALTH)) {
      rs.next();
      int pid = rs.getInt(1);
      boolean held = rs.getBoolean(2);
      if (pid != backendPid) {
        failure =
            "the leader connection moved from backend "
                + backendPid
                + " to "
                + pid
                + ": a transaction pooler is in between; give the leader a direct URL"
                + " (MaintenanceService.Builder.leaderJdbcUrl)";
      } else if (!held) {
        failure = "the leader lock is no longer held by backend " + pid;
      } else {
        return true;
      }
    } catch (SQLException e) {
      failure = "health check failed: " + e.getMessage();
    }
    stepDown(failure, false, false);
    return false;
  }

  /**
   * Leaves the lock. Orderly (close): unlock, announce on the leader channel ({@code safe} when
   * this process's loops have stopped) and return the connection. Otherwise the connection is
   * aborted and this process waits two election intervals before competing again.
   */
  private void stepDown(String reason, boolean orderly, boolean safe) {
    boolean wasLeader = state == State.LEADER;
    boolean heldLock = state != State.FOLLOWER;
    leadership.set(false);
    state = State.FOLLOWER;
    Connection c = connection;
    connection = null;
    backendPid = 0;
    if (c != null) {
      if (orderly) {
        if (heldLock) {
          try (Statement st = c.createStatement()) {
            st.execute(unlockAndAnnounce(safe));
          } catch (SQLException e) {
            log.debug("awa maintenance: unlock failed: {}", e.getMessage());
          }
        }
        release(c);
      } else {
        abort(c);
        nextAttemptNotBeforeNanos = System.nanoTime() + electionInterval.multipliedBy(2).toNanos();
      }
    }
    if (heldLock && !wasLeader && !orderly) {
      log.info("awa maintenance: gave the leader lock up before leading: {}", reason);
    }
    if (wasLeader) {
      if (orderly) {
        log.info("awa maintenance: this process stepped down as leader ({})", reason);
      } else {
        log.warn("awa maintenance: this process stepped down as leader: {}", reason);
      }
      events.lost(reason);
    }
  }

  /** Returns a healthy connection (to its pool, if pooled) with the session settings undone. */
  private static void release(Connection c) {
    try (Statement st = c.createStatement()) {
      st.execute("UNLISTEN *");
      st.execute("RESET application_name");
      st.execute("RESET statement_timeout");
      st.execute("RESET tcp_keepalives_idle");
      st.execute("RESET tcp_keepalives_interval");
      st.execute("RESET tcp_keepalives_count");
      c.setNetworkTimeout(Runnable::run, 0);
    } catch (SQLException e) {
      abort(c);
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // Nothing to do.
    }
  }

  /** Closes a connection that may be broken without waiting on the network. */
  private static void abort(Connection c) {
    try {
      c.abort(Runnable::run);
    } catch (SQLException | RuntimeException e) {
      // Already gone.
    }
    try {
      c.close();
    } catch (SQLException e) {
      // Already gone.
    }
  }

  /**
   * Unlocks explicitly (announcing the release to followers) and stops the election thread. {@code
   * loopsStopped} says whether every loop body of this process has finished: only then may a
   * follower skip its grace.
   */
  void close(Duration timeout, boolean loopsStopped) {
    if (closed) {
      return;
    }
    boolean released = false;
    try {
      thread
          .submit(
              () -> {
                closed = true;
                stepDown("service closed", true, loopsStopped);
              })
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      released = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      log.warn("awa maintenance: orderly leader release did not finish: {}", e.toString());
    } finally {
      closed = true;
      thread.shutdownNow();
      pinCheck.close();
      // Ending the session frees the lock; a connection left open would hold it for good.
      Connection c = connection;
      if (!released && c != null) {
        abort(c);
      }
    }
  }

  /** For a health-check connection that is not the leader's: is anyone leading this database? */
  static int holderPid(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(HOLDER_SQL);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
