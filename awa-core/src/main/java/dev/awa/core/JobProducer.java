package dev.awa.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.JobJson;
import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.UniqueConflicts;
import dev.awa.core.internal.store.EnqueueSql;
import dev.awa.core.internal.store.EnqueueSql.NewRow;
import dev.awa.core.internal.store.OperatorSql;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The producer role: puts new jobs in the queue, one at a time or in batches, in its own
 * transaction or in the caller's. Get it from {@link AwaClient#producer()}; {@link AwaClient} also
 * offers the same calls as shortcuts. Thread-safe.
 *
 * <p>Due or scheduled is decided by the database clock on every path: a job whose run-at is after
 * the transaction's {@code now()} is scheduled, any other is available at once, and a job without a
 * run-at is stamped with the database's {@code now()}. Every call fires {@link
 * AwaListener#onEnqueued} once per queue and kind; database failures are {@link AwaSqlException}
 * (or {@link DuplicateJobException} for a unique refusal).
 */
public final class JobProducer {
  /** Largest batch sent in one COPY; bigger lists are split (in the same transaction). */
  static final int ENQUEUE_CHUNK = 10_000;

  private final DataSource dataSource;
  private final ObjectMapper mapper;
  private final AwaListener listener;

  JobProducer(DataSource dataSource, ObjectMapper mapper, AwaListener listener) {
    this.dataSource = dataSource;
    this.mapper = mapper;
    this.listener = listener;
  }

  /**
   * Enqueues one job in its own transaction.
   *
   * @throws DuplicateJobException if its unique key is held by another job
   * @throws InvalidJobException if {@code job} is null or its args or metadata cannot be stored
   */
  public JobRow enqueue(NewJob job) {
    NewRow row = encode(requireJob(job));
    try (Connection c = dataSource.getConnection()) {
      return insertOne(c, row);
    } catch (SQLException e) {
      throw Jdbc.failure("enqueue", e);
    }
  }

  /**
   * Enqueues one job on the caller's connection, inside the caller's transaction when auto-commit
   * is off: the job exists only if that transaction commits. A duplicate unique key aborts the
   * caller's transaction, as any failed statement does.
   */
  public JobRow enqueue(Connection connection, NewJob job) {
    Arguments.notNull("connection", connection);
    NewRow row = encode(requireJob(job));
    try {
      return insertOne(connection, row);
    } catch (SQLException e) {
      throw Jdbc.failure("enqueue", e);
    }
  }

