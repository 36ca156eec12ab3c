package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaListener;
import dev.awa.core.AwaRuntime;
import dev.awa.core.CallbackOutcome;
import dev.awa.core.JobResult;
import dev.awa.core.JobState;
import dev.awa.core.ListenerMode;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.PgBouncer;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Behind PgBouncer in transaction mode: the job path works (with {@code prepareThreshold=0}), the
 * runtime notices that LISTEN does not deliver and polls, and the leader refuses to elect unless it
 * has a direct URL.
 */
@AwaTest
class PgBouncerTransactionModeTest {
  private static PgBouncer bouncer;
  private final TestDatabase db;

  PgBouncerTransactionModeTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeAll
  static void startBouncer(TestDatabase db) {
    PgBouncer.assumeInstalled();
    bouncer = PgBouncer.start(db, PgBouncer.PoolMode.TRANSACTION);
  }

  @AfterAll
  static void stopBouncer() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  @Test
  void jobsHeartbeatsAndCallbacksWorkAndTheRuntimeFallsBackToPolling() throws Exception {
    assertThat(bouncer.jdbcUrl()).contains("prepareThreshold=0");
    DataSource ds = bouncer.newDataSource(12, "txn-pooled");
    List<ListenerMode> modes = new CopyOnWriteArrayList<>();
    AwaListener recorder =
        new AwaListener() {
          @Override
          public void onListenerModeChanged(String instanceId, ListenerMode mode) {
            modes.add(mode);
          }
        };
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    Map<Long, UUID> callbacks = new ConcurrentHashMap<>();
    CountDownLatch release = new CountDownLatch(1);
    try (AwaRuntime rt =
        AwaRuntime.builder(ds)
            .listener(recorder)
            .queue("pooled", 6)
            .pollInterval(Duration.ofMillis(100))
            .heartbeatInterval(Duration.ofMillis(100))
            .heartbeatStaleness(Duration.ofSeconds(30))
            .register(
                "count",
                ctx -> {
                  runs.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
                  return JobResult.completed();
                })
            .register(
                "slow",
                ctx -> {
                  release.await(30, TimeUnit.SECONDS);
                  return JobResult.completed();
                })
            .register(
                "external",
                ctx -> {
                  callbacks.put(ctx.id(), ctx.registerCallback(Duration.ofMinutes(5)));
                  return JobResult.waitForCallback();
                })
            .build()) {
      rt.start();
      // The self-test NOTIFY never comes back through a transaction pooler: polling, reported once.
      await().atMost(Duration.ofSeconds(15)).until(() -> rt.listenerMode() == ListenerMode.POLLING);
      assertThat(modes).containsExactly(ListenerMode.POLLING);

      AwaClient client = rt.client();
      ExecutorService producers = Executors.newFixedThreadPool(2);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        done.add(
            producers.submit(
                () -> {
                  for (int i = 0; i < 50; i++) {
                    client.enqueue(job("count"));
                  }
                  client.enqueueMany(Collections.nCopies(50, job("count")));
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      producers.shutdown();
      await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("completed") == 200);
      assertThat(runs).hasSize(200);
      assertThat(runs.values()).allMatch(n -> n.get() == 1);

      // Heartbeats go through the pooler: a running job's heartbeat moves past its claim.
      long slow = client.enqueue(job("slow")).id();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  db.queryLong(
                          "SELECT count(*) FROM awa.jobs WHERE id = ? AND state = 'running'"
                              + " AND heartbeat_at > attempted_at + interval '300 milliseconds'",
                          slow)
                      == 1);
      release.countDown();
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> client.operator().getJob(slow).orElseThrow().state() == JobState.COMPLETED);

      // Callbacks: park, then resolve through the pooler.
      long external = client.enqueue(job("external")).id();
      await().atMost(Duration.ofSeconds(15)).until(() -> callbacks.containsKey(external));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  client.operator().getJob(external).orElseThrow().state()
                      == JobState.WAITING_EXTERNAL);
      assertThat(client.callbacks().completeCallback(callbacks.get(external), Map.of("ok", true)))
          .isEqualTo(CallbackOutcome.RESOLVED);
      assertThat(client.operator().getJob(external).orElseThrow().state())
          .isEqualTo(JobState.COMPLETED);
      assertThat(modes).containsExactly(ListenerMode.POLLING);
    }
    assertThat(modes).containsExactly(ListenerMode.POLLING, ListenerMode.OFF);
  }

  @Test
  void theLeaderRefusesToElectThroughTheTransactionPooler() throws Exception {
    try (MaintenanceService s =
        MaintenanceService.builder(bouncer.newDataSource(6, "txn-leader"))
            .electionInterval(Duration.ofMillis(300))
            .build()
            .start()) {
      assertThatThrownBy(() -> s.awaitLeadership(Duration.ofSeconds(20)))
          .isInstanceOf(LeaderElectionRefusedException.class)
          .hasMessageContaining("transaction pooler")
          .hasMessageContaining("leaderJdbcUrl");
      // Later waits fail at once while the refusal stands; nobody holds the lock.
      assertThatThrownBy(() -> s.whenLeader().join())
          .hasCauseInstanceOf(LeaderElectionRefusedException.class);
      assertThat(s.isLeader()).isFalse();
      assertThat(db.queryLong(LeaderElector.HOLDER_SQL)).isNull();
    }
  }

  @Test
  void withADirectLeaderUrlTheLeaderElectsAndPromotesThroughThePooler() throws Exception {
    DataSource ds = bouncer.newDataSource(8, "txn-direct-leader");
    try (MaintenanceService s =
            MaintenanceService.builder(ds)
                .leaderJdbcUrl(db.jdbcUrl())
                .leaderCredentials(db.user() == null ? "postgres" : db.user(), db.password())
                .electionInterval(Duration.ofMillis(300))
                .interval(MaintenanceService.PROMOTE_SCHEDULED, Duration.ofMillis(50))
                .build()
                .start();
        AwaRuntime rt =
            AwaRuntime.builder(ds)
                .queue("pooled", 2)
                .pollInterval(Duration.ofMillis(100))
                .register("count", ctx -> JobResult.completed())
                .build()) {
      assertThat(s.awaitLeadership(Duration.ofSeconds(20))).isTrue();
      assertThat(db.queryLong(LeaderElector.HOLDER_SQL)).isEqualTo((long) s.leaderBackendPid());
      rt.start();
      long id =
          rt.client()
              .enqueue(
                  NewJob.builder("count").queue("pooled").runIn(Duration.ofMillis(300)).build())
              .id();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> rt.client().operator().getJob(id).orElseThrow().state() == JobState.COMPLETED);
      assertThat(s.isLeader()).isTrue();
    }
  }

  private static NewJob job(String kind) {
    return NewJob.builder(kind).queue("pooled").build();
  }
}
