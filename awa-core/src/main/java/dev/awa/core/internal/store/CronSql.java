package dev.awa.core.internal.store;

import dev.awa.core.internal.PgTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Not API. Every statement of periodic jobs: the schedule table {@code awa.cron_jobs} (a small
 * table keyed by name) and the fires it enqueues into {@code awa.jobs}. Methods run on the caller's
 * connection; rows are read by column name.
 */
public final class CronSql {
  private CronSql() {}

  /** A declared schedule to upsert; JSON values are already written as text. */
  public record Declared(
      String name,
      String expression,
      String timeZone,
      String kind,
      String queue,
      String argsJson,
      int priority,
      int maxAttempts,
      List<String> tags,
      String metadataJson,
      String missedFirePolicy,
      int catchUpLimit) {}

  /** An unpaused schedule as the evaluator reads it; {@code lastFireAt} falls back to creation. */
  public record Active(
      String name,
      String expression,
      String timeZone,
      String missedFirePolicy,
      int catchUpLimit,
      Instant lastFireAt) {}

  /** A schedule as operators list it. */
  public record Listed(
      String name,
      String expression,
      String timeZone,
      String kind,
      String queue,
      String missedFirePolicy,
      boolean paused,
      Instant lastFireAt) {}

  /**
   * cron_sync: additive upsert of one declared schedule, by primary key (name). Several services
   * may declare different schedules against one database, so nothing undeclared is removed, and the
   * pause flag and the last fire time belong to the database, not to the declaration. A new
   * schedule starts from the sync time (parameter 13) so it never fires retroactively. The WHERE
   * skips the write when nothing changed, so a sync every minute creates no dead tuples.
   */
  static final String UPSERT_DECLARED =
      """
      INSERT INTO awa.cron_jobs (name, expression, time_zone, kind, queue, args, priority,
        max_attempts, tags, metadata, missed_fire_policy, catch_up_limit, last_fire_at)
      VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET expression = EXCLUDED.expression,
        time_zone = EXCLUDED.time_zone, kind = EXCLUDED.kind, queue = EXCLUDED.queue,
        args = EXCLUDED.args, priority = EXCLUDED.priority,
        max_attempts = EXCLUDED.max_attempts, tags = EXCLUDED.tags,
        metadata = EXCLUDED.metadata, missed_fire_policy = EXCLUDED.missed_fire_policy,
        catch_up_limit = EXCLUDED.catch_up_limit, updated_at = now()
      WHERE (awa.cron_jobs.expression, awa.cron_jobs.time_zone, awa.cron_jobs.kind,
        awa.cron_jobs.queue, awa.cron_jobs.args, awa.cron_jobs.priority,
        awa.cron_jobs.max_attempts, awa.cron_jobs.tags, awa.cron_jobs.metadata,
        awa.cron_jobs.missed_fire_policy, awa.cron_jobs.catch_up_limit)
        IS DISTINCT FROM (EXCLUDED.expression, EXCLUDED.time_zone, EXCLUDED.kind,
        EXCLUDED.queue, EXCLUDED.args, EXCLUDED.priority, EXCLUDED.max_attempts,
        EXCLUDED.tags, EXCLUDED.metadata, EXCLUDED.missed_fire_policy,
        EXCLUDED.catch_up_limit)
      """;

  /** The unpaused schedules, by name (a small table, scanned). */
  static final String ACTIVE_SCHEDULES =
      """
      SELECT name, expression, time_zone, missed_fire_policy, catch_up_limit, last_fire_at,
        created_at
      FROM awa.cron_jobs WHERE NOT paused ORDER BY name
      """;

  /** Every schedule, by name. */
  static final String ALL_SCHEDULES =
      """
      SELECT name, expression, time_zone, kind, queue, missed_fire_policy, paused, last_fire_at,
        created_at
      FROM awa.cron_jobs ORDER BY name
      """;

  /**
   * Enqueues one fire in one statement: the compare-and-set on last_fire_at (parameter 3 is the
   * value this evaluator read) admits exactly one of several leaders evaluating the same fire; the
   * row lock of the UPDATE (by primary key) orders them. Parameters: new fire time, name, previous
   * fire time, fire time for the metadata.
   */
  static final String FIRE =
      """
      WITH advanced AS (
        UPDATE awa.cron_jobs SET last_fire_at = ?, updated_at = now()
        WHERE name = ? AND NOT paused AND last_fire_at IS NOT DISTINCT FROM ?
        RETURNING name, kind, queue, args, priority, max_attempts, tags, metadata)
      INSERT INTO awa.jobs (kind, queue, args, state, priority, max_attempts, tags, metadata)
      SELECT kind, queue, args, 'available', priority, max_attempts, tags,
        metadata || jsonb_build_object('awa_cron',
          jsonb_build_object('name', name, 'fire_at', ?::timestamptz))
      FROM advanced
      RETURNING id
      """;

  /** Trigger now: enqueue from the template without touching last_fire_at, even if paused. */
  static final String TRIGGER =
      """
      INSERT INTO awa.jobs (kind, queue, args, state, priority, max_attempts, tags, metadata)
      SELECT kind, queue, args, 'available', priority, max_attempts, tags,
        metadata || jsonb_build_object('awa_cron',
          jsonb_build_object('name', name, 'trigger', 'manual'))
      FROM awa.cron_jobs WHERE name = ?
      RETURNING id
      """;

