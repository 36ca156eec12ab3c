package dev.awa.cli;

import dev.awa.core.internal.PgTime;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What the demo reads back from the database to prove its claims: where each of its jobs ended up.
 * Every read covers both job tables ({@code awa.jobs} and {@code awa.scheduled_jobs}) and only the
 * ids this run enqueued, so a database shared with other work is not miscounted.
 */
final class DemoQueries {
  private static final String BOTH_TABLES =
      "(SELECT id, queue, kind, state::text AS state, attempt, errors, created_at FROM awa.jobs"
          + " UNION ALL SELECT id, queue, kind, state::text, attempt, errors, created_at"
          + " FROM awa.scheduled_jobs) AS j";

  private final DataSource dataSource;

  DemoQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The database's clock, so "created since" comparisons do not depend on this JVM's clock. */
  Instant now() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement("SELECT now()");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }

  /**
   * Whether a runtime other than {@code instanceId} is recorded as the maintenance leader: the
   * progress line says "elsewhere" only then, not while this process is still settling in.
   */
  boolean leaderOtherThan(String instanceId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM awa.runtime_instances"
                    + " WHERE is_leader AND instance_id <> ?)")) {
      st.setString(1, instanceId);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /** Ids of jobs of {@code kind} created since {@code since} (the periodic job's fires). */
  List<Long> idsOfKindSince(String kind, Instant since) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT id FROM " + BOTH_TABLES + " WHERE kind = ? AND created_at >= ?")) {
      st.setString(1, kind);
      PgTime.bind(st, 2, since);
      List<Long> ids = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
      return ids;
    }
  }

  /** How many of {@code ids} are not finished yet (scheduled, retryable, available, ...). */
  long unfinished(Collection<Long> ids) throws SQLException {
    return count(" WHERE id = ANY(?) AND state NOT IN ('completed', 'failed', 'cancelled')", ids);
  }

  /** How many of {@code ids} exist in either table. */
  long found(Collection<Long> ids) throws SQLException {
    return count(" WHERE id = ANY(?)", ids);
  }

  /** How many of {@code ids} carry an error entry of {@code errorClass} (e.g. rescue.deadline). */
  long withError(Collection<Long> ids, String errorClass) throws SQLException {
    return count(
        " WHERE id = ANY(?) AND EXISTS (SELECT 1 FROM jsonb_array_elements(j.errors) e"
            + " WHERE e->>'error_class' = '"
            + errorClass.replace("'", "''")
            + "')",
        ids);
  }

  /** How many of {@code ids} of {@code kind} completed after exactly {@code attempt} attempts. */
  long completedOnAttempt(Collection<Long> ids, String kind, int attempt) throws SQLException {
    return count(
        " WHERE id = ANY(?) AND state = 'completed' AND kind = '"
            + kind.replace("'", "''")
            + "' AND attempt = "
            + attempt,
        ids);
  }

  /** Counts of {@code ids} per queue, then per state name. */
  Map<String, Map<String, Long>> byQueueAndState(Collection<Long> ids) throws SQLException {
    Map<String, Map<String, Long>> counts = new TreeMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT queue, state, count(*) FROM "
                    + BOTH_TABLES
                    + " WHERE id = ANY(?) GROUP BY queue, state")) {
      st.setArray(1, idArray(c, ids));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          counts
              .computeIfAbsent(rs.getString(1), q -> new TreeMap<>())
              .put(rs.getString(2), rs.getLong(3));
        }
      }
    }
    return counts;
  }

  private long count(String where, Collection<Long> ids) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement("SELECT count(*) FROM " + BOTH_TABLES + where)) {
      st.setArray(1, idArray(c, ids));
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Array idArray(Connection c, Collection<Long> ids) throws SQLException {
    return c.createArrayOf("bigint", ids.toArray(new Long[0]));
  }
}
