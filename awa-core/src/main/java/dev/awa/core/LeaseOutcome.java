package dev.awa.core;

/** What a fenced write did. */
public enum LeaseOutcome {
  /** The job was still running under this lease and the write was applied. */
  APPLIED,
  /**
   * The lease no longer holds (the job was rescued, cancelled, re-claimed or already finished);
   * nothing was changed.
   */
  STALE
}
