package dev.awa.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's one LISTEN session (not one per queue). It listens on {@code awa_job_available}
 * (payload: queue name) to wake the queue's producer, and on {@code awa_job_cancel} (payload: job
 * id) to raise the cancel flag of an in-flight attempt.
 *
 * <p>It never stops the runtime: when the session cannot be opened or drops (network, restart, a
 * transaction pooler) it logs once, lets the producers keep polling, retries with backoff, and
 * after it is back wakes every producer once, because notifications sent while it was away are
 * gone. After each LISTEN it sends itself a probe; a probe that never arrives means the session is
 * not really a session (a transaction pooler), which is logged once.
 */
final class NotificationListener implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
  static final String AVAILABLE_CHANNEL = "awa_job_available";
  static final String CANCEL_CHANNEL = "awa_job_cancel";
  static final String APPLICATION_NAME = "awa-listener";
  private static final int WAIT_MILLIS = 250;
  private static final long HEALTH_CHECK_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final Duration PROBE_WAIT = Duration.ofSeconds(2);

  /** Opens the dedicated LISTEN connection. */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final ConnectionSource source;
  private final Consumer<String> wakeQueue;
  private final LongConsumer cancelJob;
  private final Runnable wakeAll;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean listening;
  private volatile boolean confirmed;
  private boolean down;
  private boolean poolerWarned;

  NotificationListener(
      ConnectionSource source,
      Consumer<String> wakeQueue,
      LongConsumer cancelJob,
      Runnable wakeAll,
      String instanceId) {
    this.source = source;
    this.wakeQueue = wakeQueue;
    this.cancelJob = cancelJob;
    this.wakeAll = wakeAll;
    this.thread = new Thread(this, "awa-listener-" + instanceId);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    stopped.countDown();
    thread.join(5_000);
  }

  /** Whether the session's own probe came back: notifications do arrive (not through a pooler). */
  boolean isConfirmed() {
    return confirmed;
  }

  /** Whether a LISTEN session is up right now. */
  boolean isListening() {
    return listening;
  }

  @Override
  public void run() {
    Duration backoff = Duration.ofMillis(100);
    while (running) {
      Connection c = null;
      try {
        c = source.open();
        c.setAutoCommit(true);
        PGConnection pg = c.unwrap(PGConnection.class);
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + AVAILABLE_CHANNEL);
          st.execute("LISTEN " + CANCEL_CHANNEL);
        }
        listening = true;
        backoff = Duration.ofMillis(100);
        if (down) {
          log.info("LISTEN session is back; polling once for what was missed");
          down = false;
        }
        // Notifications sent while no session listened are gone: look once now.
        wakeAll.run();
        probe(c, pg);
        listen(c, pg);
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          break;
        }
        if (!down) {
          down = true;
          log.warn(
              "LISTEN session unavailable ({}); workers keep polling and it will be retried",
              e.getMessage());
        } else {
          log.debug("LISTEN session still unavailable", e);
        }
      } finally {
        listening = false;
        confirmed = false;
        close(c);
      }
      try {
        if (stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        break;
      }
      backoff = backoff.multipliedBy(2);
      if (backoff.compareTo(MAX_BACKOFF) > 0) {
        backoff = MAX_BACKOFF;
      }
    }
  }

  /** Sends an empty wake-up to ourselves; a session behind a transaction pooler never gets it. */
  private void probe(Connection c, PGConnection pg) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_notify('" + AVAILABLE_CHANNEL + "', '')");
    }
    long until = System.nanoTime() + PROBE_WAIT.toNanos();
    while (running && System.nanoTime() < until) {
      PGNotification[] ns = pg.getNotifications(WAIT_MILLIS);
      if (ns != null && ns.length > 0) {
        boolean sawProbe = false;
        for (PGNotification n : ns) {
          sawProbe |= AVAILABLE_CHANNEL.equals(n.getName()) && n.getParameter().isEmpty();
          dispatch(n);
        }
        if (sawProbe) {
          confirmed = true;
          return;
        }
      }
    }
    if (running && !poolerWarned) {
      poolerWarned = true;
      log.warn(
          "LISTEN probe did not come back within {}: the connection may go through a transaction"
              + " pooler; give the runtime a direct URL (listenerJdbcUrl). Polling covers for it.",
          PROBE_WAIT);
    }
  }

  private void listen(Connection c, PGConnection pg) throws SQLException {
    long lastCheck = System.nanoTime();
    while (running) {
      PGNotification[] ns = pg.getNotifications(WAIT_MILLIS);
      if (ns != null) {
        for (PGNotification n : ns) {
          dispatch(n);
        }
      }
      long now = System.nanoTime();
      if (now - lastCheck > HEALTH_CHECK_NANOS) {
        lastCheck = now;
        try (Statement st = c.createStatement()) {
          st.execute("SELECT 1");
        }
      }
    }
  }

  private void dispatch(PGNotification n) {
    String payload = n.getParameter();
    if (AVAILABLE_CHANNEL.equals(n.getName())) {
      if (!payload.isEmpty()) {
        wakeQueue.accept(payload);
      }
    } else if (CANCEL_CHANNEL.equals(n.getName())) {
      try {
        cancelJob.accept(Long.parseLong(payload.trim()));
      } catch (NumberFormatException e) {
        log.debug("ignoring cancel notification with payload '{}'", payload);
      }
    }
  }

  private static void close(Connection c) {
    if (c == null) {
      return;
    }
    try {
      if (!c.isClosed()) {
        try (Statement st = c.createStatement()) {
          st.execute("UNLISTEN *");
        } catch (SQLException ignored) {
          // Broken connection: closing is enough; the pool evicts it.
        }
      }
      c.close();
    } catch (SQLException ignored) {
      // Nothing more to do with a broken connection.
    }
  }
}
