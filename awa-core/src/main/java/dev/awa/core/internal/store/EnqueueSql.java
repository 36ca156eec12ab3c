package dev.awa.core.internal.store;

import dev.awa.core.JobRow;
import dev.awa.core.internal.PgTime;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Not API. Every statement that inserts jobs: the single path (one unnest insert returning the
 * rows) and the batch path (COPY). Both decide due or scheduled by the database clock: a job whose
 * run-at is after the transaction's {@code now()} goes to {@code awa.scheduled_jobs} as scheduled,
 * any other to {@code awa.jobs} as available; a job without a run-at is stamped {@code now()}.
 */
public final class EnqueueSql {
  private EnqueueSql() {}

  /**
   * One job, encoded and checked, ready to insert.
   *
   * @param kind job kind
   * @param queue queue name
   * @param argsJson args as JSON text
   * @param priority priority (1 = most urgent)
   * @param maxAttempts attempts allowed
   * @param runAt when it is due, or null for the database's now
   * @param metadataJson metadata as JSON text
   * @param tags tags
   * @param uniqueKey unique key, or null
   * @param uniqueStates database names of the holding states, sorted, or null when not unique
   * @param uniqueClaim the unique claim (see {@code UniqueClaim}), or null when not unique
   */
  public record NewRow(
      String kind,
      String queue,
      String argsJson,
      int priority,
      int maxAttempts,
      Instant runAt,
      String metadataJson,
      List<String> tags,
      String uniqueKey,
      List<String> uniqueStates,
      String uniqueClaim) {
    /** Copies the lists so the record stays immutable. */
    public NewRow {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(queue, "queue");
      tags = List.copyOf(tags);
      uniqueStates = uniqueStates == null ? null : List.copyOf(uniqueStates);
    }
  }

  /**
   * The single enqueue (also {@code enqueueOrGetExisting} and the transactional enqueue): parallel
   * arrays, one element per job. Ids are drawn in a MATERIALIZED CTE so each row keeps the id drawn
   * for its input position and the rows come back in input (= id) order. Due and future rows go to
   * their table in the same statement; the unique-claim trigger runs on each insert. No lock hint:
   * new rows conflict with nothing but the unique claim, which the trigger locks. Parameters: text
   * arrays of kind, queue, args, then smallint priority, int max_attempts, timestamptz run_at (text
   * with offset, see PgTime), then text arrays of metadata, tags (array literals), unique_key,
   * unique_states (array literals), unique_claim.
   */
  public static final String INSERT_JOBS_RETURNING_ROWS =
      """
      WITH input AS MATERIALIZED (
        SELECT nextval('awa.job_id_seq') AS id, t.*
          FROM unnest(?::text[], ?::text[], ?::text[], ?::smallint[], ?::int[],
                      ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
               WITH ORDINALITY AS t(kind, queue, args, priority, max_attempts, run_at, metadata,
                                    tags, unique_key, unique_states, unique_claim, ord)),
      due AS (
        INSERT INTO awa.jobs (id, kind, queue, args, state, priority, max_attempts, run_at,
                              metadata, tags, unique_key, unique_states, unique_claim)
        SELECT id, kind, queue, args::jsonb, 'available', priority, max_attempts,
               coalesce(run_at, now()), metadata::jsonb, tags::text[], unique_key,
               unique_states::text[], unique_claim
          FROM input
         WHERE run_at IS NULL OR run_at <= now()
        RETURNING id, kind, queue, args::text, state, priority, attempt, max_attempts, run_at,
                  created_at, attempted_at, heartbeat_at, deadline_at, finalized_at,
                  errors::text, metadata::text, tags, unique_key, run_lease, callback_id,
                  callback_timeout_at, attempted_by),
      later AS (
        INSERT INTO awa.scheduled_jobs (id, kind, queue, args, state, priority, max_attempts,
                                        run_at, metadata, tags, unique_key, unique_states,
                                        unique_claim)
        SELECT id, kind, queue, args::jsonb, 'scheduled', priority, max_attempts, run_at,
               metadata::jsonb, tags::text[], unique_key, unique_states::text[], unique_claim
          FROM input
         WHERE run_at > now()
        RETURNING id, kind, queue, args::text, state, priority, attempt, max_attempts, run_at,
                  created_at, attempted_at, heartbeat_at, deadline_at, finalized_at,
                  errors::text, metadata::text, tags, unique_key, run_lease, callback_id,
                  callback_timeout_at, attempted_by)
      SELECT * FROM due UNION ALL SELECT * FROM later ORDER BY id
      """;

  /**
   * The batch path's first statement: {@code n} ids from the sequence (so they can be returned in
   * input order without reading rows back) and the transaction's {@code now()}, by which the batch
   * is split into due and scheduled exactly as {@link #INSERT_JOBS_RETURNING_ROWS} splits. No table
   * is read. Parameter: n.
   */
  public static final String ALLOCATE_IDS_AND_NOW =
      """
      SELECT now() AS db_now,
             ARRAY(SELECT nextval('awa.job_id_seq') FROM generate_series(1, ?)) AS ids
      """;

