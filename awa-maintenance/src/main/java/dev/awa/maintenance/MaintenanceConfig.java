package dev.awa.maintenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * The settings of one {@link MaintenanceService} or {@link MaintenanceRound}, built once by {@link
 * MaintenanceService.Builder} and never changed. Service-wide settings are here; each built-in
 * branch's own settings are its config record ({@code promote}, {@code rescue}, {@code cleanup},
 * {@code aging}).
 *
 * @param clock the cron clock, or null for the database clock (a test hook)
 */
record MaintenanceConfig(
    DataSource dataSource,
    String leaderJdbcUrl,
    String leaderUser,
    String leaderPassword,
    String instanceId,
    String hostname,
    long pid,
    LoopLayout layout,
    MaintenanceListener listener,
    Duration electionInterval,
    Duration healthCheckInterval,
    Duration healthCheckTimeout,
    Duration statementTimeout,
    Duration lockTimeout,
    Duration shutdownTimeout,
    Map<String, Duration> intervals,
    Set<String> disabled,
    PromoteScheduledBranch.Config promote,
    RescueBranch.Config rescue,
    Duration heartbeatStaleness,
    CleanupBranch.Config cleanup,
    PriorityAgingBranch.Config aging,
    Duration staleInstanceAfter,
    List<PeriodicJob> periodicJobs,
    ObjectMapper objectMapper,
    Clock clock,
    List<MaintenanceBranch> extraBranches,
    BranchRunner.OverrunLog overrunLog,
    LongSupplier nanoTime) {

  MaintenanceConfig {
    intervals = Map.copyOf(intervals);
    disabled = Set.copyOf(disabled);
    periodicJobs = List.copyOf(periodicJobs);
    extraBranches = List.copyOf(extraBranches);
  }
}
