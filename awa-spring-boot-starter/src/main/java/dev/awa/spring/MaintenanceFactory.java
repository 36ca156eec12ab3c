package dev.awa.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.NewJob;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.maintenance.PeriodicJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Builds the {@link MaintenanceService} from {@code awa.maintenance.*} and {@code awa.periodic.*}.
 * Each property goes through the awa-maintenance builder, whose rejections are reported under the
 * property's name.
 */
final class MaintenanceFactory {
  private MaintenanceFactory() {}

  static MaintenanceService build(
      DataSource dataSource,
      AwaProperties props,
      String instanceId,
      ObjectMapper mapper,
      MaintenanceListener listener,
      List<PeriodicJob> periodicBeans,
      ShutdownBudget budget) {
    AwaProperties.Maintenance p = props.getMaintenance();
    MaintenanceService.Builder b = MaintenanceService.builder(dataSource).listener(listener);
    PropertyCheck.apply("awa.runtime.instance-id", () -> b.instanceId(instanceId));
    if (mapper != null) {
      b.objectMapper(mapper);
    }
    String m = "awa.maintenance.";
    if (p.getLayout() != null) {
      b.layout(p.getLayout());
    }
    if (p.getElectionInterval() != null) {
      PropertyCheck.apply(
          m + "election-interval", () -> b.electionInterval(p.getElectionInterval()));
    }
    if (p.getHealthCheckInterval() != null) {
      PropertyCheck.apply(
          m + "health-check-interval", () -> b.healthCheckInterval(p.getHealthCheckInterval()));
    }
    if (p.getHealthCheckTimeout() != null) {
      PropertyCheck.apply(
          m + "health-check-timeout", () -> b.healthCheckTimeout(p.getHealthCheckTimeout()));
    }
    if (p.getStatementTimeout() != null) {
      PropertyCheck.apply(
          m + "statement-timeout", () -> b.statementTimeout(p.getStatementTimeout()));
    }
    PropertyCheck.apply(m + "shutdown-timeout", () -> b.shutdownTimeout(budget.maintenance()));
    for (Map.Entry<String, Duration> e : p.getIntervals().entrySet()) {
      PropertyCheck.apply(
          m + "intervals." + e.getKey(), () -> b.interval(e.getKey(), e.getValue()));
    }
    for (String branch : p.getDisabledBranches()) {
      PropertyCheck.apply(m + "disabled-branches", () -> b.disable(branch));
    }
    for (Map.Entry<String, Duration> e : p.getRetention().entrySet()) {
      PropertyCheck.apply(
          m + "retention." + e.getKey(), () -> b.retention(e.getKey(), e.getValue()));
    }
    if (p.getLeaderUrl() != null) {
      PropertyCheck.apply(m + "leader-url", () -> b.leaderJdbcUrl(p.getLeaderUrl()));
    }
    if (p.getLeaderUsername() != null) {
      b.leaderCredentials(p.getLeaderUsername(), p.getLeaderPassword());
    }
    Duration staleness = props.getRuntime().getHeartbeatStaleness();
    if (staleness != null) {
      // The leader's rescue must use the figure the runtime heartbeats against.
      PropertyCheck.apply("awa.runtime.heartbeat-staleness", () -> b.heartbeatStaleness(staleness));
    }
    for (Map.Entry<String, AwaProperties.Periodic> e : props.getPeriodic().entrySet()) {
      b.periodicJob(periodic(e.getKey(), e.getValue()));
    }
    for (PeriodicJob job : periodicBeans) {
      PropertyCheck.apply("periodic job bean '" + job.name() + "'", () -> b.periodicJob(job));
    }
    return b.build();
  }

  private static PeriodicJob periodic(String name, AwaProperties.Periodic p) {
    String prefix = "awa.periodic." + name;
    if (p.getCron() == null) {
      throw new AwaPropertyException(prefix + ".cron", "is required");
    }
    if (p.getKind() == null) {
      throw new AwaPropertyException(prefix + ".kind", "is required");
    }
    return PropertyCheck.get(
        prefix,
        Map.of(
            "cronExpression", prefix + ".cron",
            "timeZone", prefix + ".zone",
            "kind", prefix + ".kind",
            "queue", prefix + ".queue",
            "args", prefix + ".args",
            "name", prefix),
        () -> {
          NewJob.Builder job = NewJob.builder(p.getKind()).args(p.getArgs());
          if (p.getQueue() != null) {
            job.queue(p.getQueue());
          }
          PeriodicJob.Builder pj = PeriodicJob.builder(name, p.getCron()).job(job.build());
          if (p.getZone() != null) {
            pj.timeZone(p.getZone());
          }
          return pj.build();
        });
  }
}
