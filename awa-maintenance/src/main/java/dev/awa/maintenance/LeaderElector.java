package dev.awa.maintenance;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on one dedicated connection that holds a session advisory lock.
 *
 * <p>All of its work runs on one thread, so the leader connection is never shared. States:
 *
 * <ul>
 *   <li><b>follower</b>: every election interval, open a connection and {@code
 *       pg_try_advisory_lock}; keep the connection only if the lock was granted.
 *   <li><b>pending</b>: the lock is held, but the process does not call itself leader until one
 *       health-check interval plus one health-check timeout has passed with good checks. An old
 *       leader whose backend just died needs at most that long to notice and step down, so two
 *       processes do not both believe they lead.
 *   <li><b>leader</b>: every health-check interval, check on the leader connection (with a socket
 *       timeout) that it is alive, that its backend is the one that took the lock (a changed pid
 *       means a transaction pooler sits in between) and that the lock is still granted; step down
 *       the moment any of that fails.
 * </ul>
 *
 * A process that just lost its session waits two election intervals before competing again: its own
 * network or database session is the likelier culprit, so others get the first chance.
 */
final class LeaderElector {
  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  /** Two-int advisory lock key: "awa" and 1. Shows in pg_locks as classid/objid, objsubid 2. */
  static final int LOCK_CLASS = 0x617761;

  static final int LOCK_OBJECT = 1;

  /** Finds the backend holding the leader lock in this database; operators can run it too. */
  static final String HOLDER_SQL =
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = "
          + LOCK_CLASS
          + " AND objid = "
          + LOCK_OBJECT
          + " AND objsubid = 2 AND granted"
          + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

  private static final String TRY_LOCK =
      "SELECT pg_try_advisory_lock(" + LOCK_CLASS + ", " + LOCK_OBJECT + "), pg_backend_pid()";
  private static final String UNLOCK =
      "SELECT pg_advisory_unlock(" + LOCK_CLASS + ", " + LOCK_OBJECT + ")";

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
  }

  private enum State {
    FOLLOWER,
    PENDING,
    LEADER
  }

  private final ConnectionSource source;
  private final Leadership leadership;
  private final Events events;
  private final Duration electionInterval;
  private final Duration healthInterval;
  private final Duration healthTimeout;
  private final ScheduledExecutorService thread;

  private State state = State.FOLLOWER;
  private Connection connection;
  private int backendPid;
  private long pendingSinceNanos;
  private long nextAttemptNotBeforeNanos;
  private boolean attemptsFailing;
  private volatile boolean closed;

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
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    schedule(Duration.ZERO);
  }

  /** The leader connection's backend pid while pending or leading, else 0. */
  int backendPid() {
    return backendPid;
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
        case FOLLOWER -> {
          if (System.nanoTime() - nextAttemptNotBeforeNanos >= 0) {
            tryAcquire();
          }
          next = state == State.FOLLOWER ? electionInterval : healthInterval;
        }
        case PENDING -> {
          if (healthy()) {
            long graceNanos = healthInterval.plus(healthTimeout).toNanos();
            if (System.nanoTime() - pendingSinceNanos >= graceNanos) {
              state = State.LEADER;
              leadership.set(true);
              log.info(
                  "awa maintenance: this process is now the leader (leader backend pid {})",
                  backendPid);
              events.gained(backendPid);
            }
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

  private void tryAcquire() {
    Connection c = null;
    try {
      c = source.open();
      c.setAutoCommit(true);
      // A socket timeout bounds every statement on this connection, so a vanished network makes
      // the health check fail instead of hanging.
      c.setNetworkTimeout(Runnable::run, (int) Math.max(1, healthTimeout.toMillis()));
      try (Statement st = c.createStatement()) {
        st.execute("SET application_name = 'awa-leader'");
        // Bounds the health check on the server side too (the socket timeout bounds the wait).
        st.execute("SET statement_timeout = " + Math.max(1, healthTimeout.toMillis()));
        // Server-side keepalives: if this host vanishes, PostgreSQL drops the session (and the
        // lock) in about 10 + 5·3 = 25 s instead of the OS default of hours. Ignored on Unix
        // sockets.
        st.execute("SET tcp_keepalives_idle = 10");
        st.execute("SET tcp_keepalives_interval = 5");
        st.execute("SET tcp_keepalives_count = 3");
      }
      boolean granted;
      int pid;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(TRY_LOCK)) {
        rs.next();
        granted = rs.getBoolean(1);
        pid = rs.getInt(2);
      }
      attemptsFailing = false;
      if (!granted) {
        release(c);
        return;
      }
      connection = c;
      backendPid = pid;
      state = State.PENDING;
      pendingSinceNanos = System.nanoTime();
      log.debug("awa maintenance: leader lock taken on backend {}; waiting out the grace", pid);
    } catch (SQLException e) {
      // Once per streak at WARN: a follower that cannot even reach the database is worth knowing
      // about, but not every election interval.
      if (!attemptsFailing) {
        log.warn("awa maintenance: cannot take part in the leader election: {}", e.getMessage());
        attemptsFailing = true;
      } else {
        log.debug("awa maintenance: election attempt failed: {}", e.getMessage());
      }
      if (c != null) {
        abort(c);
      }
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
    stepDown(failure, false);
    return false;
  }

  private void stepDown(String reason, boolean orderly) {
    boolean wasLeader = state == State.LEADER;
    leadership.set(false);
    state = State.FOLLOWER;
    Connection c = connection;
    connection = null;
    backendPid = 0;
    if (c != null) {
      if (orderly) {
        try (Statement st = c.createStatement()) {
          st.execute(UNLOCK);
        } catch (SQLException e) {
          log.debug("awa maintenance: unlock failed: {}", e.getMessage());
        }
        release(c);
      } else {
        abort(c);
        nextAttemptNotBeforeNanos = System.nanoTime() + electionInterval.multipliedBy(2).toNanos();
      }
    }
    if (!wasLeader && !orderly) {
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

  /** Unlocks explicitly and stops the election thread. */
  void close(Duration timeout) {
    if (closed) {
      return;
    }
    try {
      thread
          .submit(
              () -> {
                closed = true;
                if (state != State.FOLLOWER) {
                  stepDown("service closed", true);
                }
              })
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
      log.warn("awa maintenance: orderly leader release did not finish: {}", e.toString());
    } finally {
      closed = true;
      thread.shutdownNow();
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
