package dev.awa.core;

import java.util.Comparator;

/** Claim order: priority, then run-at, then id (RETURNING does not preserve it). */
final class ClaimOrder implements Comparator<JobRow> {
  static final ClaimOrder INSTANCE = new ClaimOrder();

  @Override
  public int compare(JobRow a, JobRow b) {
    int c = Integer.compare(a.priority(), b.priority());
    if (c != 0) {
      return c;
    }
    c = a.runAt().compareTo(b.runAt());
    return c != 0 ? c : Long.compare(a.id(), b.id());
  }
}
