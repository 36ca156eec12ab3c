package dev.awa.maintenance;

/** Which scheduler thread a branch asks for under {@link LoopLayout#SPLIT}. */
public enum MaintenanceLoop {
  /** The urgent loop: user-visible latency (promotion, rescues). Keep bodies short. */
  URGENT,
  /** The hygiene loop: everything that may be slow (cleanup, stats, aging, metadata). */
  HYGIENE,
  /**
   * A thread of the branch's own, e.g. a one-second cron evaluation tick that must not wait behind
   * hygiene. Under {@link LoopLayout#SINGLE} it shares the single loop like every branch.
   */
  DEDICATED;

  /** The lower-case name used in logs, metrics and {@code awa.maintenance_branches}. */
  public String tagValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
