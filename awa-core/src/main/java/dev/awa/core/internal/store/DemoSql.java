package dev.awa.core.internal.store;

import dev.awa.core.internal.PgTime;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not API. What {@code awa demo} (awa-cli) reads back to prove its claims: where each of its jobs
 * ended up. Every job read covers both tables ({@code awa.jobs} and {@code awa.scheduled_jobs}) and
 * only the ids the run enqueued (bound as one {@code bigint[]}), so a database shared with other
 * work is not miscounted; {@code id = ANY(?)} is a primary-key lookup per id in each table. All are
 * plain reads (no locks).
 */
public final class DemoSql {
  private DemoSql() {}

  /**
   * Whether a runtime other than the given one is recorded as the maintenance leader (a handful of
   * rows; no index). Parameter: instance id.
   */
  public static final String LEADER_IS_OTHER_THAN =
      """
      SELECT EXISTS (SELECT 1 FROM awa.runtime_instances
                      WHERE is_leader AND instance_id <> ?) AS other
      """;

  /**
   * Ids of jobs of a kind created since an instant, in either table (the periodic job's fires). No
   * index leads with kind; the demo's tables are small. Parameters: kind, created since, kind,
   * created since.
   */
  public static final String SELECT_IDS_OF_KIND_CREATED_SINCE =
      """
      SELECT id FROM awa.jobs WHERE kind = ? AND created_at >= ?
      UNION ALL
      SELECT id FROM awa.scheduled_jobs WHERE kind = ? AND created_at >= ?
      """;

  /** How many of the ids exist in either table. Parameter: ids. */
  public static final String COUNT_JOBS_AMONG_IDS =
      """
      SELECT count(*) AS jobs
        FROM (SELECT id FROM awa.jobs WHERE id = ANY(?)
              UNION ALL
              SELECT id FROM awa.scheduled_jobs WHERE id = ANY(?)) AS j
      """;

  /**
   * How many of the ids are not finished yet (scheduled, retryable, available, running, parked).
   * Parameter: ids.
   */
  public static final String COUNT_UNFINISHED_JOBS_AMONG_IDS =
      """
      SELECT count(*) AS jobs
        FROM (SELECT id FROM awa.jobs
               WHERE id = ANY(?) AND state NOT IN ('completed', 'failed', 'cancelled')
              UNION ALL
              SELECT id FROM awa.scheduled_jobs
               WHERE id = ANY(?) AND state NOT IN ('completed', 'failed', 'cancelled')) AS j
      """;

  /**
   * How many of the ids carry an error entry of an error class (e.g. {@code rescue.deadline}).
   * Parameters: ids, error class, ids, error class.
   */
  public static final String COUNT_JOBS_WITH_ERROR_CLASS_AMONG_IDS =
      """
      SELECT count(*) AS jobs
        FROM (SELECT id FROM awa.jobs
               WHERE id = ANY(?)
                 AND EXISTS (SELECT 1 FROM jsonb_array_elements(errors) e
                              WHERE e ->> 'error_class' = ?)
              UNION ALL
              SELECT id FROM awa.scheduled_jobs
               WHERE id = ANY(?)
                 AND EXISTS (SELECT 1 FROM jsonb_array_elements(errors) e
                              WHERE e ->> 'error_class' = ?)) AS j
      """;

  /**
   * How many of the ids of a kind completed after exactly a number of attempts (completed jobs are
   * only in awa.jobs). Parameters: ids, kind, attempt.
   */
  public static final String COUNT_COMPLETED_ON_ATTEMPT_AMONG_IDS =
      """
      SELECT count(*) AS jobs
        FROM awa.jobs
       WHERE id = ANY(?) AND state = 'completed' AND kind = ? AND attempt = ?
      """;

  /** Counts of the ids per queue and state, in either table. Parameter: ids, ids. */
  public static final String COUNT_JOBS_AMONG_IDS_BY_QUEUE_AND_STATE =
      """
      SELECT queue, state::text AS state, count(*) AS jobs
        FROM (SELECT queue, state FROM awa.jobs WHERE id = ANY(?)
              UNION ALL
              SELECT queue, state FROM awa.scheduled_jobs WHERE id = ANY(?)) AS j
       GROUP BY queue, state
      """;

  /** Whether a runtime other than {@code instanceId} is recorded as leader. */
  public static boolean leaderIsOtherThan(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LEADER_IS_OTHER_THAN)) {
      ps.setString(1, instanceId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean("other");
      }
    }
  }

  /** Ids of jobs of {@code kind} created since {@code since}, in either table. */
  public static List<Long> idsOfKindCreatedSince(Connection c, String kind, Instant since)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT_IDS_OF_KIND_CREATED_SINCE)) {
      ps.setString(1, kind);
      PgTime.bind(ps, 2, since);
      ps.setString(3, kind);
      PgTime.bind(ps, 4, since);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong("id"));
        }
      }
      return ids;
    }
  }

  /** How many of {@code ids} exist. */
  public static long countJobs(Connection c, Collection<Long> ids) throws SQLException {
    return countAmong(c, COUNT_JOBS_AMONG_IDS, ids);
  }

  /** How many of {@code ids} are not finished. */
  public static long countUnfinishedJobs(Connection c, Collection<Long> ids) throws SQLException {
    return countAmong(c, COUNT_UNFINISHED_JOBS_AMONG_IDS, ids);
  }

  /** How many of {@code ids} carry an error entry of {@code errorClass}. */
  public static long countJobsWithErrorClass(Connection c, Collection<Long> ids, String errorClass)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(COUNT_JOBS_WITH_ERROR_CLASS_AMONG_IDS)) {
      Array array = idArray(c, ids);
      ps.setArray(1, array);
      ps.setString(2, errorClass);
      ps.setArray(3, array);
      ps.setString(4, errorClass);
      return count(ps);
    }
  }

  /** How many of {@code ids} of {@code kind} completed after exactly {@code attempt} attempts. */
  public static long countCompletedOnAttempt(
      Connection c, Collection<Long> ids, String kind, int attempt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(COUNT_COMPLETED_ON_ATTEMPT_AMONG_IDS)) {
      ps.setArray(1, idArray(c, ids));
      ps.setString(2, kind);
      ps.setInt(3, attempt);
      return count(ps);
    }
  }

  /** Counts of {@code ids} per queue, then per state name. */
  public static Map<String, Map<String, Long>> countJobsByQueueAndState(
      Connection c, Collection<Long> ids) throws SQLException {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(COUNT_JOBS_AMONG_IDS_BY_QUEUE_AND_STATE)) {
      Array array = idArray(c, ids);
      ps.setArray(1, array);
      ps.setArray(2, array);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          counts
              .computeIfAbsent(rs.getString("queue"), q -> new TreeMap<>())
              .put(rs.getString("state"), rs.getLong("jobs"));
        }
      }
    }
    return counts;
  }

  private static long countAmong(Connection c, String sql, Collection<Long> ids)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Array array = idArray(c, ids);
      ps.setArray(1, array);
      ps.setArray(2, array);
      return count(ps);
    }
  }

  private static long count(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong("jobs");
    }
  }

  private static Array idArray(Connection c, Collection<Long> ids) throws SQLException {
    return c.createArrayOf("bigint", ids.toArray(new Long[0]));
  }
}
