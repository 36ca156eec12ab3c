package dev.awa.maintenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.InvalidJobException;
import dev.awa.core.NewJob;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.JobJson;
import dev.awa.core.internal.store.CronSql;
import dev.awa.core.internal.store.MaintenanceSql;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Body of the {@code cron_sync} branch: upserts the schedules this process declares. */
final class CronSync {
  private final DataSource dataSource;
  private final List<PeriodicJob> declared;
  private final ObjectMapper mapper;
  private final Duration statementTimeout;

  CronSync(
      DataSource dataSource,
      List<PeriodicJob> declared,
      ObjectMapper mapper,
      Duration statementTimeout) {
    this.dataSource = dataSource;
    this.declared = List.copyOf(declared);
    this.mapper = mapper;
    this.statementTimeout = statementTimeout;
  }

  /** With the service's default statement timeout. */
  CronSync(DataSource dataSource, List<PeriodicJob> declared, ObjectMapper mapper) {
    this(dataSource, declared, mapper, MaintenanceService.DEFAULT_STATEMENT_TIMEOUT);
  }

  /**
   * Refuses, when the service is built, what {@code cron_sync} could never store (args that are not
   * a JSON object or array, text jsonb cannot hold), instead of failing every sync later.
   *
   * @throws InvalidJobException naming {@code args} or {@code metadata}
   */
  static void checkStorable(List<PeriodicJob> declared, ObjectMapper mapper) {
    CronSync writer = new CronSync(null, declared, mapper, Duration.ofSeconds(1));
    for (PeriodicJob p : declared) {
      NewJob j = p.job();
      if (j.rawArgs() == null) {
        JobJson.checkArgs(writer.json(j.args()));
      }
      JobJson.checkStorable("metadata", writer.json(j.metadata()));
    }
  }

  /**
   * Upserts every declared schedule; returns how many rows were inserted or changed. A new schedule
   * starts from {@code now}, or from the database's time when {@code now} is null.
   */
  int sync(Instant now) {
    if (declared.isEmpty()) {
      return 0;
    }
    List<CronSql.Declared> rows = new ArrayList<>(declared.size());
    for (PeriodicJob p : declared) {
      NewJob j = p.job();
      rows.add(
          new CronSql.Declared(
              p.name(),
              p.cronExpression(),
              p.timeZone().getId(),
              j.kind(),
              j.queue(),
              j.rawArgs() != null ? j.rawArgs() : json(j.args()),
              j.priority(),
              j.maxAttempts(),
              j.tags(),
              json(j.metadata()),
              p.missedFirePolicy().dbName(),
              p.catchUpLimit()));
    }
    try {
      return Jdbc.inTransaction(
          dataSource,
          statementTimeout,
          null,
          c -> {
            Instant at = now != null ? now : MaintenanceSql.databaseNow(c);
            return CronSql.upsertDeclared(c, rows, at.truncatedTo(ChronoUnit.MICROS));
          });
    } catch (SQLException e) {
      throw Jdbc.failure("cron_sync", e);
    }
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException("args", "cannot be written as JSON: " + e.getOriginalMessage());
    }
  }
}
