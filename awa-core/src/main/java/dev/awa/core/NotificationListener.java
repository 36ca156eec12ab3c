package dev.awa.core;

import dev.awa.core.internal.DaemonThreads;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
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
 * <p>It never stops the runtime: when the session cannot be opened or drops (network, restart,
 * failover) it logs once, lets the producers keep polling, retries with backoff, and after it is
 * back wakes every producer once, because notifications sent while it was away are gone.
 *
 * <p><b>Self-test.</b> After every LISTEN (at start and after each reconnect) it sends a NOTIFY
 * with a random token on a channel of its own, from <em>another</em> connection, and waits for it.
 * Only then is the mode {@link ListenerMode#LISTEN}. Behind a transaction pooler the LISTEN lands
 * on whichever server connection ran that statement and the token never comes back; a NOTIFY sent
 * on the listening connection itself would (the same backend delivers its own notice at commit),
 * which is why the probe must come from elsewhere. Without the token the mode is {@link
 * ListenerMode#POLLING} (one WARN for the runtime's life), the session is closed after UNLISTEN,
 * and the self-test is repeated every {@link #POLLING_RECHECK}. Every mode change goes to the
 * telemetry callback.
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

  /**
   * Whether the listener turns off pgjdbc's wait for more bytes after each notification (see {@link
   * #skipPeekWait}); {@code -Dawa.listenerSkipPeekWait=false} keeps the driver's behaviour, for A/B
   * measurements only (adr/0007 "Fourth pass").
   */
  private static final boolean SKIP_PEEK_WAIT =
      Boolean.parseBoolean(System.getProperty("awa.listenerSkipPeekWait", "true"));

  private static volatile boolean peekWarned;

  /** How often a runtime in polling mode repeats the self-test. */
  static final Duration POLLING_RECHECK = Duration.ofSeconds(60);

  /** Opens the dedicated LISTEN connection. */
  @FunctionalInterface
  interface ConnectionSource {
    Connection open() throws SQLException;
  }

  private final ConnectionSource source;
  private final Consumer<String> wakeQueue;
  private final LongConsumer cancelJob;
  private final Runnable wakeAll;
  private final Consumer<ListenerMode> modeChanged;
  private final Duration pollingRecheck;
  private final String probeChannel =
      "awa_probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean listening;
  private volatile ListenerMode mode = ListenerMode.OFF;
  private boolean down;
  private boolean poolerWarned;

  NotificationListener(
      ConnectionSource source,
      Consumer<String> wakeQueue,
      LongConsumer cancelJob,
      Runnable wakeAll,
      Consumer<ListenerMode> modeChanged,
      String instanceId,
      Duration pollingRecheck) {
    this.source = source;
    this.wakeQueue = wakeQueue;
    this.cancelJob = cancelJob;
    this.wakeAll = wakeAll;
    this.modeChanged = modeChanged;
    this.pollingRecheck = pollingRecheck;
    this.thread = DaemonThreads.thread("awa-listener-" + instanceId, this);
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    running = false;
    stopped.countDown();
    thread.join(5_000);
    setMode(ListenerMode.OFF);
  }

  /**
   * Whether the self-test NOTIFY came back on the current session: notifications do arrive (not
   * through a transaction pooler), so idle queues may poll at the slow backstop interval.
   */
  boolean isConfirmed() {
    return listening && mode == ListenerMode.LISTEN;
  }

  /** Whether a LISTEN session is up and passed its self-test right now. */
  boolean isListening() {
    return listening;
  }

  /** The current mode; {@link ListenerMode#OFF} before the first self-test and after stop. */
  ListenerMode mode() {
    return mode;
  }

  private void setMode(ListenerMode m) {
    if (mode != m) {
      mode = m;
      try {
        modeChanged.accept(m);
      } catch (RuntimeException e) {
        log.debug("listener mode callback failed", e);
      }
    }
  }

  @Override
  public void run() {
    Duration backoff = Duration.ofMillis(100);
    while (running) {
      Connection c = null;
      Duration pause = null;
      try {
        c = source.open();
        c.setAutoCommit(true);
        PGConnection pg = c.unwrap(PGConnection.class);
        if (SKIP_PEEK_WAIT) {
          skipPeekWait(c);
        }
        try (Statement st = c.createStatement()) {
          st.execute("LISTEN " + AVAILABLE_CHANNEL);
          st.execute("LISTEN " + CANCEL_CHANNEL);
          st.execute("LISTEN " + probeChannel);
        }
        backoff = Duration.ofMillis(100);
        if (down) {
          log.info("LISTEN session is back; polling once for what was missed");
          down = false;
        }
        // Notifications sent while no session listened are gone: look once now.
        wakeAll.run();
        if (probe(c, pg)) {
          try (Statement st = c.createStatement()) {
            st.execute("UNLISTEN " + probeChannel);
          }
          if (mode == ListenerMode.POLLING && poolerWarned) {
            log.info("LISTEN self-test passed: notifications wake producers again");
          }
          setMode(ListenerMode.LISTEN);
          listening = true;
          listen(c, pg);
        } else if (running) {
          setMode(ListenerMode.POLLING);
          if (!poolerWarned) {
            poolerWarned = true;
            log.warn(
                "LISTEN self-test NOTIFY did not come back within {}: the connection goes through"
                    + " a transaction pooler (or LISTEN is otherwise not delivered). Falling back"
                    + " to polling every poll interval; give the runtime a direct URL"
                    + " (listenerJdbcUrl) for prompt wake-ups. Re-testing every {}.",
                PROBE_WAIT,
                pollingRecheck);
          } else {
            log.debug("LISTEN self-test failed again; still polling");
          }
          pause = pollingRecheck;
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          break;
        }
        setMode(ListenerMode.POLLING);
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
        close(c);
      }
      try {
        Duration wait = pause != null ? pause : backoff;
        if (stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        break;
      }
      if (pause == null) {
        backoff = backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
          backoff = MAX_BACKOFF;
        }
      }
    }
  }

  /**
   * Sends a random token on this listener's probe channel from another connection and waits for it
   * on {@code c}; notifications that arrive meanwhile are dispatched as usual.
   */
  private boolean probe(Connection c, PGConnection pg) throws SQLException {
    String token = UUID.randomUUID().toString();
    sendProbe(c, token);
    long until = System.nanoTime() + PROBE_WAIT.toNanos();
    boolean seen = false;
    while (running && !seen && System.nanoTime() < until) {
      PGNotification[] ns = pg.getNotifications(WAIT_MILLIS);
      if (ns != null) {
        for (PGNotification n : ns) {
          if (probeChannel.equals(n.getName())) {
            seen |= token.equals(n.getParameter());
          } else {
            dispatch(n);
          }
        }
      }
    }
    return seen;
  }

  private void sendProbe(Connection listening, String token) throws SQLException {
    String sql = "SELECT pg_notify(?, ?)";
    Connection other = null;
    try {
      other = source.open();
      other.setAutoCommit(true);
    } catch (SQLException e) {
      // No second connection (a tiny pool): a probe on the listening connection still proves the
      // session works on a direct connection, though it cannot unmask a pooler.
      log.debug("no second connection for the LISTEN self-test: {}", e.getMessage());
    }
    Connection sender = other != null ? other : listening;
    try (PreparedStatement ps = sender.prepareStatement(sql)) {
      ps.setString(1, probeChannel);
      ps.setString(2, token);
      ps.execute();
    } finally {
      if (other != null) {
        other.close();
      }
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

  /**
   * Makes pgjdbc hand over notifications as soon as they are read. After each notification {@code
   * getNotifications} asks {@code PGStream.hasMessagePending()} whether more follow, and when no
   * byte is buffered that method sets a 1 ms socket timeout and blocks for it, every time (it
   * throttles itself only after a peek that saw end of stream, and a timeout is not that): every
   * wake-up reached its producer ~1.1 ms after PostgreSQL had sent it (adr/0007 "Fourth pass":
   * NOTIFY to dispatch p50 1.25 ms with it, 0.09 ms without, strace on the listening backend shows
   * the server sends before the notifier's commit returns). Setting the stream's next-check time to
   * the far future makes that method answer from the buffered and readable bytes only; bytes that
   * arrive later are read by the next {@code getNotifications} call, which blocks on the socket as
   * before, so nothing is left unread. The field is private to the driver (an automatic module, so
   * open to reflection): when it is missing (another driver version) the listener works as before,
   * 1 ms slower, and says so once at INFO. The method is used by pgjdbc only in notification and
   * COPY processing, and this connection does neither else.
   *
   * @return whether the wait is off on this connection
   */
  static boolean skipPeekWait(Connection c) {
    try {
      Object executor = c.unwrap(org.postgresql.core.BaseConnection.class).getQueryExecutor();
      Field streamField = field(executor.getClass(), "pgStream");
      streamField.setAccessible(true);
      Object stream = streamField.get(executor);
      Field next = field(stream.getClass(), "nextStreamAvailableCheckTime");
      next.setAccessible(true);
      next.setLong(stream, Long.MAX_VALUE);
      return true;
    } catch (ReflectiveOperationException | SQLException | RuntimeException e) {
      if (!peekWarned) {
        peekWarned = true;
        log.info(
            "cannot turn off pgjdbc's 1 ms wait after each notification ({}); wake-ups arrive"
                + " about 1 ms later",
            e.toString());
      }
      return false;
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    for (Class<?> k = type; k != null; k = k.getSuperclass()) {
      try {
        return k.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(type.getName() + "." + name);
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
