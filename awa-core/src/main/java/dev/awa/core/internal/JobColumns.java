package dev.awa.core.internal;

import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Not API. The column lists of {@code awa.jobs} and {@code awa.scheduled_jobs} (identical shapes),
 * the statement that moves rows between them, and the {@link JobRow} mapper. Shared by core and the
 * maintenance branches so the two tables are described in one place.
 */
public final class JobColumns {
  /** Every stored column, in table order. */
  public static final List<String> STORED =
      List.of(
          "id",
          "kind",
          "queue",
          "args",
          "state",
          "priority",
          "attempt",
          "max_attempts",
          "run_at",
          "created_at",
          "attempted_at",
          "heartbeat_at",
          "deadline_at",
          "finalized_at",
          "errors",
          "metadata",
          "tags",
          "unique_key",
          "unique_states",
          "run_lease",
          "callback_id",
          "callback_timeout_at",
          "attempted_by",
          "original_priority",
          "unique_claim");

  /** The select list {@link #map(ResultSet)} reads (by column name), unqualified. */
  public static final String ROW =
      "id, kind, queue, args::text, state, priority, attempt, max_attempts, run_at, created_at,"
          + " attempted_at, heartbeat_at, deadline_at, finalized_at, errors::text,"
          + " metadata::text, tags, unique_key, run_lease, callback_id, callback_timeout_at,"
          + " attempted_by";

  private JobColumns() {}

  /** {@link #ROW} with every column qualified by {@code alias}. */
  public static String row(String alias) {
    return Arrays.stream(ROW.split(",\\s*"))
        .map(c -> alias + "." + c)
        .collect(Collectors.joining(", "));
  }

  /**
   * A statement that deletes the rows of {@code from} matching {@code where} and inserts them into
   * {@code to} in the same statement, with {@code overrides} replacing column values (expressions
   * over the moved row). It returns the moved rows in {@link #ROW} shape.
   */
  public static String move(String from, String where, String to, Map<String, String> overrides) {
    return move(null, from, where, to, overrides);
  }

  /**
   * As {@link #move(String, String, String, Map)}, with {@code with} (one or more CTE definitions,
   * or null) placed before the move so {@code where} can refer to them. Use a {@code MATERIALIZED}
   * CTE to pick a bounded batch with {@code LIMIT ... FOR UPDATE SKIP LOCKED}: as an {@code IN
   * (subquery)} the planner may choose a nested-loop semi join that re-runs the subquery for every
   * outer row, and each re-run locks and moves a further batch, so the LIMIT stops bounding
   * anything. Parameters bind in text order: {@code with}, then {@code where}, then overrides.
   */
  public static String move(
      String with, String from, String where, String to, Map<String, String> overrides) {
    String select =
        STORED.stream().map(c -> overrides.getOrDefault(c, c)).collect(Collectors.joining(", "));
    return "WITH "
        + (with == null ? "" : with + ", ")
        + "moved AS (DELETE FROM "
        + from
        + " WHERE "
        + where
        + " RETURNING *) INSERT INTO "
        + to
        + " ("
        + String.join(", ", STORED)
        + ") SELECT "
        + select
        + " FROM moved RETURNING "
        + ROW;
  }

  /**
   * Reads one row that has the columns of {@link #ROW} (by name, in any order; extra columns are
   * ignored). For many rows of one result set use {@link #reader(ResultSet)} once instead.
   */
  public static JobRow map(ResultSet rs) throws SQLException {
    return reader(rs).read(rs);
  }

  /** A mapper for the rows of {@code rs}: the {@link #ROW} columns are looked up by name once. */
  public static Reader reader(ResultSet rs) throws SQLException {
    return new Reader(rs);
  }

  /** Maps rows of one result set by column name; the names are resolved at construction. */
  public static final class Reader {
    private final int id;
    private final int kind;
    private final int queue;
    private final int args;
    private final int state;
    private final int priority;
    private final int attempt;
    private final int maxAttempts;
    private final int runAt;
    private final int createdAt;
    private final int attemptedAt;
    private final int heartbeatAt;
    private final int deadlineAt;
    private final int finalizedAt;
    private final int errors;
    private final int metadata;
    private final int tags;
    private final int uniqueKey;
    private final int runLease;
    private final int callbackId;
    private final int callbackTimeoutAt;
    private final int attemptedBy;

    private Reader(ResultSet rs) throws SQLException {
      id = rs.findColumn("id");
      kind = rs.findColumn("kind");
      queue = rs.findColumn("queue");
      args = rs.findColumn("args");
      state = rs.findColumn("state");
      priority = rs.findColumn("priority");
      attempt = rs.findColumn("attempt");
      maxAttempts = rs.findColumn("max_attempts");
      runAt = rs.findColumn("run_at");
      createdAt = rs.findColumn("created_at");
      attemptedAt = rs.findColumn("attempted_at");
      heartbeatAt = rs.findColumn("heartbeat_at");
      deadlineAt = rs.findColumn("deadline_at");
      finalizedAt = rs.findColumn("finalized_at");
      errors = rs.findColumn("errors");
      metadata = rs.findColumn("metadata");
      tags = rs.findColumn("tags");
      uniqueKey = rs.findColumn("unique_key");
      runLease = rs.findColumn("run_lease");
      callbackId = rs.findColumn("callback_id");
      callbackTimeoutAt = rs.findColumn("callback_timeout_at");
      attemptedBy = rs.findColumn("attempted_by");
    }

    /** Reads the current row. */
    public JobRow read(ResultSet rs) throws SQLException {
      Array tagArray = rs.getArray(tags);
      String[] tagValues = tagArray == null ? new String[0] : (String[]) tagArray.getArray();
      return new JobRow(
          rs.getLong(id),
          rs.getString(kind),
          rs.getString(queue),
          rs.getString(args),
          JobState.fromDb(rs.getString(state)),
          rs.getInt(priority),
          rs.getInt(attempt),
          rs.getInt(maxAttempts),
          instant(rs, runAt),
          instant(rs, createdAt),
          instant(rs, attemptedAt),
          instant(rs, heartbeatAt),
          instant(rs, deadlineAt),
          instant(rs, finalizedAt),
          rs.getString(errors),
          rs.getString(metadata),
          List.of(tagValues),
          rs.getString(uniqueKey),
          rs.getLong(runLease),
          rs.getObject(callbackId, UUID.class),
          instant(rs, callbackTimeoutAt),
          rs.getString(attemptedBy));
    }
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
