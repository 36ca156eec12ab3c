package dev.awa.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.Migrations;
import dev.awa.core.NewJob;
import dev.awa.core.SchemaVersionException;
import dev.awa.maintenance.BranchStatus;
import dev.awa.maintenance.LoopLayout;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.metrics.AwaMetrics;
import dev.awa.metrics.MeterNames;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import dev.awa.testing.TestDatabaseServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@AwaTest
class AwaAutoConfigurationTest {
  private final TestDatabase db;

  AwaAutoConfigurationTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void createsEveryBeanFromTheDataSourceAndStartsThem() {
    Contexts.runner(db)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx)
                  .hasSingleBean(AwaClient.class)
                  .hasSingleBean(AwaEnqueuer.class)
                  .hasSingleBean(AwaRuntime.class)
                  .hasSingleBean(MaintenanceService.class)
                  .hasSingleBean(AwaLifecycle.class)
                  .doesNotHaveBean(AwaMetrics.class);
              AwaRuntime runtime = ctx.getBean(AwaRuntime.class);
              assertThat(runtime.isRunning()).isTrue();
              assertThat(ctx.getBean(AwaClient.class).dataSource())
                  .isSameAs(ctx.getBean(DataSource.class));
              // One instance id per process: the runtime's row is the one flagged as leader.
              assertThat(ctx.getBean(MaintenanceService.class).instanceId())
                  .isEqualTo(runtime.instanceId());
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(() -> ctx.getBean(MaintenanceService.class).isLeader());
              // No awa.queues and no workers: the runtime works the default queue.
              assertThat(ctx.getBean(RuntimeLayout.class).queues())
                  .extracting(q -> q.name())
                  .containsExactly("default");
            });
  }

  @Test
  void backsOffWhenTheApplicationDefinesItsOwnBeans() {
    DataSource ds = db.newDataSource(6, "user-beans");
    AwaClient client = AwaClient.create(ds);
    AwaRuntime runtime = AwaRuntime.builder(ds).client(client).queue("user", 1).build();
    MaintenanceService maintenance = MaintenanceService.builder(ds).build();
    AwaEnqueuer enqueuer = new AwaEnqueuer(client);
    new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                AwaMetricsAutoConfiguration.class,
                AwaAutoConfiguration.class,
                AwaActuatorAutoConfiguration.class))
        .withBean(DataSource.class, () -> ds)
        .withBean(AwaClient.class, () -> client)
        .withBean(AwaRuntime.class, () -> runtime)
        .withBean(MaintenanceService.class, () -> maintenance)
        .withBean(AwaEnqueuer.class, () -> enqueuer)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(AwaClient.class)).isSameAs(client);
              assertThat(ctx.getBean(AwaRuntime.class)).isSameAs(runtime);
              assertThat(ctx.getBean(MaintenanceService.class)).isSameAs(maintenance);
              assertThat(ctx.getBean(AwaEnqueuer.class)).isSameAs(enqueuer);
              assertThat(ctx).doesNotHaveBean(RuntimeLayout.class);
              // The starter's lifecycle still starts what the application defined.
              assertThat(runtime.isRunning()).isTrue();
            });
    assertThat(runtime.isRunning()).isFalse();
  }

  @Test
  void needsADataSource() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AwaAutoConfiguration.class))
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(AwaClient.class));
  }

  @Test
  void metricsAreBoundIfAndOnlyIfAMeterRegistryExists() {
    Contexts.runner(db)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(AwaMetrics.class);
              AwaMetrics metrics = ctx.getBean(AwaMetrics.class);
              assertThat(ctx.getBean(AwaClient.class).listener()).isSameAs(metrics);
              ctx.getBean(AwaEnqueuer.class)
                  .enqueue(NewJob.builder("metered").queue("elsewhere").build());
              MeterRegistry registry = ctx.getBean(MeterRegistry.class);
              assertThat(registry.get(MeterNames.JOB_ENQUEUED).counter().count()).isEqualTo(1.0);
              assertThat(registry.find(MeterNames.LEADER).gauge()).isNotNull();
            });
    Contexts.runner(db)
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(AwaMetrics.class));
  }

  @Test
  void maintenanceAndRuntimeCanBeTurnedOff() {
    Contexts.runner(db)
        .withPropertyValues("awa.maintenance.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().doesNotHaveBean(MaintenanceService.class);
              assertThat(ctx.getBean(AwaRuntime.class).isRunning()).isTrue();
            });
    Contexts.runner(db)
        .withPropertyValues("awa.runtime.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().doesNotHaveBean(AwaRuntime.class);
              assertThat(ctx)
                  .hasSingleBean(AwaEnqueuer.class)
                  .hasSingleBean(MaintenanceService.class);
            });
  }

  @Test
  void migratesOnStartUnlessToldNot() {
    TestDatabase empty = TestDatabaseServer.get().createDatabase("spring_migrate");
    try {
      ApplicationContextRunner runner = Contexts.runner(empty);
      runner
          .withPropertyValues("awa.migrate-on-start=false")
          .run(
              ctx ->
                  assertThat(ctx)
                      .getFailure()
                      .rootCause()
                      .isInstanceOf(SchemaVersionException.class));
      assertThat(Migrations.currentVersion(empty.dataSource())).isZero();
      runner.run(ctx -> assertThat(ctx).hasNotFailed());
      assertThat(Migrations.currentVersion(empty.dataSource()))
          .isEqualTo(Migrations.LATEST_VERSION);
    } finally {
      empty.close();
    }
  }

  @Test
  void bindsAndAppliesEveryProperty() {
    Contexts.runner(db)
        .withPropertyValues(
            "awa.queues.mail.concurrency=3",
            "awa.queues.mail.deadline=45s",
            "awa.queues.reports.concurrency=1",
            "awa.runtime.default-concurrency=7",
            "awa.runtime.default-deadline=2m",
            "awa.runtime.claim-batch-size=20",
            "awa.runtime.heartbeat-interval=2s",
            "awa.runtime.heartbeat-staleness=10s",
            "awa.runtime.drain-timeout=3s",
            "awa.runtime.completer-flush-interval=2ms",
            "awa.runtime.listen=false",
            "awa.runtime.unknown-kinds=fail",
            "awa.runtime.instance-id=spring-props-1",
            "awa.maintenance.layout=single",
            "awa.maintenance.statement-timeout=10s",
            "awa.maintenance.shutdown-timeout=1s",
            "awa.maintenance.intervals.promote_scheduled=100ms",
            "awa.maintenance.disabled-branches=cleanup,priority_aging",
            "awa.maintenance.retention.completed=1h",
            "awa.periodic.nightly.cron=0 3 * * *",
            "awa.periodic.nightly.zone=Europe/London",
            "awa.periodic.nightly.kind=report",
            "awa.periodic.nightly.queue=reports",
            "awa.periodic.nightly.args.scope=daily")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              AwaProperties p = ctx.getBean(AwaProperties.class);
              assertThat(p.getRuntime().getClaimBatchSize()).isEqualTo(20);
              assertThat(p.getRuntime().getHeartbeatStaleness()).isEqualTo(Duration.ofSeconds(10));
              assertThat(p.getRuntime().getCompleterFlushInterval())
                  .isEqualTo(Duration.ofMillis(2));
              assertThat(p.getRuntime().isListen()).isFalse();
              assertThat(p.getRuntime().getUnknownKinds())
                  .isEqualTo(dev.awa.core.UnknownKindPolicy.FAIL);
              assertThat(p.getMaintenance().getRetention())
                  .containsEntry("completed", Duration.ofHours(1));
              assertThat(p.getPeriodic().get("nightly").getArgs()).containsEntry("scope", "daily");

              Map<String, dev.awa.core.QueueConfig> queues =
                  ctx.getBean(RuntimeLayout.class).queues().stream()
                      .collect(Collectors.toMap(q -> q.name(), Function.identity()));
              assertThat(queues.get("mail").concurrency()).isEqualTo(3);
              assertThat(queues.get("mail").deadline()).isEqualTo(Duration.ofSeconds(45));
              assertThat(queues.get("reports").concurrency()).isEqualTo(1);
              assertThat(queues.get("reports").deadline()).isEqualTo(Duration.ofMinutes(2));

              AwaRuntime runtime = ctx.getBean(AwaRuntime.class);
              assertThat(runtime.instanceId()).isEqualTo("spring-props-1");
              assertThat(runtime.isListening()).isFalse();
              MaintenanceService m = ctx.getBean(MaintenanceService.class);
              assertThat(m.layout()).isEqualTo(LoopLayout.SINGLE);
              Map<String, BranchStatus> branches =
                  m.branchStatus().stream()
                      .collect(Collectors.toMap(BranchStatus::branch, Function.identity()));
              assertThat(branches).doesNotContainKeys("cleanup", "priority_aging");
              assertThat(branches.get("promote_scheduled").interval())
                  .isEqualTo(Duration.ofMillis(100));
              assertThat(branches).containsKey("cron_sync");

              // The periodic job reaches awa.cron_jobs once this process leads.
              await()
                  .atMost(Duration.ofSeconds(30))
                  .until(
                      () ->
                          db.queryLong(
                                  "SELECT count(*) FROM awa.cron_jobs WHERE name = 'nightly'"
                                      + " AND time_zone = 'Europe/London' AND queue = 'reports'"
                                      + " AND args->>'scope' = 'daily'")
                              == 1L);
            });
  }

  @Test
  void healthIsUpWithTheLeaderHere() {
    Contexts.runner(db)
        .run(
            ctx -> {
              HealthIndicator health = ctx.getBean("awaHealthIndicator", HealthIndicator.class);
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(() -> "here".equals(health.health().getDetails().get("leader")));
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
              assertThat(health.health().getDetails())
                  .containsEntry("runtime", "running")
                  .containsKey("delayedBranches");
              await()
                  .atMost(Duration.ofSeconds(20))
                  .until(() -> "connected".equals(health.health().getDetails().get("listener")));
            });
  }
}
