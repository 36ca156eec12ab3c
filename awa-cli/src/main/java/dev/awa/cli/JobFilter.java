package dev.awa.cli;

import dev.awa.core.JobState;
import java.util.Set;

/**
 * What {@code awa jobs list} selects; null fields match everything.
 *
 * @param queue only this queue
 * @param kind only this kind
 * @param state only this state
 * @param limit at most this many jobs, newest first
 */
record JobFilter(String queue, String kind, JobState state, int limit) {
  static final int MAX_LIMIT = 10_000;
  static final int DEFAULT_LIMIT = 50;

  /** States that live in awa.scheduled_jobs; every other state lives in awa.jobs. */
  static final Set<JobState> SCHEDULED_TABLE_STATES =
      Set.of(JobState.SCHEDULED, JobState.RETRYABLE);

  /** Whether rows of awa.jobs can match. */
  boolean readsJobsTable() {
    return state == null || !SCHEDULED_TABLE_STATES.contains(state);
  }

  /** Whether rows of awa.scheduled_jobs can match. */
  boolean readsScheduledTable() {
    return state == null || SCHEDULED_TABLE_STATES.contains(state);
  }
}