  /** Due jobs without a run-at: the column's default, the database's now, stamps them. */
  public static final String COPY_DUE_JOBS_AT_NOW =
      """
      COPY awa.jobs (id, kind, queue, args, state, priority, max_attempts, metadata, tags,
                     unique_key, unique_states, unique_claim) FROM STDIN
      """;

  /** Due jobs with a run-at (now or in the past by the database clock). */
  public static final String COPY_DUE_JOBS =
      """
      COPY awa.jobs (id, kind, queue, args, state, priority, max_attempts, metadata, tags,
                     unique_key, unique_states, unique_claim, run_at) FROM STDIN
      """;

  /** Jobs whose run-at is after the database's now. */
  public static final String COPY_SCHEDULED_JOBS =
      """
      COPY awa.scheduled_jobs (id, kind, queue, args, state, priority, max_attempts, metadata,
                               tags, unique_key, unique_states, unique_claim, run_at) FROM STDIN
      """;

  /** Inserts {@code jobs} with {@link #INSERT_JOBS_RETURNING_ROWS}; the rows in input order. */
  public static List<JobRow> insertReturningRows(Connection c, List<NewRow> jobs)
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
      NewRow j = jobs.get(i);
      kinds[i] = j.kind();
      queues[i] = j.queue();
      args[i] = j.argsJson();
      priorities[i] = (short) j.priority();
      maxAttempts[i] = j.maxAttempts();
      runAts[i] = j.runAt() == null ? null : PgTime.text(j.runAt());
      metadata[i] = j.metadataJson();
      tags[i] = arrayLiteral(j.tags());
      uniqueKeys[i] = j.uniqueKey();
      uniqueStates[i] = j.uniqueStates() == null ? null : arrayLiteral(j.uniqueStates());
      uniqueClaims[i] = j.uniqueClaim();
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_JOBS_RETURNING_ROWS)) {
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
      try (ResultSet rs = ps.executeQuery()) {
        return JobRows.all(rs);
      }
    }
  }

  /**
   * Inserts {@code jobs} through COPY on {@code c} (the caller owns the transaction).
   *
   * @return the new ids, in the order of {@code jobs}
   */
  public static long[] copyIn(Connection c, List<NewRow> jobs) throws SQLException {
    long[] ids;
    Instant dbNow;
    try (PreparedStatement ps = c.prepareStatement(ALLOCATE_IDS_AND_NOW)) {
      ps.setInt(1, jobs.size());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        dbNow = rs.getObject("db_now", OffsetDateTime.class).toInstant();
        Array drawn = rs.getArray("ids");
        ids =
            Arrays.stream((Long[]) drawn.getArray()).mapToLong(Long::longValue).sorted().toArray();
      }
    }
    Map<String, StringBuilder> groups = new LinkedHashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      NewRow j = jobs.get(i);
      boolean later = j.runAt() != null && j.runAt().isAfter(dbNow);
      String command =
          later ? COPY_SCHEDULED_JOBS : j.runAt() == null ? COPY_DUE_JOBS_AT_NOW : COPY_DUE_JOBS;
      StringBuilder out = groups.computeIfAbsent(command, k -> new StringBuilder());
      out.append(ids[i]).append('\t');
      field(out, j.kind()).append('\t');
      field(out, j.queue()).append('\t');
      field(out, j.argsJson()).append('\t');
      out.append(later ? "scheduled" : "available").append('\t');
      out.append(j.priority()).append('\t');
      out.append(j.maxAttempts()).append('\t');
      field(out, j.metadataJson()).append('\t');
      field(out, arrayLiteral(j.tags())).append('\t');
      if (j.uniqueStates() == null) {
        out.append("\\N\t\\N\t\\N");
      } else {
        nullable(out, j.uniqueKey()).append('\t');
        field(out, arrayLiteral(j.uniqueStates()));
        out.append('\t').append(j.uniqueClaim());
      }
      if (j.runAt() != null) {
        // Instant.toString() is not timestamptz input outside years 0000-9999; PgTime.text is.
        out.append('\t').append(PgTime.text(j.runAt()));
      }
      out.append('\n');
    }
    CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
    for (Map.Entry<String, StringBuilder> g : groups.entrySet()) {
      try {
        copy.copyIn(g.getKey(), new StringReader(g.getValue().toString()));
      } catch (IOException e) {
        throw new SQLException("COPY stream failed", "08006", e);
      }
    }
    return ids;
  }

  /** A PostgreSQL array literal with every element quoted. */
  static String arrayLiteral(List<String> values) {
    return values.stream()
        .map(v -> '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
        .collect(Collectors.joining(",", "{", "}"));
  }

  /** Appends {@code value} escaped for COPY's text format, or COPY's null for null. */
  static StringBuilder nullable(StringBuilder out, String value) {
    return value == null ? out.append("\\N") : field(out, value);
  }

  /** Appends {@code value} escaped for COPY's text format. */
  static StringBuilder field(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
    return out;
  }
}
