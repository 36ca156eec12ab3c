package dev.awa.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Not API. The dashboard's own statements (awa-web): the throughput chart and leadership history it
 * shows besides the status reads of {@link StatusSql}, and the bulk actions on failed jobs its API
 * has no {@code JobOperator} method for (count, retry in batches, discard in batches; deleting one
 * finished job is {@link OperatorSql#deleteFinishedJob}). Failed jobs are terminal: only operators
 * and the cleanup branch change them, so none of these statements takes a lock hint; a DELETE
 * re-checks the state on the row it locks, so a job retried meanwhile is left alone.
 */
public final class DashboardSql {
  private DashboardSql() {}

  /**
   * Finished rows of the last minutes, per queue and minute (completed and failed). Walks
   * jobs_finalized_idx ({@code state, finalized_at}, partial on the finished states). No lock.
   * Parameter: minutes (the current one included).
   */
  public static final String COUNT_FINISHED_JOBS_PER_QUEUE_AND_MINUTE =
      """
      SELECT queue, date_trunc('minute', finalized_at) AS minute,
             count(*) FILTER (WHERE state = 'completed') AS completed,
             count(*) FILTER (WHERE state = 'failed') AS failed
        FROM awa.jobs
       WHERE state IN ('completed', 'failed')
         AND finalized_at >= date_trunc('minute', now()) - (? - 1) * interval '1 minute'
       GROUP BY queue, minute
      """;

  /** The last 20 leadership terms, newest first: walks leader_history_since_idx. No lock. */
  public static final String RECENT_LEADER_TERMS =
      """
      SELECT instance_id, hostname, leader_since, last_seen_at
        FROM awa.leader_history
       ORDER BY leader_since DESC
       LIMIT 20
      """;

  /**
   * Failed jobs of an optional queue and kind, counted up to a cap, so the count never walks the
   * whole table. {@code state = 'failed'} is a literal so jobs_finalized_idx (partial, leading
   * column state) matches; queue and kind filter those rows. No lock. Parameters: queue, queue,
   * kind, kind (each null for any), cap.
   */
  public static final String COUNT_FAILED_JOBS_UP_TO =
      """
      SELECT count(*) AS failed
        FROM (SELECT 1 FROM awa.jobs
               WHERE state = 'failed'
                 AND (?::text IS NULL OR queue = ?)
                 AND (?::text IS NULL OR kind = ?)
               LIMIT ?) AS capped
      """;

  /**
   * Ids of failed jobs of an optional queue and kind after an id, oldest first, one batch: a keyset
   * walk of the primary key (or jobs_finalized_idx) filtered to failed rows. No lock: each id is
   * then retried by primary key, which re-checks the state. Parameters: queue, queue, kind, kind
   * (each null for any), after id (exclusive), limit.
   */
  public static final String SELECT_FAILED_JOB_IDS_AFTER =
      """
      SELECT id
        FROM awa.jobs
       WHERE state = 'failed'
         AND (?::text IS NULL OR queue = ?)
         AND (?::text IS NULL OR kind = ?)
         AND id > ?
       ORDER BY id
       LIMIT ?
      """;

  /**
   * Deletes one batch of failed jobs of an optional queue and kind, oldest first. The inner select
   * takes no lock; the DELETE locks each row and re-checks {@code state = 'failed'} on it, so a job
   * retried between the two is not deleted. Parameters: queue, queue, kind, kind (each null for
   * any), batch size.
   */
  public static final String DELETE_FAILED_JOBS_OLDEST_FIRST =
      """
      DELETE FROM awa.jobs
       WHERE id IN (SELECT id
                      FROM awa.jobs
                     WHERE state = 'failed'
                       AND (?::text IS NULL OR queue = ?)
                       AND (?::text IS NULL OR kind = ?)
                     ORDER BY id
                     LIMIT ?)
         AND state = 'failed'
      """;

  /**
   * Finished jobs of one queue and minute.
   *
   * @param queue queue name
   * @param minute start of the minute (database time zone truncation)
   * @param completed jobs completed in that minute
   * @param failed jobs failed in that minute
   */
  public record FinishedInMinute(String queue, Instant minute, long completed, long failed) {}

  /**
   * One leadership term from awa.leader_history.
   *
   * @param instanceId the leader's runtime id
   * @param hostname host it ran on
   * @param leaderSince when it took the lock
   * @param lastSeenAt its last refresh as leader
   */
  public record LeaderTermRow(
      String instanceId, String hostname, Instant leaderSince, Instant lastSeenAt) {}

  /**
   * Which failed jobs a bulk action covers; a null field matches every value.
   *
   * @param queue exact queue name, or null
   * @param kind exact kind, or null
   */
  public record FailedJobFilter(String queue, String kind) {}

  /** Completed and failed jobs per queue and minute over the last {@code minutes}. */
  public static List<FinishedInMinute> finishedPerQueueAndMinute(Connection c, int minutes)
      throws SQLException {
    List<FinishedInMinute> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(COUNT_FINISHED_JOBS_PER_QUEUE_AND_MINUTE)) {
      ps.setInt(1, minutes);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new FinishedInMinute(
                  rs.getString("queue"),
                  JobRows.instant(rs, "minute"),
                  rs.getLong("completed"),
                  rs.getLong("failed")));
        }
      }
    }
    return out;
  }

  /** The last leadership terms, newest first ({@link #RECENT_LEADER_TERMS}). */
  public static List<LeaderTermRow> recentLeaderTerms(Connection c) throws SQLException {
    List<LeaderTermRow> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(RECENT_LEADER_TERMS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new LeaderTermRow(
                rs.getString("instance_id"),
                rs.getString("hostname"),
                JobRows.instant(rs, "leader_since"),
                JobRows.instant(rs, "last_seen_at")));
      }
    }
    return out;
  }

  /** Failed jobs matching {@code filter}, counted up to {@code cap}. */
  public static long countFailedJobs(Connection c, FailedJobFilter filter, int cap)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, COUNT_FAILED_JOBS_UP_TO, filter)) {
      ps.setInt(5, cap);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong("failed");
      }
    }
  }

  /** Ids of failed jobs matching {@code filter} after {@code afterId}, oldest first. */
  public static List<Long> failedJobIdsAfter(
      Connection c, FailedJobFilter filter, long afterId, int limit) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement ps = prepare(c, SELECT_FAILED_JOB_IDS_AFTER, filter)) {
      ps.setLong(5, afterId);
      ps.setInt(6, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getLong("id"));
        }
      }
    }
    return out;
  }

  /** Deletes up to {@code batch} failed jobs matching {@code filter}, oldest first; how many. */
  public static int deleteFailedJobs(Connection c, FailedJobFilter filter, int batch)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, DELETE_FAILED_JOBS_OLDEST_FIRST, filter)) {
      ps.setInt(5, batch);
      return ps.executeUpdate();
    }
  }

  /**
   * {@code sql} prepared with its first four parameters bound to {@code filter} (queue, queue,
   * kind, kind), the caller binds the rest from 5.
   */
  private static PreparedStatement prepare(Connection c, String sql, FailedJobFilter filter)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      ps.setString(1, filter.queue());
      ps.setString(2, filter.queue());
      ps.setString(3, filter.kind());
      ps.setString(4, filter.kind());
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }
}
