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

  /** The select list {@link #map(ResultSet)} reads, unqualified. */
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

  /** Reads one row in {@link #ROW} shape. */
  public static JobRow map(ResultSet rs) throws SQLException {
    Array tags = rs.getArray(17);
    String[] tagValues = tags == null ? new String[0] : (String[]) tags.getArray();
    return new JobRow(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        JobState.fromDb(rs.getString(5)),
        rs.getInt(6),
        rs.getInt(7),
        rs.getInt(8),
        instant(rs, 9),
        instant(rs, 10),
        instant(rs, 11),
        instant(rs, 12),
        instant(rs, 13),
        instant(rs, 14),
        rs.getString(15),
        rs.getString(16),
        List.of(tagValues),
        rs.getString(18),
        rs.getLong(19),
        rs.getObject(20, UUID.class),
        instant(rs, 21),
        rs.getString(22));
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
