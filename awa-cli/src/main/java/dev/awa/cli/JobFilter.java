package dev.awa.cli;

import dev.awa.core.JobState;

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
}
