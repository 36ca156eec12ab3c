package dev.awa.maintenance;

/**
 * Whether a branch keeps up with its interval. It flips to {@link #DELAYED} after three consecutive
 * bodies longer than 1.5× the interval and back to {@link #ON_TIME} after three consecutive bodies
 * shorter than 0.7× the interval.
 */
public enum OverrunState {
  /** The branch finishes well within its interval. */
  ON_TIME,
  /** The branch overruns its interval; ticks are skipped for a cooldown after each run. */
  DELAYED;

  /** The lower-case name stored in {@code awa.maintenance_branches.overrun_state}. */
  public String dbValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
