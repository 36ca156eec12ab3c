package dev.awa.maintenance;

import dev.awa.core.InvalidArgumentException;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.PgText;
import dev.awa.core.internal.PgTime;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * Operator actions on periodic jobs: list with next fire time, pause, resume, trigger now, delete.
 * Works from any process; no leadership needed.
 */
public final class CronAdmin {
  private final DataSource dataSource;
  private final Clock clock;

  /** Admin over {@code dataSource} using the system clock. */
  public CronAdmin(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  /** Admin over {@code dataSource} with an explicit clock (tests). */
  public CronAdmin(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Every schedule in the database, by name. */
  public List<CronSchedule> list() {
    Instant now = clock.instant();
    return Jdbc.withConnection(
        dataSource,
        "cron list",
        c -> {
          List<CronSchedule> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(CronStatements.ALL);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String expression = rs.getString(2);
              String zone = rs.getString(3);
              boolean paused = rs.getBoolean(7);
              OffsetDateTime last = rs.getObject(8, OffsetDateTime.class);
              Instant lastFire = last == null ? null : last.toInstant();
              Instant from = lastFire == null || lastFire.isBefore(now) ? now : lastFire;
              Instant next =
                  paused
                      ? null
                      : CronExpressions.nextAfter(expression, from.atZone(ZoneId.of(zone)))
                          .map(ZonedDateTime::toInstant)
                          .orElse(null);
              out.add(
                  new CronSchedule(
                      rs.getString(1),
                      expression,
                      zone,
                      rs.getString(4),
                      rs.getString(5),
                      MissedFirePolicy.fromDb(rs.getString(6)),
                      paused,
                      lastFire,
                      next));
            }
          }
          return out;
        });
  }

  /**
   * Pauses a schedule; returns false if it does not exist.
   *
   * @throws InvalidArgumentException naming {@code name} when it is null, blank or holds text
   *     PostgreSQL cannot store (the same for every method taking a name)
   */
  public boolean pause(String name) {
    checkName(name);
    return update(CronStatements.PAUSE, "cron pause", name);
  }

  /** Resumes a schedule from now (fires missed while paused are not replayed). */
  public boolean resume(String name) {
    checkName(name);
    Instant now = clock.instant();
    return Jdbc.withConnection(
        dataSource,
        "cron resume",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(CronStatements.RESUME)) {
            PgTime.bind(ps, 1, now);
            PgTime.bind(ps, 2, now);
            ps.setString(3, name);
            return ps.executeUpdate() > 0;
          }
        });
  }

  /**
   * Enqueues the schedule's job now, even while paused, without moving its last fire time.
   *
   * @return the new job id, or empty if the schedule does not exist
   */
  public OptionalLong triggerNow(String name) {
    checkName(name);
    return Jdbc.withConnection(
        dataSource,
        "cron trigger",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(CronStatements.TRIGGER)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
          }
        });
  }

  /**
   * Deletes a schedule. A service that still declares it recreates it at its next cron_sync.
   *
   * @return whether it existed
   */
  public boolean delete(String name) {
    checkName(name);
    return update(CronStatements.DELETE, "cron delete", name);
  }

  private static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidArgumentException("name", "must not be null or blank");
    }
    String problem = PgText.textProblem(name);
    if (problem != null) {
      throw new InvalidArgumentException("name", problem);
    }
  }

  private boolean update(String sql, String op, String name) {
    return Jdbc.withConnection(
        dataSource,
        op,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
          }
        });
  }
}
