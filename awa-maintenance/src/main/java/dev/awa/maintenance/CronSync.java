package dev.awa.maintenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.InvalidJobException;
import dev.awa.core.NewJob;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.JobJson;
import dev.awa.core.internal.PgTime;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;

/** Body of the {@code cron_sync} branch: upserts the schedules this process declares. */
final class CronSync {
  private final DataSource dataSource;
  private final List<PeriodicJob> declared;
  private final ObjectMapper mapper;

  CronSync(DataSource dataSource, List<PeriodicJob> declared, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.declared = List.copyOf(declared);
    this.mapper = mapper;
  }

  /**
   * Refuses, when the service is built, what {@code cron_sync} could never store (args that are not
   * a JSON object or array, text jsonb cannot hold), instead of failing every sync later.
   *
   * @throws InvalidJobException naming {@code args} or {@code metadata}
   */
  static void checkStorable(List<PeriodicJob> declared, ObjectMapper mapper) {
    CronSync writer = new CronSync(null, declared, mapper);
    for (PeriodicJob p : declared) {
      NewJob j = p.job();
      if (j.rawArgs() == null) {
        JobJson.checkArgs(writer.json(j.args()));
      }
      JobJson.checkStorable("metadata", writer.json(j.metadata()));
    }
  }

  /** Upserts every declared schedule; returns how many rows were inserted or changed. */
  int sync(Instant now) {
    if (declared.isEmpty()) {
      return 0;
    }
    Instant baseline = now.truncatedTo(ChronoUnit.MICROS);
    return Jdbc.inTransaction(
        dataSource,
        "cron_sync",
        c -> {
          try (var st = c.createStatement()) {
            st.execute("SET LOCAL statement_timeout = 10000");
          }
          int changed = 0;
          try (PreparedStatement ps = c.prepareStatement(CronStatements.UPSERT)) {
            for (PeriodicJob p : declared) {
              NewJob j = p.job();
              ps.setString(1, p.name());
              ps.setString(2, p.cronExpression());
              ps.setString(3, p.timeZone().getId());
              ps.setString(4, j.kind());
              ps.setString(5, j.queue());
              ps.setString(6, j.rawArgs() != null ? j.rawArgs() : json(j.args()));
              ps.setShort(7, (short) j.priority());
              ps.setInt(8, j.maxAttempts());
              ps.setArray(9, c.createArrayOf("text", j.tags().toArray()));
              ps.setString(10, json(j.metadata()));
              ps.setString(11, p.missedFirePolicy().dbName());
              ps.setInt(12, p.catchUpLimit());
              PgTime.bind(ps, 13, baseline);
              changed += ps.executeUpdate();
            }
          }
          return changed;
        });
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException("args", "cannot be written as JSON: " + e.getOriginalMessage());
    }
  }
}
