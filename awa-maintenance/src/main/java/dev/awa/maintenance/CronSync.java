package dev.awa.maintenance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.InvalidJobException;
import dev.awa.core.NewJob;
import dev.awa.core.internal.Jdbc;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
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

  /** Upserts every declared schedule; returns how many rows were inserted or changed. */
  int sync(Instant now) {
    if (declared.isEmpty()) {
      return 0;
    }
    Timestamp baseline = Timestamp.from(now.truncatedTo(ChronoUnit.MICROS));
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
              ps.setTimestamp(13, baseline);
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
