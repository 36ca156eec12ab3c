package dev.awa.core;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Where a job is in its life. Each state lives in exactly one of the two job tables. */
public enum JobState {
  /** Waiting for its run-at time (table {@code awa.scheduled_jobs}). */
  SCHEDULED,
  /** Failed an attempt, waiting for its backoff to pass (table {@code awa.scheduled_jobs}). */
  RETRYABLE,
  /** Ready to be claimed. */
  AVAILABLE,
  /** Claimed by a worker. */
  RUNNING,
  /** Parked until an external system resolves its callback. */
  WAITING_EXTERNAL,
  /** Finished successfully. */
  COMPLETED,
  /** Finished unsuccessfully: attempts exhausted or failed terminally. */
  FAILED,
  /** Cancelled by an operator or a handler. */
  CANCELLED;

  /** The states a unique key covers by default: every state in which the job is not done. */
  public static final Set<JobState> DEFAULT_UNIQUE_STATES =
      Set.copyOf(EnumSet.of(SCHEDULED, RETRYABLE, AVAILABLE, RUNNING, WAITING_EXTERNAL));

  /** The literal used in the database. */
  public String dbName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the job has finished for good. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  /** Parses a database literal. */
  public static JobState fromDb(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
