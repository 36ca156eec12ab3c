package dev.awa.bench.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.core.internal.PgTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The batch insert that {@code enqueueMany} does not use: one multi-row {@code INSERT ... SELECT
 * FROM unnest(arrays)} per chunk, the same statement shape as awa-core's {@code
 * EnqueueStatements.INSERT_RETURNING_ROWS} (ids drawn in a materialized CTE, due rows into
 * awa.jobs, future ones into awa.scheduled_jobs) but returning only ids, as COPY does. Kept in the
 * bench so every run re-checks the decision (adr/0001) to use COPY instead.
 *
 * <p>Keep it in step with awa-core's statement if that one changes shape.
 */
final class UnnestInsertBaseline {
  private static final String INPUT =
      "WITH input AS MATERIALIZED ("
          + " SELECT nextval('awa.job_id_seq') AS id, t.*"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::smallint[], ?::int[],"
          + " ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[])"
          + " WITH ORDINALITY AS t(kind, queue, args, priority, max_attempts, run_at, metadata,"
          + " tags, unique_key, unique_states, ord)),";

  private static final String COLUMNS =
      "(id, kind, queue, args, state, priority, max_attempts, run_at, metadata, tags,"
          + " unique_key, unique_states)";

  private static final String VALUES =
      " SELECT id, kind, queue, args::jsonb, %s, priority, max_attempts, coalesce(run_at, now()),"
          + " metadata::jsonb, ARRAY(SELECT jsonb_array_elements_text(tags::jsonb)), unique_key,"
          + " string_to_array(unique_states, ',') FROM input";

  static final String INSERT_RETURNING_IDS =
      INPUT
          + " due AS (INSERT INTO awa.jobs "
          + COLUMNS
          + String.format(VALUES, "'available'")
          + " WHERE run_at IS NULL OR run_at <= now() RETURNING id),"
          + " later AS (INSERT INTO awa.scheduled_jobs "
          + COLUMNS
          + String.format(VALUES, "'scheduled'")
          + " WHERE run_at > now() RETURNING id)"
          + " SELECT id FROM due UNION ALL SELECT id FROM later ORDER BY 1";

  private final ObjectMapper mapper;

  UnnestInsertBaseline(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * Inserts {@code jobs} in one statement on {@code c} (the caller owns the transaction), doing the
   * same JSON encoding work as awa-core; returns the ids.
   */
  long[] insert(Connection c, List<NewJob> jobs) throws SQLException {
    int n = jobs.size();
    String[] kinds = new String[n];
    String[] queues = new String[n];
    String[] args = new String[n];
    Short[] priorities = new Short[n];
    Integer[] maxAttempts = new Integer[n];
    String[] runAts = new String[n]; // text with offset, as EnqueueStatements (see PgTime)
    String[] metadata = new String[n];
    String[] tags = new String[n];
    String[] uniqueKeys = new String[n];
    String[] uniqueStates = new String[n];
    for (int i = 0; i < n; i++) {
      NewJob j = jobs.get(i);
      kinds[i] = j.kind();
      queues[i] = j.queue();
      args[i] = j.rawArgs() != null ? j.rawArgs() : json(j.args());
      priorities[i] = (short) j.priority();
      maxAttempts[i] = j.maxAttempts();
      runAts[i] = j.runAt() == null ? null : PgTime.text(j.runAt());
      metadata[i] = json(j.metadata());
      tags[i] = json(j.tags());
      uniqueKeys[i] = j.uniqueKey();
      uniqueStates[i] =
          j.uniqueKey() == null
              ? null
              : j.uniqueStates().stream()
                  .map(JobState::dbName)
                  .sorted()
                  .collect(Collectors.joining(","));
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_RETURNING_IDS)) {
      ps.setArray(1, c.createArrayOf("text", kinds));
      ps.setArray(2, c.createArrayOf("text", queues));
      ps.setArray(3, c.createArrayOf("text", args));
      ps.setArray(4, c.createArrayOf("int2", priorities));
      ps.setArray(5, c.createArrayOf("int4", maxAttempts));
      ps.setArray(6, c.createArrayOf("text", runAts));
      ps.setArray(7, c.createArrayOf("text", metadata));
      ps.setArray(8, c.createArrayOf("text", tags));
      ps.setArray(9, c.createArrayOf("text", uniqueKeys));
      ps.setArray(10, c.createArrayOf("text", uniqueStates));
      long[] ids = new long[n];
      int i = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids[i++] = rs.getLong(1);
        }
      }
      return ids;
    }
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
