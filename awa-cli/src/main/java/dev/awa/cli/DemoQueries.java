package dev.awa.cli;

import dev.awa.core.internal.store.DemoSql;
import dev.awa.core.internal.store.StatusSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What the demo reads back from the database to prove its claims: where each of its jobs ended up.
 * The statements are awa-core's {@link DemoSql}: every read covers both job tables and only the ids
 * this run enqueued, so a database shared with other work is not miscounted. Each read takes its
 * own connection from the demo's pool.
 */
final class DemoQueries {
  private final DataSource dataSource;

  DemoQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A read on one connection of the pool. */
  private interface Read<T> {
    T on(Connection c) throws SQLException;
  }

  private <T> T read(Read<T> read) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return read.on(c);
    }
  }

  /** The database's clock, so "created since" comparisons do not depend on this JVM's clock. */
  Instant now() throws SQLException {
    return read(StatusSql::now);
  }

  /**
   * Whether a runtime other than {@code instanceId} is recorded as the maintenance leader: the
   * progress line says "elsewhere" only then, not while this process is still settling in.
   */
  boolean leaderOtherThan(String instanceId) throws SQLException {
    return read(c -> DemoSql.leaderIsOtherThan(c, instanceId));
  }

  /** Ids of jobs of {@code kind} created since {@code since} (the periodic job's fires). */
  List<Long> idsOfKindSince(String kind, Instant since) throws SQLException {
    return read(c -> DemoSql.idsOfKindCreatedSince(c, kind, since));
  }

  /** How many of {@code ids} are not finished yet (scheduled, retryable, available, ...). */
  long unfinished(Collection<Long> ids) throws SQLException {
    return read(c -> DemoSql.countUnfinishedJobs(c, ids));
  }

  /** How many of {@code ids} exist in either table. */
  long found(Collection<Long> ids) throws SQLException {
    return read(c -> DemoSql.countJobs(c, ids));
  }

  /** How many of {@code ids} carry an error entry of {@code errorClass} (e.g. rescue.deadline). */
  long withError(Collection<Long> ids, String errorClass) throws SQLException {
    return read(c -> DemoSql.countJobsWithErrorClass(c, ids, errorClass));
  }

  /** How many of {@code ids} of {@code kind} completed after exactly {@code attempt} attempts. */
  long completedOnAttempt(Collection<Long> ids, String kind, int attempt) throws SQLException {
    return read(c -> DemoSql.countCompletedOnAttempt(c, ids, kind, attempt));
  }

  /** Counts of {@code ids} per queue, then per state name. */
  Map<String, Map<String, Long>> byQueueAndState(Collection<Long> ids) throws SQLException {
    return read(c -> DemoSql.countJobsByQueueAndState(c, ids));
  }
}
