package dev.awa.maintenance;

/**
 * How the leader's branches are spread over scheduler threads. Both layouts share the one leader
 * lock; only the threads differ. See {@code adr/0003-split-maintenance-loops.md}.
 */
public enum LoopLayout {
  /**
   * Default. The urgent branches (promotion and the three rescues) run on their own thread, every
   * other branch on a hygiene thread, so a slow cleanup cannot delay promotion or rescue.
   */
  SPLIT,
  /**
   * Every branch on one thread, as in simpler queues. Kept for comparison and as the roll-back path
   * when the split misbehaves; a slow hygiene branch delays every other branch.
   */
  SINGLE
}
