package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.ListenerMode;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.PgBouncer;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behind PgBouncer in session mode everything works as on a direct connection. */
@AwaTest
class PgBouncerSessionModeTest {
  private static PgBouncer bouncer;

  @BeforeAll
  static void startBouncer(TestDatabase db) {
    PgBouncer.assumeInstalled();
    bouncer = PgBouncer.start(db, PgBouncer.PoolMode.SESSION);
  }

  @AfterAll
  static void stopBouncer() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Test
  void enqueueDrainExactlyOnceListenAndElection(TestDatabase db) throws Exception {
    DataSource ds = bouncer.newDataSource(12, "session-pooled");
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    try (AwaRuntime rt =
            AwaRuntime.builder(ds)
                .queue("pooled", 4)
                .pollInterval(Duration.ofMillis(200))
                .register(
                    "count",
                    ctx -> {
                      runs.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
                      return JobResult.completed();
                    })
                .build();
        MaintenanceService maintenance =
            MaintenanceService.builder(ds)
                .electionInterval(Duration.ofMillis(500))
                .interval(MaintenanceService.PROMOTE_SCHEDULED, Duration.ofMillis(50))
                .build()) {
      rt.start();
      maintenance.start();
      // A session pooler keeps the LISTEN session: the self-test passes.
      await().atMost(Duration.ofSeconds(15)).until(() -> rt.listenerMode() == ListenerMode.LISTEN);
      assertThat(maintenance.awaitLeadership(Duration.ofSeconds(20))).isTrue();

      AwaClient client = rt.client();
      ExecutorService producers = Executors.newFixedThreadPool(3);
      List<Future<List<Long>>> ids = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        ids.add(
            producers.submit(
                () -> {
                  List<Long> mine = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    mine.add(client.enqueue(job()).id());
                  }
                  client.enqueueMany(java.util.Collections.nCopies(50, job()));
                  return mine;
                }));
      }
      for (Future<List<Long>> f : ids) {
        assertThat(f.get()).hasSize(50);
      }
      producers.shutdown();
      // A scheduled job only runs once the leader (also through the pooler) promotes it.
      long scheduled =
          client
              .enqueue(
                  NewJob.builder("count").queue("pooled").runIn(Duration.ofMillis(300)).build())
              .id();
      await().atMost(Duration.ofSeconds(30)).until(() -> db.countJobs("completed") == 301);
      assertThat(runs).hasSize(301).containsKey(scheduled);
      assertThat(runs.values()).allMatch(n -> n.get() == 1);
      assertThat(db.queryLong(LeaderElector.HOLDER_SQL))
          .isEqualTo((long) maintenance.leaderBackendPid());
    }
  }

  private static NewJob job() {
    return NewJob.builder("count").queue("pooled").build();
  }
}
