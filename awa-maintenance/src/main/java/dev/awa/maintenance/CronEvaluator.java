package dev.awa.maintenance;

import com.cronutils.model.time.ExecutionTime;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.CronSql;
import dev.awa.core.internal.store.MaintenanceSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's once-a-second cron pass: for every unpaused schedule, find the fires due since its
 * last fire and enqueue them, each with a compare-and-set on the last fire time so that two leaders
 * evaluating at once enqueue every fire exactly once.
 */
final class CronEvaluator {
  private static final Logger log = LoggerFactory.getLogger(CronEvaluator.class);

  private final DataSource dataSource;
  private final Duration statementTimeout;

  /** With the service's default statement timeout. */
  CronEvaluator(DataSource dataSource) {
    this(dataSource, MaintenanceService.DEFAULT_STATEMENT_TIMEOUT);
  }

  CronEvaluator(DataSource dataSource, Duration statementTimeout) {
    this.dataSource = dataSource;
    this.statementTimeout = statementTimeout;
  }

  private record Row(
      String name,
      String expression,
      ZoneId zone,
      MissedFirePolicy policy,
      int catchUpLimit,
      Instant lastFireAt) {}

  /**
   * Runs one pass at {@code now}, or at the database's time when {@code now} is null; returns how
   * many jobs it enqueued.
   */
  int evaluate(Instant now) {
    // One transaction per pass: a failure part-way rolls back both the jobs and the
    // compare-and-set moves of last_fire_at, so the next pass retries the same fires.
    try {
      return Jdbc.inTransaction(
          dataSource,
          statementTimeout,
          null,
          c -> {
            CronSql.useUtc(c);
            Instant at = now != null ? now : MaintenanceSql.databaseNow(c);
            int enqueued = 0;
            for (CronSql.Active active : CronSql.activeSchedules(c)) {
              try {
                enqueued += fire(c, row(active), at);
              } catch (RuntimeException e) {
                // One broken schedule (e.g. edited by hand to a bad zone) must not stop the others.
                log.warn(
                    "cron schedule '{}' could not be evaluated: {}", active.name(), e.getMessage());
              }
            }
            return enqueued;
          });
    } catch (SQLException e) {
      throw Jdbc.failure("cron_evaluate", e);
    }
  }

  private static Row row(CronSql.Active a) {
    return new Row(
        a.name(),
        a.expression(),
        ZoneId.of(a.timeZone()),
        MissedFirePolicy.fromDb(a.missedFirePolicy()),
        a.catchUpLimit(),
        a.lastFireAt());
  }

  private static int fire(Connection c, Row row, Instant now) throws SQLException {
    List<Instant> fires = dueFires(row, now);
    Instant previous = row.lastFireAt();
    int enqueued = 0;
    for (Instant fire : fires) {
      if (!CronSql.fire(c, row.name(), previous, fire)) {
        // Another leader (or an admin action) moved the schedule first: its fire, not ours.
        return enqueued;
      }
      enqueued++;
      previous = fire;
    }
    return enqueued;
  }

  /** The fires in (lastFireAt, now] that this pass should enqueue, oldest first. */
  static List<Instant> dueFires(
      String expression,
      ZoneId zone,
      MissedFirePolicy policy,
      int limit,
      Instant last,
      Instant now) {
    return dueFires(new Row("", expression, zone, policy, limit, last), now);
  }

  private static List<Instant> dueFires(Row row, Instant now) {
    ExecutionTime time = CronExpressions.parse(row.expression());
    ZonedDateTime cursor = row.lastFireAt().atZone(row.zone());
    List<Instant> due = new ArrayList<>();
    if (row.policy() == MissedFirePolicy.COALESCE) {
      Optional<ZonedDateTime> next = time.nextExecution(cursor);
      if (next.isEmpty() || next.get().toInstant().isAfter(now)) {
        return due;
      }
      // Only the latest fire at or before now: ask for it from the end rather than walking the
      // outage. lastExecution is strictly-before, so ask from one second later and step back
      // if that lands after now.
      ZonedDateTime latest =
          time.lastExecution(now.atZone(row.zone()).plusSeconds(1)).orElseThrow();
      if (latest.toInstant().isAfter(now)) {
        latest = time.lastExecution(latest).orElseThrow();
      }
      if (!latest.toInstant().isAfter(row.lastFireAt())) {
        return due;
      }
      due.add(latest.toInstant());
      return due;
    }
    while (due.size() < row.catchUpLimit()) {
      Optional<ZonedDateTime> next = time.nextExecution(cursor);
      if (next.isEmpty() || next.get().toInstant().isAfter(now)) {
        break;
      }
      due.add(next.get().toInstant());
      cursor = next.get();
    }
    return due;
  }
}
