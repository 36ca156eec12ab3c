package dev.awa.cli;

import dev.awa.core.internal.store.StatusSql;
import dev.awa.maintenance.CronAdmin;
import dev.awa.maintenance.CronSchedule;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Periodic jobs as {@code awa cron list} and {@code awa status} show them: each schedule from
 * {@link CronAdmin#list()} plus whether a live runtime registers its kind ({@link
 * StatusSql#LIVE_RUNTIME_KINDS}). Schedules outlive the process that declared them, so a later
 * unrelated process may keep firing one whose jobs then fail with "no worker registered"; that flag
 * is how an operator finds them.
 */
final class Schedules {
  /**
   * One schedule.
   *
   * @param name schedule name
   * @param expression cron expression
   * @param timeZone zone it is evaluated in
   * @param kind kind of the job it enqueues
   * @param queue queue of that job
   * @param paused whether the leader skips it
   * @param lastFireAt last fire, or null
   * @param nextFireAt next fire, or null when paused or never again
   * @param kindRegistered whether a live runtime registers {@code kind}
   */
  record Schedule(
      String name,
      String expression,
      String timeZone,
      String kind,
      String queue,
      boolean paused,
      Instant lastFireAt,
      Instant nextFireAt,
      boolean kindRegistered) {}

  private Schedules() {}

  /** Every schedule, by name. */
  static List<Schedule> list(Database db) throws SQLException {
    Set<String> live;
    try (Connection c = db.dataSource().getConnection()) {
      live = StatusSql.liveRuntimeKinds(c);
    }
    List<Schedule> out = new ArrayList<>();
    for (CronSchedule s : new CronAdmin(db.dataSource()).list()) {
      out.add(
          new Schedule(
              s.name(),
              s.cronExpression(),
              s.timeZone(),
              s.kind(),
              s.queue(),
              s.paused(),
              s.lastFireAt(),
              s.nextFireAt(),
              live.contains(s.kind())));
    }
    return out;
  }

  /** The table, then one warning line per schedule whose kind nobody works. */
  static void print(PrintWriter out, List<Schedule> schedules) {
    if (schedules.isEmpty()) {
      out.println("  (no schedules)");
      return;
    }
    Table table =
        new Table(
            "NAME",
            "EXPRESSION",
            "ZONE",
            "KIND",
            "QUEUE",
            "PAUSED",
            "LAST FIRE",
            "NEXT FIRE",
            "WORKER");
    for (Schedule s : schedules) {
      table.row(
          s.name(),
          s.expression(),
          s.timeZone(),
          s.kind(),
          s.queue(),
          s.paused() ? "yes" : "no",
          Formats.instant(s.lastFireAt()),
          Formats.instant(s.nextFireAt()),
          s.kindRegistered() ? "yes" : "NONE");
    }
    table.print(out);
    for (Schedule s : schedules) {
      if (!s.kindRegistered()) {
        out.printf(
            "warning: schedule %s enqueues kind %s, which no live runtime registers; its jobs"
                + " fail with 'no worker registered' (awa cron pause %s, or awa cron delete %s)%n",
            s.name(), s.kind(), s.name(), s.name());
      }
    }
  }
}
