package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.core.RetryPolicy;
import dev.awa.core.internal.InstanceHolds;
import dev.awa.core.internal.ProcessIdentity;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Settings that must agree are set once: one instance id and row per process, the staleness the
 * runtime registered, the configured retry policy for rescues.
 */
@AwaTest
class SetOnceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final TestDatabase db;
  private final AwaClient client;
  private final Context ctx;

  SetOnceTest(TestDatabase db) {
    this.db = db;
    this.client = AwaClient.create(db.dataSource());
    this.ctx = new Context(db.dataSource(), "test-instance", () -> true, MaintenanceListener.NOOP);
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private long instanceRows() {
    return db.queryLong("SELECT count(*) FROM awa.runtime_instances");
  }

  @Test
  void runtimeAndMaintenanceShareOneRowWhichTheLastToCloseRemoves() throws Exception {
    AwaRuntime runtime =
        AwaRuntime.builder(db.newDataSource(6, "one-row-runtime"))
            .queue("one_row", 1)
            .register("k", c -> JobResult.completed())
            .build();
    MaintenanceService maintenance =
        MaintenanceService.builder(db.newDataSource(4, "one-row-maint"))
            .electionInterval(Duration.ofMillis(100))
            .build();
    assertThat(runtime.instanceId())
        .isEqualTo(maintenance.instanceId())
        .isEqualTo(ProcessIdentity.instanceId());
    runtime.start();
    maintenance.start();
    assertThat(maintenance.awaitLeadership(Duration.ofSeconds(30))).isTrue();
    // refresh_admin_metadata (kicked on gain) flags the same row as leader.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> db.queryLong("SELECT count(*) FROM awa.runtime_instances WHERE is_leader") == 1);
    assertThat(db.queryStrings("SELECT instance_id FROM awa.runtime_instances"))
        .containsExactly(ProcessIdentity.instanceId());

    runtime.close();
    assertThat(instanceRows()).isEqualTo(1); // maintenance still holds it
    maintenance.close();
    assertThat(instanceRows()).isZero();
  }

  @Test
  void maintenanceAloneRemovesItsRowAtClose() throws Exception {
    MaintenanceService maintenance =
        MaintenanceService.builder(db.newDataSource(4, "alone-maint"))
            .instanceId("alone")
            .electionInterval(Duration.ofMillis(100))
            .build()
            .start();
    assertThat(maintenance.awaitLeadership(Duration.ofSeconds(30))).isTrue();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> instanceRows() == 1);
    maintenance.close();
    assertThat(instanceRows()).isZero();
  }

  @Test
  void staleHeartbeatRescueUsesTheStalenessTheRuntimeRegistered() throws Exception {
    db.update(
        "INSERT INTO awa.runtime_instances (instance_id, hostname, pid, info) VALUES"
            + " ('short', 'h', 1, '{\"heartbeat_staleness_ms\": 1000}'),"
            + " ('long', 'h', 2, '{\"heartbeat_staleness_ms\": 600000}')");
    JobRow shortJob = claim("short");
    JobRow longJob = claim("long");
    JobRow unregistered = claim("unregistered");
    JobRow unregisteredOld = claim("unregistered");
    // 5 s: past 'short''s 1 s, within the 90 s fallback; 5 min: past the fallback, within 10 min.
    db.backdateHeartbeat(shortJob.id(), Duration.ofSeconds(5));
    db.backdateHeartbeat(unregistered.id(), Duration.ofSeconds(5));
    db.backdateHeartbeat(longJob.id(), Duration.ofMinutes(5));
    db.backdateHeartbeat(unregisteredOld.id(), Duration.ofMinutes(5));

    new RescueStaleHeartbeatsBranch(Duration.ofSeconds(30), 100, 5, TIMEOUT, Duration.ofSeconds(90))
        .run(ctx);

    assertThat(state(shortJob)).isEqualTo(JobState.RETRYABLE);
    assertThat(state(unregisteredOld)).isEqualTo(JobState.RETRYABLE);
    assertThat(state(longJob)).isEqualTo(JobState.RUNNING);
    assertThat(state(unregistered)).isEqualTo(JobState.RUNNING);
    assertThat(
            db.queryStrings(
                    "SELECT errors::text FROM awa.scheduled_jobs WHERE id = ?", shortJob.id())
                .get(0))
        .contains("staleness limit of 1000 ms");
  }

  @Test
  void rescuedJobsNextRunFollowsTheConfiguredRetryPolicy() throws Exception {
    RetryPolicy oneHourPerAttempt = attempt -> Duration.ofHours(attempt);
    JobRow job = claim("w");
    db.backdateDeadline(job.id(), Duration.ofMinutes(20));
    long before = dbNowMillis();
    new RescueExpiredDeadlinesBranch(
            Duration.ofSeconds(30), new RescueBranch.Config(100, 5, oneHourPerAttempt), TIMEOUT)
        .run(ctx);
    long after = dbNowMillis();
    assertThat(state(job)).isEqualTo(JobState.RETRYABLE);
    long runAt =
        db.queryLong(
            "SELECT (extract(epoch FROM run_at) * 1000)::bigint FROM awa.scheduled_jobs WHERE id = ?",
            job.id());
    // Attempt 1 failed: one hour after the rescue, on the database clock.
    assertThat(runAt).isBetween(before + 3_600_000L, after + 3_600_000L);
  }

  @Test
  void theServiceHandsItsRetryPolicyToTheRescues() {
    RetryPolicy policy = attempt -> Duration.ofMinutes(7);
    MaintenanceConfig c = MaintenanceService.builder(db.dataSource()).retryPolicy(policy).config();
    assertThat(c.rescue().retryPolicy()).isSameAs(policy);
    assertThat(MaintenanceService.builder(db.dataSource()).config().rescue().retryPolicy())
        .isSameAs(RetryPolicy.exponential());
  }

  @Test
  void exactlyOneOfManyConcurrentHoldersIsTheLastToRelease() throws Exception {
    String id = "holds-" + System.nanoTime();
    int threads = 8;
    int rounds = 500;
    InstanceHolds.hold(id); // kept until the end, so no release in the race is the last
    java.util.concurrent.atomic.AtomicInteger lastReleases =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    List<Thread> workers = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                for (int i = 0; i < rounds; i++) {
                  InstanceHolds.hold(id);
                  if (InstanceHolds.release(id)) {
                    lastReleases.incrementAndGet();
                  }
                }
              });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    assertThat(lastReleases).hasValue(0);
    assertThat(InstanceHolds.release(id)).isTrue();
  }

  private long dbNowMillis() {
    return db.queryLong("SELECT (extract(epoch FROM now()) * 1000)::bigint");
  }

  private JobRow claim(String worker) {
    client.enqueue(NewJob.builder("k").queue("set_once").maxAttempts(5).build());
    return client.leases().claim("set_once", 1, Duration.ofMinutes(10), worker).get(0);
  }

  private JobState state(JobRow job) {
    return client.operator().getJob(job.id()).orElseThrow().state();
  }
}
