package dev.awa.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every attempt this runtime holds a lease for, by job id: what the heartbeat loop refreshes, what
 * cancel notifications look up, and what shutdown hands back. An attempt enters at claim and leaves
 * once its outcome is written (for completions: once the completer's flush confirmed it).
 */
final class InFlightJobs {
  private final ConcurrentHashMap<Long, JobRun> runs = new ConcurrentHashMap<>();

  void add(JobRun run) {
    runs.put(run.id(), run);
  }

  void remove(JobRun run) {
    runs.remove(run.id(), run);
  }

  JobRun get(long id) {
    return runs.get(id);
  }

  int size() {
    return runs.size();
  }

  boolean isEmpty() {
    return runs.isEmpty();
  }

  List<JobRun> snapshot() {
    return new ArrayList<>(runs.values());
  }

  Collection<JobRun> view() {
    return runs.values();
  }
}
