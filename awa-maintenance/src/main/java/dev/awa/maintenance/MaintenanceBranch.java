package dev.awa.maintenance;

import java.time.Duration;

/**
 * One periodic task run by the leader: the built-in branches implement it, and so do branches
 * plugged in through {@link MaintenanceService.Builder#addBranch(MaintenanceBranch)}; both are
 * registered through the same checks, and {@link MaintenanceRound#runOnce()} runs them all once.
 * docs/maintenance.md ("Writing a branch") shows one end to end.
 *
 * <p>A branch runs only while this process leads, once per {@link #interval()}, on the loop chosen
 * by {@link #loop()} and the {@link LoopLayout}. It gets the same telemetry as the built-ins
 * (duration, lateness, overrun state). An exception is logged with the branch name and the next
 * tick runs as usual.
 *
 * <p><b>Overlap.</b> After a leader's database session dies, the old process may still run a tick
 * before it notices, so two processes can run the same branch at once for a short while. A branch
 * must be safe under that: take rows with {@code FOR UPDATE SKIP LOCKED}, or write with
 * compare-and-set conditions, so that two runs lose and double nothing.
 */
public interface MaintenanceBranch {
  /** The name: unique, lower_snake_case; a metric tag value and the log prefix. */
  String name();

  /** Time between scheduled starts. Ticks that fall behind are skipped, never replayed. */
  Duration interval();

  /** The loop this branch asks for under {@link LoopLayout#SPLIT}; hygiene by default. */
  default MaintenanceLoop loop() {
    return MaintenanceLoop.HYGIENE;
  }

  /**
   * Runs one tick. Use {@link BranchContext#inTransaction} for database work: it bounds each
   * transaction with a statement timeout on a pooled connection (never the leader connection).
   * Check {@link BranchContext#isLeader()} between batches of a long body.
   */
  void run(BranchContext context) throws Exception;
}
