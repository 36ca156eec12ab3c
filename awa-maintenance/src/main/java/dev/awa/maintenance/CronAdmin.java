package dev.awa.maintenance;

import dev.awa.core.InvalidArgumentException;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.PgText;
import dev.awa.core.internal.store.CronSql;
import dev.awa.core.internal.store.MaintenanceSql;
import java.time.Clock;
import java.time.Instant;
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

  /**
   * Admin over {@code dataSource} using the database clock (like every due-versus-scheduled
   * decision of maintenance): a resumed schedule restarts from the database's {@code now()}.
   */
  public CronAdmin(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = null;
  }

  /** Admin over {@code dataSource} with an explicit clock (tests). */
  public CronAdmin(DataSource dataSource, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Every schedule in the database, by name. */
  public List<CronSchedule> list() {
    Instant[] at = new Instant[1];
    List<CronSql.Listed> rows =
        Jdbc.withConnection(
            dataSource,
            "cron list",
            c -> {
              at[0] = clock != null ? clock.instant() : MaintenanceSql.databaseNow(c);
              return CronSql.allSchedules(c);
            });
    Instant now = at[0];
    List<CronSchedule> out = new ArrayList<>(rows.size());
    for (CronSql.Listed r : rows) {
      Instant lastFire = r.lastFireAt();
      Instant from = lastFire == null || lastFire.isBefore(now) ? now : lastFire;
      Instant next =
          r.paused()
              ? null
              : CronExpressions.nextAfter(r.expression(), from.atZone(ZoneId.of(r.timeZone())))
                  .map(ZonedDateTime::toInstant)
                  .orElse(null);
      out.add(
          new CronSchedule(
              r.name(),
              r.expression(),
              r.timeZone(),
              r.kind(),
              r.queue(),
              MissedFirePolicy.fromDb(r.missedFirePolicy()),
              r.paused(),
              lastFire,
              next));
    }
    return out;
  }

  /**
   * Pauses a schedule; returns false if it does not exist.
   *
   * @throws InvalidArgumentException naming {@code name} when it is null, blank or holds text
   *     PostgreSQL cannot store (the same for every method taking a name)
   */
  public boolean pause(String name) {
    checkName(name);
    return Jdbc.withConnection(dataSource, "cron pause", c -> CronSql.pause(c, name));
  }

  /** Resumes a schedule from now (fires missed while paused are not replayed). */
  public boolean resume(String name) {
    checkName(name);
    Instant now = clock != null ? clock.instant() : null; // null: the database's now()
    return Jdbc.withConnection(dataSource, "cron resume", c -> CronSql.resume(c, name, now));
  }

  /**
   * Enqueues the schedule's job now, even while paused, without moving its last fire time.
   *
   * @return the new job id, or empty if the schedule does not exist
   */
  public OptionalLong triggerNow(String name) {
    checkName(name);
    return Jdbc.withConnection(dataSource, "cron trigger", c -> CronSql.trigger(c, name));
  }

  /**
   * Deletes a schedule. A service that still declares it recreates it at its next cron_sync.
   *
   * @return whether it existed
   */
  public boolean delete(String name) {
    checkName(name);
    return Jdbc.withConnection(dataSource, "cron delete", c -> CronSql.delete(c, name));
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
}
