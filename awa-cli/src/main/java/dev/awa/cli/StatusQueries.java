package dev.awa.cli;

import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.internal.store.JobRows;
import dev.awa.core.internal.store.StatusSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI's own reads; the queue and runtime reads it shares with the dashboard are awa-core's
 * {@link StatusSql}. Jobs live in two tables (awa.jobs and awa.scheduled_jobs, same columns), so
 * every read covers both. States are SQL literals, never parameters, so PostgreSQL can use the
 * partial indexes that are defined on them.
 */
final class StatusQueries {
  private StatusQueries() {}

  /**
   * Whether anything names the queue: a pause flag, a job in either table, a live runtime's
   * configuration or a schedule. A queue nobody names is a typo more often than an intent. On a
   * huge jobs table a name that matches nothing costs a scan; operators run this by hand.
   */
  static final String QUEUE_KNOWN =
      """
      SELECT EXISTS (SELECT 1 FROM awa.queue_meta WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.runtime_instances WHERE (queues -> ?) IS NOT NULL)
          OR EXISTS (SELECT 1 FROM awa.cron_jobs WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.jobs WHERE queue = ?)
          OR EXISTS (SELECT 1 FROM awa.scheduled_jobs WHERE queue = ?)
      """;

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

  /** See {@link #QUEUE_KNOWN}. */
  static boolean queueKnown(Connection c, String queue) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(QUEUE_KNOWN)) {
      for (int i = 1; i <= 5; i++) {
        ps.setString(i, queue);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
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

  /**
   * The statement for {@code filter}: one branch per table that can hold a matching row, each
   * limited on its own (a backward scan of the primary key), then merged newest first. Only fixed
   * fragments and {@link JobState#dbName()} literals are concatenated; queue, kind and limit are
   * parameters.
   */
  static String listJobsSql(JobFilter filter) {
    List<String> branches = new ArrayList<>();
    if (filter.readsJobsTable()) {
      branches.add(listBranch("awa.jobs", filter));
    }
    if (filter.readsScheduledTable()) {
      branches.add(listBranch("awa.scheduled_jobs", filter));
    }
    return "SELECT * FROM ("
        + String.join("\nUNION ALL\n", branches)
        + ") AS matching\nORDER BY id DESC LIMIT ?";
  }

  private static String listBranch(String table, JobFilter filter) {
    List<String> conditions = new ArrayList<>();
    if (filter.state() != null) {
      conditions.add("state = '" + filter.state().dbName() + "'");
    }
    if (filter.queue() != null) {
      conditions.add("queue = ?");
    }
    if (filter.kind() != null) {
      conditions.add("kind = ?");
    }
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    return "(SELECT "
        + JobRows.SELECT_LIST
        + " FROM "
        + table
        + where
        + " ORDER BY id DESC LIMIT ?)";
  }

  /** The jobs matching {@code filter}, newest first. */
  static List<JobRow> listJobs(Connection c, JobFilter filter) throws SQLException {
    int branches = (filter.readsJobsTable() ? 1 : 0) + (filter.readsScheduledTable() ? 1 : 0);
    List<JobRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(listJobsSql(filter))) {
      int i = 1;
      for (int b = 0; b < branches; b++) {
        if (filter.queue() != null) {
          ps.setString(i++, filter.queue());
        }
        if (filter.kind() != null) {
          ps.setString(i++, filter.kind());
        }
        ps.setInt(i++, filter.limit());
      }
      ps.setInt(i, filter.limit());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(JobRows.map(rs));
        }
      }
    }
    return out;
  }
}
