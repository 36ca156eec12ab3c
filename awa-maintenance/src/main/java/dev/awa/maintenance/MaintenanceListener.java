package dev.awa.maintenance;

import java.time.Duration;

/**
 * Telemetry SPI of the maintenance leader. Every method has a no-op default; implementations must
 * be fast and must not throw (exceptions are logged and swallowed). {@code awa-metrics} binds it to
 * Micrometer ({@code awa.maintenance.*}). Calls come from the scheduler threads.
 */
public interface MaintenanceListener {
  /** A listener that ignores everything. */
  MaintenanceListener NOOP = new MaintenanceListener() {};

  /**
   * One listener delivering every event to each of {@code listeners}, in order. A listener that
   * throws is logged and skipped; the others still get the event.
   */
  static MaintenanceListener composite(MaintenanceListener... listeners) {
    return new CompositeMaintenanceListener(java.util.List.of(listeners));
  }

  /** This process became the leader. */
  default void onLeaderGained(String instanceId) {}

  /** This process stopped leading; {@code reason} says why (health check failed, close, ...). */
  default void onLeaderLost(String instanceId, String reason) {}

  /**
   * A branch tick started {@code lateness} after its scheduled start. This is what shows one branch
   * starving another on the same loop.
   */
  default void onBranchLateness(String branch, Duration lateness) {}

  /** A branch body finished (successfully or not) after {@code duration}. */
  default void onBranchDuration(String branch, Duration duration, boolean success) {}

  /** A branch tick was skipped because the branch is {@link OverrunState#DELAYED} (cooldown). */
  default void onBranchSkipped(String branch) {}

  /**
   * A branch flipped from on-time to delayed: one overrun episode ({@code
   * awa_maintenance_branch_overrun_total}).
   */
  default void onOverrunEpisode(String branch, Duration lastDuration, Duration interval) {}

  /** A delayed branch is on time again. */
  default void onOverrunRecovered(String branch) {}

  /**
   * A rescue branch rescued {@code count} jobs; {@code kind} is {@code heartbeat}, {@code deadline}
   * or {@code callback_timeout}. {@code failed} of them had no attempts left and failed for good.
   */
  default void onRescued(String kind, int count, int failed) {}

  /** {@code promote_scheduled} made {@code count} due jobs available. */
  default void onPromoted(int count) {}

  /** {@code cleanup} deleted {@code count} finished jobs in {@code state}. */
  default void onCleaned(String state, int count) {}

  /**
   * After a cleanup tick: rows of {@code state} past retention that are still there ({@code
   * remaining} is capped at the backlog probe limit) and how far past retention the oldest is. Zero
   * and {@link Duration#ZERO} mean cleanup keeps up.
   */
  default void onCleanupBacklog(String state, long remaining, Duration oldestOverdue) {}

  /** {@code priority_aging} raised the priority of {@code count} waiting jobs by one level. */
  default void onAged(int count) {}

  /** A {@code queue_stats} snapshot. */
  default void onQueueStats(QueueStats stats) {}
}
