package dev.awa.maintenance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Not API; for awa-bench only (it sits in this package to reach the package-private branch
 * classes). A second "leader" that drives every branch body directly, as awa-maintenance's {@code
 * OverlapTest} does: election is bypassed so the overlap with the real leader is forced, which is
 * the window after a leader's backend dies and before the old process notices.
 */
public final class SecondLeader {
  private final List<MaintenanceBranch> branches;
  private final Context context;

  /**
   * @param dataSource this leader's own pool
   * @param listener where its branches report (rescues, promotions)
   * @param heartbeatStaleness the staleness the real leader uses
   */
  public SecondLeader(
      DataSource dataSource, MaintenanceListener listener, Duration heartbeatStaleness) {
    Duration t = Duration.ofSeconds(30);
    this.context = new Context(dataSource, "awa-bench-second-leader", () -> true, listener);
    this.branches =
        List.of(
            new PromoteScheduledBranch(Duration.ofMillis(250), 2_000, 10, t),
            new RescueStaleHeartbeatsBranch(Duration.ofSeconds(1), 500, 20, t, heartbeatStaleness),
            new RescueExpiredDeadlinesBranch(Duration.ofSeconds(1), 500, 20, t),
            new RescueExpiredCallbacksBranch(Duration.ofSeconds(1), 500, 20, t),
            new CleanupBranch(
                Duration.ofSeconds(60),
                Map.of(
                    "completed", Duration.ofHours(24),
                    "failed", Duration.ofHours(72),
                    "cancelled", Duration.ofHours(72)),
                5_000,
                Duration.ofSeconds(2),
                t,
                Duration.ofSeconds(5)),
            new PriorityAgingBranch(Duration.ofSeconds(60), Duration.ofMinutes(5), 3, 1_000, 5, t),
            new QueueStatsBranch(Duration.ofSeconds(30), t));
  }

  /** Runs every branch body once, in order; a failing body is reported and the round goes on. */
  public int runRound() {
    int failures = 0;
    for (MaintenanceBranch b : branches) {
      try {
        b.run(context);
      } catch (Exception e) {
        failures++;
      }
    }
    return failures;
  }
}
