package dev.awa.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.internal.JobColumns;
import dev.awa.core.internal.JobJson;
import dev.awa.core.internal.PgTime;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The single-enqueue path (batches go through {@link CopyEnqueue}). The statement takes parallel
 * arrays (unnest): a due job goes to awa.jobs as available, a future one to awa.scheduled_jobs,
 * decided by the database clock. Ids are drawn in a materialized CTE, so the returned rows come
 * back in input order.
 */
final class EnqueueStatements {
  private static final String INPUT =
      "WITH input AS MATERIALIZED ("
          + " SELECT nextval('awa.job_id_seq') AS id, t.*"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::smallint[], ?::int[],"
          + " ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[]"
          + ", ?::text[])"
          + " WITH ORDINALITY AS t(kind, queue, args, priority, max_attempts, run_at, metadata,"
          + " tags, unique_key, unique_states, unique_claim, ord)),";

  private static final String COLUMNS =
      "(id, kind, queue, args, state, priority, max_attempts, run_at, metadata, tags,"
          + " unique_key, unique_states, unique_claim)";

  private static final String VALUES =
      " SELECT id, kind, queue, args::jsonb, %s, priority, max_attempts, coalesce(run_at, now()),"
          + " metadata::jsonb, ARRAY(SELECT jsonb_array_elements_text(tags::jsonb)), unique_key,"
          + " string_to_array(unique_states, ','), unique_claim FROM input";

  static final String INSERT_RETURNING_ROWS =
      INPUT
          + " due AS (INSERT INTO awa.jobs "
          + COLUMNS
          + String.format(VALUES, "'available'")
          + " WHERE run_at IS NULL OR run_at <= now() RETURNING "
          + JobColumns.ROW
          + "), later AS (INSERT INTO awa.scheduled_jobs "
          + COLUMNS
          + String.format(VALUES, "'scheduled'")
          + " WHERE run_at > now() RETURNING "
          + JobColumns.ROW
          + ") SELECT * FROM due UNION ALL SELECT * FROM later ORDER BY 1";

  private EnqueueStatements() {}

  /** Serializes args and metadata with {@code mapper}, enforcing the size limits. */
  static Encoded encode(ObjectMapper mapper, NewJob job) {
    String args = job.rawArgs() != null ? job.rawArgs() : json(mapper, job.args(), "args");
    if (args.length() * 3L > NewJob.MAX_ARGS_BYTES) {
      int bytes = args.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > NewJob.MAX_ARGS_BYTES) {
        throw new InvalidJobException(
            "args",
            "serialized size " + bytes + " bytes exceeds the limit of " + NewJob.MAX_ARGS_BYTES);
      }
    }
    if (job.rawArgs() == null) {
      // Raw JSON was checked by NewJob.build(); serialized args are checked here, the same way.
      JobJson.checkArgs(args);
    }
    String metadata = json(mapper, job.metadata(), "metadata");
    JobJson.checkStorable("metadata", metadata);
    if (metadata.getBytes(StandardCharsets.UTF_8).length > NewJob.MAX_METADATA_BYTES) {
      throw new InvalidJobException(
          "metadata",
          "serialized size exceeds the limit of " + NewJob.MAX_METADATA_BYTES + " bytes");
    }
    return new Encoded(job, args, metadata, json(mapper, job.tags(), "tags"));
  }

  private static String json(ObjectMapper mapper, Object value, String field) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(field, "cannot be written as JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * A job ready to insert. {@code uniqueClaim} is its {@link UniqueClaim}, or null; a job without a
   * run-at falls in the period bucket of the instant it is encoded.
   */
  record Encoded(NewJob job, String args, String metadata, String tags, String uniqueClaim) {
    Encoded(NewJob job, String args, String metadata, String tags) {
      this(job, args, metadata, tags, UniqueClaim.of(job, args, Instant.now()));
    }
  }

  static PreparedStatement prepare(Connection c, String sql, List<Encoded> jobs)
      throws SQLException {
    int n = jobs.size();
    String[] kinds = new String[n];
    String[] queues = new String[n];
    String[] args = new String[n];
    Short[] priorities = new Short[n];
    Integer[] maxAttempts = new Integer[n];
    // Text with an explicit offset, never java.sql.Timestamp: see PgTime.
    String[] runAts = new String[n];
    String[] metadata = new String[n];
    String[] tags = new String[n];
    String[] uniqueKeys = new String[n];
    String[] uniqueStates = new String[n];
    String[] uniqueClaims = new String[n];
    for (int i = 0; i < n; i++) {
      Encoded e = jobs.get(i);
      NewJob j = e.job();
      kinds[i] = j.kind();
      queues[i] = j.queue();
      args[i] = e.args();
      priorities[i] = (short) j.priority();
      maxAttempts[i] = j.maxAttempts();
      runAts[i] = j.runAt() == null ? null : PgTime.text(j.runAt());
      metadata[i] = e.metadata();
      tags[i] = e.tags();
      uniqueKeys[i] = j.uniqueKey();
      uniqueClaims[i] = e.uniqueClaim();
      uniqueStates[i] =
          !j.isUnique()
              ? null
              : j.uniqueStates().stream()
                  .map(JobState::dbName)
                  .sorted()
                  .collect(Collectors.joining(","));
    }
    PreparedStatement ps = c.prepareStatement(sql);
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
    ps.setArray(11, c.createArrayOf("text", uniqueClaims));
    return ps;
  }

  static List<JobRow> insertRows(Connection c, List<Encoded> jobs) throws SQLException {
    try (PreparedStatement ps = prepare(c, INSERT_RETURNING_ROWS, jobs);
        ResultSet rs = ps.executeQuery()) {
      List<JobRow> out = new ArrayList<>(jobs.size());
      while (rs.next()) {
        out.add(JobColumns.map(rs));
      }
      return out;
    }
  }
}