  /** Pauses by primary key. */
  static final String PAUSE =
      """
      UPDATE awa.cron_jobs SET paused = true, updated_at = now() WHERE name = ?
      """;

  /**
   * Resumes by primary key. Resuming does not replay fires missed while paused: the schedule
   * restarts from now (parameters 1 and 2; null means the database's {@code now()}).
   */
  static final String RESUME =
      """
      UPDATE awa.cron_jobs SET paused = false, updated_at = now(),
        last_fire_at = greatest(coalesce(last_fire_at, coalesce(?::timestamptz, now())),
          coalesce(?::timestamptz, now()))
      WHERE name = ?
      """;

  /** Deletes by primary key. */
  static final String DELETE =
      """
      DELETE FROM awa.cron_jobs WHERE name = ?
      """;

  /**
   * The evaluator's transaction renders {@code fire_at} in the jobs' metadata as JSON text on the
   * server: in UTC, so it reads the same whatever TimeZone the pool's sessions use. Ends with the
   * transaction.
   */
  static final String USE_UTC =
      """
      SET LOCAL TIME ZONE 'UTC'
      """;

  /** Sets the transaction's time zone to UTC (see {@link #USE_UTC}). */
  public static void useUtc(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(USE_UTC)) {
      ps.execute();
    }
  }

  /** Upserts {@code declared} with {@code baseline} as a new schedule's start; returns changes. */
  public static int upsertDeclared(Connection c, List<Declared> declared, Instant baseline)
      throws SQLException {
    int changed = 0;
    try (PreparedStatement ps = c.prepareStatement(UPSERT_DECLARED)) {
      for (Declared d : declared) {
        ps.setString(1, d.name());
        ps.setString(2, d.expression());
        ps.setString(3, d.timeZone());
        ps.setString(4, d.kind());
        ps.setString(5, d.queue());
        ps.setString(6, d.argsJson());
        ps.setShort(7, (short) d.priority());
        ps.setInt(8, d.maxAttempts());
        ps.setArray(9, c.createArrayOf("text", d.tags().toArray()));
        ps.setString(10, d.metadataJson());
        ps.setString(11, d.missedFirePolicy());
        ps.setInt(12, d.catchUpLimit());
        PgTime.bind(ps, 13, baseline);
        changed += ps.executeUpdate();
      }
    }
    return changed;
  }

  /** The unpaused schedules. */
  public static List<Active> activeSchedules(Connection c) throws SQLException {
    List<Active> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(ACTIVE_SCHEDULES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        OffsetDateTime last = rs.getObject("last_fire_at", OffsetDateTime.class);
        OffsetDateTime created = rs.getObject("created_at", OffsetDateTime.class);
        rows.add(
            new Active(
                rs.getString("name"),
                rs.getString("expression"),
                rs.getString("time_zone"),
                rs.getString("missed_fire_policy"),
                rs.getInt("catch_up_limit"),
                (last != null ? last : created).toInstant()));
      }
    }
    return rows;
  }

  /** Every schedule. */
  public static List<Listed> allSchedules(Connection c) throws SQLException {
    List<Listed> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(ALL_SCHEDULES);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        OffsetDateTime last = rs.getObject("last_fire_at", OffsetDateTime.class);
        rows.add(
            new Listed(
                rs.getString("name"),
                rs.getString("expression"),
                rs.getString("time_zone"),
                rs.getString("kind"),
                rs.getString("queue"),
                rs.getString("missed_fire_policy"),
                rs.getBoolean("paused"),
                last == null ? null : last.toInstant()));
      }
    }
    return rows;
  }

  /**
   * Enqueues the fire at {@code fireAt} if the schedule still has {@code previous} as its last
   * fire; returns false when another evaluator (or an admin action) moved it first.
   */
  public static boolean fire(Connection c, String name, Instant previous, Instant fireAt)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FIRE)) {
      PgTime.bind(ps, 1, fireAt);
      ps.setString(2, name);
      PgTime.bind(ps, 3, previous);
      PgTime.bind(ps, 4, fireAt);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Enqueues the schedule's job now; empty when the schedule does not exist. */
  public static OptionalLong trigger(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TRIGGER)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong("id")) : OptionalLong.empty();
      }
    }
  }

  /** Pauses; false when the schedule does not exist. */
  public static boolean pause(Connection c, String name) throws SQLException {
    return byName(c, PAUSE, name);
  }

  /** Deletes; false when the schedule does not exist. */
  public static boolean delete(Connection c, String name) throws SQLException {
    return byName(c, DELETE, name);
  }

  /**
   * Resumes from {@code now} (null: the database's time); false when the schedule does not exist.
   */
  public static boolean resume(Connection c, String name, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(RESUME)) {
      PgTime.bind(ps, 1, now);
      PgTime.bind(ps, 2, now);
      ps.setString(3, name);
      return ps.executeUpdate() > 0;
    }
  }

  private static boolean byName(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    }
  }
}
