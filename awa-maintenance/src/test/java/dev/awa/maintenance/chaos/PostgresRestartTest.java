package dev.awa.maintenance.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.Migrations;
import dev.awa.core.NewJob;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.TestDatabaseServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 2: PostgreSQL stopped and started again on the same port and data directory while jobs
 * flow. The runtime and the maintenance service are not restarted: pools reconnect, the listener
 * LISTENs again, leadership is re-established and every job completes.
 *
 * <p>zonky's {@link EmbeddedPostgres} cannot restart in place, and restarting the server the rest
 * of the suite shares would disturb other test classes. So this test runs its own embedded server
 * on a fixed port with a kept data directory, closes it and starts a new one on both. It needs the
 * embedded backend (for its binaries); with {@code AWA_TEST_DATABASE_URL} or Testcontainers it is
 * skipped.
 */
@Tag("chaos")
class PostgresRestartTest {
  private static final Logger log = LoggerFactory.getLogger(PostgresRestartTest.class);

  @Test
  void runtimeAndLeaderRecoverFromARestartWithoutBeingRestarted() throws Exception {
    assumeTrue(
        TestDatabaseServer.get().embedded() != null,
        "needs the embedded PostgreSQL backend to restart a server");
    Path dir = Files.createTempDirectory("awa-chaos-restart");
    int port = freePort();
    EmbeddedPostgres pg = start(dir, port);
    String url = pg.getJdbcUrl("postgres", "postgres");
    HikariDataSource ds = Chaos.pool(url, 8, "chaos-restart-runtime");
    HikariDataSource leaderDs = Chaos.pool(url, 3, "chaos-restart-leader");
    try {
      Migrations.migrate(ds);
      Chaos.createExecLog(ds);
      AwaClient client = AwaClient.create(ds);
      Properties listenerProps = new Properties();
      listenerProps.setProperty("connectTimeout", "5");
      try (MaintenanceService leader =
              Chaos.maintenance(leaderDs, "restart-leader").build().start();
          AwaRuntime runtime =
              Chaos.runtime(ds, "restart-runtime")
                  // A long poll interval: after the restart, prompt pick-up needs LISTEN again.
                  .pollInterval(Duration.ofSeconds(30))
                  .listenerJdbcUrl(url, listenerProps)
                  .queue("chaos_restart", 8)
                  .register("work", Chaos.recording(ds, "restart-runtime", Duration.ofMillis(20)))
                  .build()) {
        runtime.start();
        await().atMost(Duration.ofMinutes(1)).until(leader::isLeader);
        Set<Long> ids = new HashSet<>();
        for (long id : Chaos.enqueue(client, "work", "chaos_restart", 200)) {
          ids.add(id);
        }
        // Restart while the batch is half done: some completed, some claimed or running.
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> Chaos.queryLong(ds, "SELECT count(*) FROM public.exec_log") >= 50);

        pg.close(); // pg_ctl stop -m fast: every session is cut, the data directory stays
        log.info("embedded PostgreSQL stopped; starting it again on port {}", port);
        pg = start(dir, port);

        // The listener session comes back (it is named awa-listener in pg_stat_activity) ...
        await()
            .atMost(Duration.ofMinutes(2))
            .ignoreExceptions()
            .until(
                () ->
                    Chaos.queryLong(
                            ds,
                            "SELECT count(*) FROM pg_stat_activity"
                                + " WHERE application_name = 'awa-listener'")
                        >= 1);
        // ... and so does leadership (the advisory lock is held again by a live session).
        await().atMost(Duration.ofMinutes(2)).until(leader::isLeader);
        await()
            .atMost(Duration.ofMinutes(2))
            .ignoreExceptions()
            .until(
                () ->
                    Chaos.queryLong(
                            ds,
                            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                                + " AND granted")
                        >= 1);
        // New work: immediate jobs (woken by NOTIFY) and a delayed one (promoted by the leader).
        for (long id : Chaos.enqueue(client, "work", "chaos_restart", 50)) {
          ids.add(id);
        }
        ids.add(
            client
                .enqueue(
                    NewJob.builder("work")
                        .queue("chaos_restart")
                        .args(Map.of("delayed", true))
                        .runIn(Duration.ofSeconds(1))
                        .build())
                .id());
        Chaos.awaitAllCompleted(ds, Duration.ofMinutes(3));
        Chaos.Outcome o = Chaos.assertExactlyOnce(ds, ids);
        assertThat(o.jobs()).isEqualTo(ids.size());
      }
    } finally {
      ds.close();
      leaderDs.close();
      pg.close();
    }
  }

  private static EmbeddedPostgres start(Path dir, int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("max_connections", "100")
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
