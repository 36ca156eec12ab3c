package dev.awa.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

@AwaTest
class HealthIndicatorTest {
  private final TestDatabase db;

  HealthIndicatorTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void noLeaderIsUpUntilTheElectionIntervalPassesThenDown() {
    AtomicLong nanos = new AtomicLong(1_000);
    AwaHealthIndicator health =
        new AwaHealthIndicator(
            null, null, true, new LeaderProbe(db.dataSource()), Duration.ofSeconds(5), nanos::get);
    Health first = health.health();
    assertThat(first.getStatus()).isEqualTo(Status.UP);
    assertThat(first.getDetails()).containsEntry("leader", "none");
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    Health later = health.health();
    assertThat(later.getStatus()).isEqualTo(Status.DOWN);
    assertThat(later.getDetails()).containsEntry("leader", "none");
  }

  @Test
  void aFollowerSeesTheLeaderElsewhere() {
    Contexts.runner(db)
        .withPropertyValues("awa.runtime.instance-id=leader-one")
        .run(
            leader -> {
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(() -> leader.getBean(MaintenanceService.class).isLeader());
              Contexts.runner(db)
                  .withPropertyValues("awa.runtime.instance-id=follower-two")
                  .run(
                      follower -> {
                        HealthIndicator h =
                            follower.getBean("awaHealthIndicator", HealthIndicator.class);
                        await()
                            .atMost(Duration.ofSeconds(20))
                            .until(
                                () ->
                                    "leader-one"
                                        .equals(h.health().getDetails().get("leaderInstance")));
                        Health health = h.health();
                        assertThat(health.getStatus()).isEqualTo(Status.UP);
                        assertThat(health.getDetails()).containsEntry("leader", "elsewhere");
                        assertThat(follower.getBean(MaintenanceService.class).isLeader()).isFalse();
                      });
            });
  }

  @Test
  void infoListsQueuesKindsAndBranches() {
    Contexts.runner(db)
        .withPropertyValues("awa.queues.mail.concurrency=2")
        .run(
            ctx -> {
              Info.Builder info = new Info.Builder();
              ctx.getBean(InfoContributor.class).contribute(info);
              @SuppressWarnings("unchecked")
              java.util.Map<String, Object> awa =
                  (java.util.Map<String, Object>) info.build().getDetails().get("awa");
              assertThat(awa).containsKeys("queues", "kinds", "maintenance");
              assertThat(awa.get("queues").toString()).contains("mail").contains("concurrency=2");
              assertThat(awa.get("maintenance").toString()).contains("promote_scheduled");
            });
  }
}
