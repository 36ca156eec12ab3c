package dev.awa.web;

import dev.awa.core.JobRow;
import dev.awa.core.internal.store.StatusSql.MaintenanceBranchRow;
import dev.awa.core.internal.store.StatusSql.RuntimeInstanceRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the pages and the JSON API show: plain records read by {@link DashboardQueries}. The JSON
 * answers are these records serialized as they are (field names in camelCase, instants in ISO-8601
 * UTC).
 */
final class Views {
  private Views() {}

  /**
   * One queue.
   *
   * @param queue name
   * @param paused whether claims are paused
   * @param counts jobs per state (every state, zero when none)
   * @param lagSeconds age of the oldest due available job, null when none waits
   * @param completedRecent completed in the throughput window
   * @param failedRecent failed for good in the throughput window
   */
  record QueueView(
      String queue,
      boolean paused,
      Map<String, Long> counts,
      Double lagSeconds,
      long completedRecent,
      long failedRecent) {}

  /**
   * Completed and failed jobs finished in one minute.
   *
   * @param minute start of the minute
   * @param completed jobs completed in it
   * @param failed jobs failed for good in it
   */
  record ThroughputPoint(Instant minute, long completed, long failed) {}

  /**
   * One leadership term from awa.leader_history.
   *
   * @param instanceId the leader
   * @param hostname its host
   * @param leaderSince start of the term
   * @param lastSeenAt last refresh of the term
   * @param current whether it is the live leader's term
   */
  record LeaderTerm(
      String instanceId,
      String hostname,
      Instant leaderSince,
      Instant lastSeenAt,
      boolean current) {}

  /**
   * The health summary behind the red banner.
   *
   * @param leader the live leader instance, or null when none has been seen recently
   * @param delayedBranches branches in overrun state {@code delayed}
   * @param metadataAgeSeconds seconds since the leader last refreshed the branch table, or null
   * @param problems human-readable problems; empty when healthy
   */
  record Health(
      String leader,
      List<String> delayedBranches,
      Double metadataAgeSeconds,
      List<String> problems) {
    boolean healthy() {
      return problems.isEmpty();
    }
  }

  /**
   * The overview page.
   *
   * @param now database time of the read
   * @param queues every queue that has jobs or a pause flag
   * @param throughput per minute over the window, oldest first
   * @param instances runtime instances, leader first
   * @param health leader and maintenance health
   */
  record Overview(
      Instant now,
      List<QueueView> queues,
      List<ThroughputPoint> throughput,
      List<RuntimeInstanceRow> instances,
      Health health) {}

  /**
   * The maintenance page.
   *
   * @param layout {@code SINGLE} when the branches share one loop, {@code SPLIT} otherwise, null
   *     when no leader has recorded anything
   * @param branches every branch, urgent loop first
   * @param leaders the newest leadership terms, newest first
   * @param health leader and maintenance health
   */
  record Maintenance(
      String layout,
      List<MaintenanceBranchRow> branches,
      List<LeaderTerm> leaders,
      Health health) {}

  /**
   * One page of the jobs list.
   *
   * @param jobs at most {@code limit} jobs in the requested order
   * @param nextCursor the cursor for the next page, null on the last page
   */
  record JobPage(List<JobRow> jobs, Long nextCursor) {}
}
