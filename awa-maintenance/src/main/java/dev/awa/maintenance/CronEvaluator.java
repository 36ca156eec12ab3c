package dev.awa.maintenance;

import com.cronutils.model.time.ExecutionTime;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.PgTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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

  CronEvaluator(DataSource dataSource) {
    this(dataSource, Duration.ofSeconds(10));
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

  /** Runs one pass at {@code now}; returns how many jobs it enqueued. */
  int evaluate(Instant now) {
    // One transaction per pass: a failure part-way rolls back both the jobs and the
    // compare-and-set moves of last_fire_at, so the next pass retries the same fires.
    return Jdbc.inTransaction(
        dataSource,
        "cron_evaluate",
        c -> {
          try (var st = c.createStatement()) {
            st.execute("SET LOCAL statement_timeout = " + statementTimeout.toMillis());
            // fire_at in the jobs' metadata is rendered as JSON text by the server: in UTC, so it
            // reads the same whatever TimeZone the pool's sessions use.
            st.execute("SET LOCAL TIME ZONE 'UTC'");
          }
          int enqueued = 0;
          for (Row row : active(c)) {
            try {
              enqueued += fire(c, row, now);
            } catch (RuntimeException e) {
              // One broken schedule (e.g. edited by hand to a bad zone) must not stop the others.
              log.warn("cron schedule '{}' could not be evaluated: {}", row.name(), e.getMessage());
            }
          }
          return enqueued;
        });
  }

  private static List<Row> active(Connection c) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(CronStatements.ACTIVE);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        OffsetDateTime last = rs.getObject(6, OffsetDateTime.class);
        OffsetDateTime created = rs.getObject(7, OffsetDateTime.class);
        rows.add(
            new Row(
                rs.getString(1),
                rs.getString(2),
                ZoneId.of(rs.getString(3)),
                MissedFirePolicy.fromDb(rs.getString(4)),
                rs.getInt(5),
                (last != null ? last : created).toInstant()));
      }
    }
    return rows;
  }

  private static int fire(Connection c, Row row, Instant now) throws SQLException {
    List<Instant> fires = dueFires(row, now);
    Instant previous = row.lastFireAt();
    int enqueued = 0;
    for (Instant fire : fires) {
      try (PreparedStatement ps = c.prepareStatement(CronStatements.FIRE)) {
        PgTime.bind(ps, 1, fire);
        ps.setString(2, row.name());
        PgTime.bind(ps, 3, previous);
        PgTime.bind(ps, 4, fire);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            // Another leader (or an admin action) moved the schedule first: its fire, not ours.
            return enqueued;
          }
        }
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
