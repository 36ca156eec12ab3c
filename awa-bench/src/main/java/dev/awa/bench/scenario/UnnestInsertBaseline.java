package dev.awa.bench.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.core.internal.store.EnqueueSql;
import dev.awa.core.internal.store.EnqueueSql.NewRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch insert that {@code enqueueMany} does not use: one multi-row {@code INSERT ... SELECT
 * FROM unnest(arrays)} per chunk. It runs awa-core's own statement, {@link
 * EnqueueSql#INSERT_JOBS_RETURNING_ROWS} (the single-enqueue statement, fed many jobs), so it
 * cannot drift from it; that statement returns rows where COPY returns nothing, which the
 * comparison counts against unnest. Kept in the bench so every run re-checks the decision
 * (adr/0001) to use COPY instead. The bench's jobs are not unique, so no unique claim is computed.
 */
final class UnnestInsertBaseline {
  private final ObjectMapper mapper;

  UnnestInsertBaseline(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Inserts {@code jobs} in one statement on {@code c} (the caller owns the transaction), doing the
   * same JSON encoding work as awa-core; returns the ids.
   */
  long[] insert(Connection c, List<NewJob> jobs) throws SQLException {
    List<NewRow> rows = new ArrayList<>(jobs.size());
    for (NewJob j : jobs) {
      if (j.isUnique()) {
        throw new IllegalArgumentException("the unnest baseline takes no unique jobs");
      }
      rows.add(
          new NewRow(
              j.kind(),
              j.queue(),
              j.rawArgs() != null ? j.rawArgs() : json(j.args()),
              j.priority(),
              j.maxAttempts(),
              j.runAt(),
              json(j.metadata()),
              j.tags(),
              null,
              null,
              null));
    }
    return EnqueueSql.insertReturningRows(c, rows).stream().mapToLong(JobRow::id).toArray();
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
