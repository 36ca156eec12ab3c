package dev.awa.cli;

import dev.awa.core.JobRow;
import dev.awa.core.internal.store.StatusSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The CLI's status reads, in the shapes {@code awa status}, {@code awa jobs list} and the queue
 * commands print. The statements are awa-core's {@link StatusSql} (shared with the dashboard).
 */
final class StatusQueries {
  private StatusQueries() {}

  /**
   * One worker runtime.
   *
   * @param instanceId runtime id (also {@code attempted_by} of its jobs)
   * @param hostname host it runs on
   * @param pid process id
   * @param startedAt when it registered
   * @param lastSeenSecondsAgo seconds since its last heartbeat tick
   * @param leader whether it holds the maintenance lock
   * @param leaderSince when it became leader, or null
   */
  record RuntimeInstance(
      String instanceId,
      String hostname,
      long pid,
      Instant startedAt,
      double lastSeenSecondsAgo,
      boolean leader,
      Instant leaderSince) {}

  /**
   * One maintenance branch as the leader last recorded it.
   *
   * @param branch branch name (metric tag value)
   * @param loop {@code urgent} or {@code hygiene}
   * @param leaderInstance runtime that ran it last
   * @param lastStartedAt start of its last tick
   * @param lastRunSecondsAgo seconds since then
   * @param lastDurationMs duration of its last body
   * @param overrunState {@code on_time} or {@code delayed}
   * @param overrunEpisodes how often it has flipped to delayed
   * @param lastError message of its last failure, or null
   */
  record MaintenanceBranch(
      String branch,
      String loop,
      String leaderInstance,
      Instant lastStartedAt,
      Double lastRunSecondsAgo,
      Double lastDurationMs,
      String overrunState,
      long overrunEpisodes,
      String lastError) {}

  /** Whether anything names the queue ({@link StatusSql#QUEUE_IS_NAMED}). */
  static boolean queueKnown(Connection c, String queue) throws SQLException {
    return StatusSql.queueIsNamed(c, queue);
  }

  /** Registered worker runtimes, the leader first ({@link StatusSql#RUNTIME_INSTANCES}). */
  static List<RuntimeInstance> runtimeInstances(Connection c) throws SQLException {
    return StatusSql.runtimeInstances(c).stream()
        .map(
            r ->
                new RuntimeInstance(
                    r.instanceId(),
                    r.hostname(),
                    r.pid(),
                    r.startedAt(),
                    r.lastSeenSecondsAgo(),
                    r.leader(),
                    r.leaderSince()))
        .toList();
  }

  /**
   * The maintenance branches ({@link StatusSql#MAINTENANCE_BRANCHES}), as {@code status} shows
   * them.
   */
  static List<MaintenanceBranch> maintenanceBranches(Connection c) throws SQLException {
    return StatusSql.maintenanceBranches(c).stream()
        .map(
            b ->
                new MaintenanceBranch(
                    b.branch(),
                    b.loop(),
                    b.leaderInstance(),
                    b.lastStartedAt(),
                    b.lastRunSecondsAgo(),
                    b.lastDurationMs(),
                    b.overrunState(),
                    b.overrunEpisodes(),
                    b.lastError()))
        .toList();
  }

  /** The jobs matching {@code filter}, newest first ({@link StatusSql#listJobs}). */
  static List<JobRow> listJobs(Connection c, JobFilter filter) throws SQLException {
    return StatusSql.listJobs(
        c,
        new StatusSql.JobListQuery(
            filter.queue(), filter.kind(), filter.state(), null, null, true, null, filter.limit()));
  }
}