  /**
   * Enqueues a unique job, or returns the job holding its scope. Safe under concurrency: of many
   * callers, one inserts and the others get that job. The job returned held the scope when this
   * call was refused; it may have moved on since (e.g. be completed, when the holding states
   * include it).
   */
  public JobRow enqueueOrGetExisting(NewJob job) {
    if (!requireJob(job).isUnique()) {
      throw new InvalidJobException(
          "unique", "enqueueOrGetExisting needs a unique job (uniqueKey or unique(UniqueOptions))");
    }
    NewRow row = encode(job);
    for (int round = 0; round < 10; round++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        Savepoint sp = c.setSavepoint();
        try {
          JobRow inserted = insertOne(c, row);
          c.commit();
          return inserted;
        } catch (SQLException e) {
          Optional<DuplicateJobException> duplicate = UniqueConflicts.from(e);
          if (duplicate.isEmpty()) {
            c.rollback();
            throw e;
          }
          c.rollback(sp);
          Optional<JobRow> holder = OperatorSql.selectJob(c, duplicate.get().existingJobId());
          c.commit();
          if (holder.isPresent()) {
            return holder.get();
          }
          // Cleanup deleted the holder between the refusal and the read: try again.
        }
      } catch (SQLException e) {
        throw Jdbc.failure("enqueue", e);
      }
    }
    throw new AwaException("unique job " + job + " kept changing hands; gave up");
  }

  /**
   * Enqueues many jobs through the batch path (COPY, in chunks of {@value #ENQUEUE_CHUNK} jobs) in
   * one transaction. A job whose run-at is after the database's now is scheduled; one without a
   * run-at is due at the database's now. Every job is checked before anything is sent: one bad job
   * refuses the whole batch.
   *
   * <p>Why ids and not {@link JobRow}s, unlike {@link #enqueue(NewJob)}: COPY returns no rows, and
   * reading them back would cost a second statement over the whole batch (the batch path exists for
   * throughput, about 20 times the single path's). Read a row with {@link JobOperator#getJob}.
   *
   * @return the new job ids, in the order of {@code jobs}
   * @throws InvalidJobException naming {@code jobs[i]} and the field when a job is null or bad
   */
  public long[] enqueueMany(List<NewJob> jobs) {
    List<NewRow> rows = encodeAll(jobs);
    if (rows.isEmpty()) {
      return new long[0];
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long[] ids = insertMany(c, rows);
        c.commit();
        reportEnqueued(jobs);
        return ids;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw Jdbc.failure("enqueueMany", e);
    }
  }

  /** As {@link #enqueueMany(List)}, on the caller's connection and transaction. */
  public long[] enqueueMany(Connection connection, List<NewJob> jobs) {
    Arguments.notNull("connection", connection);
    List<NewRow> rows = encodeAll(jobs);
    try {
      long[] ids = insertMany(connection, rows);
      reportEnqueued(jobs);
      return ids;
    } catch (SQLException e) {
      throw Jdbc.failure("enqueueMany", e);
    }
  }

  /**
   * Serializes args, metadata and tags with {@code mapper}, enforcing the size limits; a job
   * without a run-at falls in the period bucket of the instant it is encoded.
   */
  static NewRow encode(ObjectMapper mapper, NewJob job) {
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
    List<String> uniqueStates =
        job.isUnique() ? job.uniqueStates().stream().map(JobState::dbName).sorted().toList() : null;
    return new NewRow(
        job.kind(),
        job.queue(),
        args,
        job.priority(),
        job.maxAttempts(),
        job.runAt(),
        metadata,
        job.tags(),
        job.uniqueKey(),
        uniqueStates,
        UniqueClaim.of(job, args, Instant.now()));
  }

  private NewRow encode(NewJob job) {
    return encode(mapper, job);
  }

  private static String json(ObjectMapper mapper, Object value, String field) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new InvalidJobException(field, "cannot be written as JSON: " + e.getOriginalMessage());
    }
  }

  private List<NewRow> encodeAll(List<NewJob> jobs) {
    if (jobs == null) {
      throw new InvalidJobException("jobs", "must not be null");
    }
    List<NewRow> rows = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      NewJob job = jobs.get(i);
      if (job == null) {
        throw new InvalidJobException("jobs[" + i + "]", "must not be null");
      }
      rows.add(encode(job));
    }
    checkBatchScopes(jobs, rows);
    return rows;
  }

  /**
   * Refuses a batch in which two jobs share a unique scope before anything is sent: the second
   * would be refused by the first, which the failed batch would then not insert either.
   */
  private static void checkBatchScopes(List<NewJob> jobs, List<NewRow> rows) {
    Map<String, Integer> firstByClaim = new HashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      String claim = rows.get(i).uniqueClaim();
      if (claim == null) {
        continue;
      }
      Integer first = firstByClaim.putIfAbsent(claim, i);
      if (first != null) {
        NewJob j = jobs.get(i);
        throw new InvalidJobException(
            "jobs[" + i + "]",
            "has the same unique scope as jobs["
                + first
                + "] in this batch (kind '"
                + j.kind()
                + "'"
                + (j.uniqueKey() == null ? "" : ", unique key '" + j.uniqueKey() + "'")
                + "); a batch may hold each scope once");
      }
    }
  }

  private static NewJob requireJob(NewJob job) {
    if (job == null) {
      throw new InvalidJobException("job", "must not be null");
    }
    return job;
  }

  private static long[] insertMany(Connection c, List<NewRow> rows) throws SQLException {
    long[] ids = new long[rows.size()];
    for (int from = 0; from < rows.size(); from += ENQUEUE_CHUNK) {
      List<NewRow> chunk = rows.subList(from, Math.min(rows.size(), from + ENQUEUE_CHUNK));
      long[] chunkIds = EnqueueSql.copyIn(c, chunk);
      System.arraycopy(chunkIds, 0, ids, from, chunkIds.length);
    }
    return ids;
  }

  private JobRow insertOne(Connection c, NewRow row) throws SQLException {
    JobRow inserted = EnqueueSql.insertReturningRows(c, List.of(row)).get(0);
    SafeCall.run(listener, () -> listener.onEnqueued(inserted.queue(), inserted.kind(), 1));
    return inserted;
  }

  private void reportEnqueued(List<NewJob> jobs) {
    Map<List<String>, Integer> counts = new LinkedHashMap<>();
    for (NewJob j : jobs) {
      counts.merge(List.of(j.queue(), j.kind()), 1, Integer::sum);
    }
    counts.forEach(
        (k, n) -> SafeCall.run(listener, () -> listener.onEnqueued(k.get(0), k.get(1), n)));
  }
}
