package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link MaintenanceRound}: every branch of a service, once, from the same registration. */
@AwaTest
class MaintenanceRoundTest {
  private final TestDatabase db;
  private final AwaClient client;

  MaintenanceRoundTest(TestDatabase db) {
    this.db = db;
    this.client = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  @Test
  void aRoundRunsTheSameBranchesAsTheServiceInTheSameOrder() {
    MaintenanceService.Builder b =
        MaintenanceService.builder(db.dataSource()).disable(MaintenanceService.CLEANUP);
    List<String> service;
    try (MaintenanceService built = b.build()) {
      service =
          built.branchStatus().stream().map(BranchStatus::branch).collect(Collectors.toList());
    }
    assertThat(b.buildRound().branchNames()).isEqualTo(service).doesNotContain("cleanup");
    assertThat(service)
        .containsExactly(
            "promote_scheduled",
            "rescue_stale_heartbeats",
            "rescue_expired_deadlines",
            "rescue_expired_callbacks",
            "queue_stats",
            "priority_aging",
            "refresh_admin_metadata",
            "cron_evaluate");
  }

  @Test
  void aRoundUsesTheServiceDefaults() {
    MaintenanceConfig c = MaintenanceService.builder(db.dataSource()).config();
    // The defaults LongHorizonScenario used to copy by hand, and got wrong for aging (1000/5).
    assertThat(c.aging())
        .isEqualTo(new PriorityAgingBranch.Config(Duration.ofMinutes(5), 3, 500, 20));
    assertThat(c.rescue().batchSize()).isEqualTo(500);
    assertThat(c.rescue().maxBatchesPerTick()).isEqualTo(20);
    assertThat(c.promote()).isEqualTo(new PromoteScheduledBranch.Config(2_000, 10));
    assertThat(c.cleanup().timeBudget()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.heartbeatStaleness()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void runOncePromotesRescuesAndReportsWithoutAnElection() {
    RecordingListener listener = new RecordingListener();
    JobRow due = client.enqueue(NewJob.builder("k").queue("r").runIn(Duration.ofHours(1)).build());
    db.backdateRunAt(due.id(), Duration.ofHours(2));
    client.enqueue(NewJob.builder("k").queue("stale").build());
    JobRow stale = client.leases().claim("stale", 1, Duration.ofMinutes(10), "gone-worker").get(0);
    db.backdateHeartbeat(stale.id(), Duration.ofMinutes(5));

    MaintenanceRound round =
        MaintenanceService.builder(db.dataSource())
            .instanceId("round")
            .listener(listener)
            .buildRound();
    assertThat(round.runOnce()).isEmpty();

    assertThat(client.operator().getJob(due.id()).orElseThrow().state())
        .isEqualTo(JobState.AVAILABLE);
    assertThat(client.operator().getJob(stale.id()).orElseThrow().state())
        .isEqualTo(JobState.RETRYABLE);
    assertThat(listener.promoted.get()).isEqualTo(1);
    assertThat(listener.count(listener.rescued, "heartbeat")).isEqualTo(1);
    assertThat(listener.lastStats).isNotNull();
    // A second round finds nothing more to do.
    assertThat(round.runOnce()).isEmpty();
    assertThat(listener.promoted.get()).isEqualTo(1);
  }

  @Test
  void aFailingBranchIsNamedAndTheRoundGoesOn() {
    RecordingListener listener = new RecordingListener();
    JobRow due = client.enqueue(NewJob.builder("k").queue("r").runIn(Duration.ofHours(1)).build());
    db.backdateRunAt(due.id(), Duration.ofHours(2));
    MaintenanceRound round =
        MaintenanceService.builder(db.dataSource())
            .listener(listener)
            .addBranch(
                new MaintenanceBranch() {
                  @Override
                  public String name() {
                    return "broken";
                  }

                  @Override
                  public Duration interval() {
                    return Duration.ofSeconds(1);
                  }

                  @Override
                  public void run(BranchContext context) {
                    throw new IllegalStateException("boom");
                  }
                })
            .buildRound();
    assertThat(round.runOnce()).containsExactly("broken");
    assertThat(listener.promoted.get()).isEqualTo(1);
  }
}
