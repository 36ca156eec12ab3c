package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.PgBouncer;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The LISTEN self-test: at start, after a reconnect, and through a transaction pooler. */
@AwaTest
class NotificationListenerTest {

  private static NotificationListener listener(
      NotificationListener.ConnectionSource source, List<ListenerMode> modes) {
    return new NotificationListener(
        source, q -> {}, id -> {}, () -> {}, modes::add, "t", Duration.ofMillis(300));
  }

  @Test
  void aDirectSessionPassesTheSelfTestAgainAfterAReconnect(TestDatabase db) throws Exception {
    List<ListenerMode> modes = new CopyOnWriteArrayList<>();
    NotificationListener n =
        listener(
            () -> {
              Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
              c.setClientInfo("ApplicationName", "awa-listener-test");
              return c;
            },
            modes);
    n.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(n::isListening);
      assertThat(n.mode()).isEqualTo(ListenerMode.LISTEN);
      db.queryStrings(
          "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity"
              + " WHERE application_name = 'awa-listener-test' AND datname = current_database()");
      await().atMost(Duration.ofSeconds(10)).until(() -> modes.size() >= 3 && n.isListening());
      assertThat(modes)
          .containsExactly(ListenerMode.LISTEN, ListenerMode.POLLING, ListenerMode.LISTEN);
    } finally {
      n.stop();
    }
    assertThat(modes).endsWith(ListenerMode.OFF);
  }

  @Test
  void thePeekWaitAfterEachNotificationIsTurnedOffWithThisDriver(TestDatabase db) throws Exception {
    // Fails when a pgjdbc upgrade renames the fields: the listener then works 1 ms slower.
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
      assertThat(NotificationListener.skipPeekWait(c)).isTrue();
    }
  }

  @Test
  void withoutThePeekWaitEveryNotificationOfBurstsAndSingleCommitsIsDispatched(TestDatabase db)
      throws Exception {
    Set<String> woken = ConcurrentHashMap.newKeySet();
    NotificationListener n =
        new NotificationListener(
            () -> DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password()),
            woken::add,
            id -> {},
            () -> {},
            m -> {},
            "t",
            Duration.ofMillis(300));
    n.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(n::isListening);
      // 500 notifications in one commit (one burst the driver reads in pieces), then 200 commits
      // of one each from another thread while the listener reads.
      db.queryStrings(
          "SELECT pg_notify('awa_job_available', 'burst_' || g)::text"
              + " FROM generate_series(1, 500) g");
      Thread sender =
          new Thread(
              () -> {
                for (int i = 1; i <= 200; i++) {
                  db.queryStrings(
                      "SELECT pg_notify('awa_job_available', 'single_" + i + "')::text");
                }
              });
      sender.start();
      sender.join();
      await().atMost(Duration.ofSeconds(30)).until(() -> woken.size() == 700);
      assertThat(woken).contains("burst_1", "burst_500", "single_1", "single_200");
    } finally {
      n.stop();
    }
  }

  @Test
  void throughATransactionPoolerTheSelfTestFailsOnEveryRetryAndReportsPollingOnce(TestDatabase db)
      throws Exception {
    PgBouncer.assumeInstalled();
    try (PgBouncer bouncer = PgBouncer.start(db, PgBouncer.PoolMode.TRANSACTION)) {
      List<ListenerMode> modes = new CopyOnWriteArrayList<>();
      AtomicInteger opened = new AtomicInteger();
      NotificationListener n =
          listener(
              () -> {
                opened.incrementAndGet();
                return DriverManager.getConnection(bouncer.jdbcUrl());
              },
              modes);
      n.start();
      try {
        // Each self-test opens the listening and the probing connection: three rounds at least.
        await().atMost(Duration.ofSeconds(30)).until(() -> opened.get() >= 6);
        assertThat(n.isListening()).isFalse();
        assertThat(modes).containsExactly(ListenerMode.POLLING);
      } finally {
        n.stop();
      }
    }
  }
}
