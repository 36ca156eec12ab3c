package dev.awa.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.EnqueueStatements.Encoded;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.JobColumns;
import dev.awa.core.internal.UniqueConflicts;
import dev.awa.core.internal.store.LeaseSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point for producers and for anyone running their own worker loop: enqueue, claim, write
 * outcomes under a lease, resolve callbacks, and the operator actions. Thread-safe; create one per
 * {@link DataSource} and share it.
 *
 * <p>Every outcome write is fenced by the {@link JobLease} of the attempt: when the lease no longer
 * holds, the call returns {@link LeaseOutcome#STALE} and changes nothing.
 */
public final class AwaClient {
  private static final Logger log = LoggerFactory.getLogger(AwaClient.class);

  /** Largest batch sent in one insert statement; bigger lists are split. */
  static final int ENQUEUE_CHUNK = 10_000;

  /**
   * Whether claims write their limit into the statement text (default) so PostgreSQL can reuse one
   * plan per limit; {@code -Dawa.claimLiteralLimit=false} binds it instead, for A/B measurements
   * (adr/0007, "Second pass").
   */
  private final boolean literalClaimLimit =
      Boolean.parseBoolean(System.getProperty("awa.claimLiteralLimit", "true"));

  private final DataSource dataSource;
  private final ObjectMapper mapper;
  private final AwaListener listener;

  private AwaClient(Builder b) {
    this.dataSource = b.dataSource;
    this.mapper = b.mapper;
    this.listener = b.listener;
  }

  /** A client with the default {@link ObjectMapper} and no listener. */
  public static AwaClient create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /** Starts a builder over {@code dataSource}. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The data source this client uses. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The mapper used for args (also used by workers to read typed args). */
  public ObjectMapper objectMapper() {
    return mapper;
  }

  /** The telemetry listener. */
  public AwaListener listener() {
    return listener;
  }

  // ---------------------------------------------------------------- enqueue

  /**
   * Enqueues one job in its own transaction.
   *
   * @throws DuplicateJobException if its unique key is held by another job
   * @throws InvalidJobException if {@code job} is null or its args or metadata cannot be stored
   */
  public JobRow enqueue(NewJob job) {
    Encoded encoded = EnqueueStatements.encode(mapper, requireJob(job));
    try (Connection c = dataSource.getConnection()) {
      return insertOne(c, encoded);
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
    Encoded encoded = EnqueueStatements.encode(mapper, requireJob(job));
    try {
      return insertOne(connection, encoded);
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
    Encoded encoded = EnqueueStatements.encode(mapper, job);
    for (int round = 0; round < 10; round++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        Savepoint sp = c.setSavepoint();
        try {
          JobRow row = insertOne(c, encoded);
          c.commit();
          return row;
        } catch (SQLException e) {
          Optional<DuplicateJobException> duplicate = UniqueConflicts.from(e);
          if (duplicate.isEmpty()) {
            c.rollback();
            throw e;
          }
          c.rollback(sp);
          Optional<JobRow> holder = get(c, duplicate.get().existingJobId());
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
   * one transaction. A job whose run-at is in the future by the application's clock is scheduled;
   * one without a run-at is due at the database's now. Every job is checked before anything is
   * sent: one bad job refuses the whole batch.
   *
   * <p>Why ids and not {@link JobRow}s, unlike {@link #enqueue(NewJob)}: COPY returns no rows, and
   * reading them back would cost a second statement over the whole batch (the batch path exists for
   * throughput, about 20 times the single path's). Read a row with {@link #getJob(long)}.
   *
   * @return the new job ids, in the order of {@code jobs}
   * @throws InvalidJobException naming {@code jobs[i]} and the field when a job is null or bad
   */
  public long[] enqueueMany(List<NewJob> jobs) {
    List<Encoded> encoded = encodeAll(jobs);
    if (encoded.isEmpty()) {
      return new long[0];
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long[] ids = insertMany(c, encoded);
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
    List<Encoded> encoded = encodeAll(jobs);
    try {
      long[] ids = insertMany(connection, encoded);
      reportEnqueued(jobs);
      return ids;
    } catch (SQLException e) {
      throw Jdbc.failure("enqueueMany", e);
    }
  }

  /**
   * Refuses a batch in which two jobs share a unique scope before anything is sent: the second
   * would be refused by the first, which the failed batch would then not insert either.
   */
  private static void checkBatchScopes(List<Encoded> encoded) {
    Map<String, Integer> firstByClaim = new java.util.HashMap<>();
    for (int i = 0; i < encoded.size(); i++) {
      String claim = encoded.get(i).uniqueClaim();
      if (claim == null) {
        continue;
      }
      Integer first = firstByClaim.putIfAbsent(claim, i);
      if (first != null) {
        NewJob j = encoded.get(i).job();
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

  private List<Encoded> encodeAll(List<NewJob> jobs) {
    if (jobs == null) {
      throw new InvalidJobException("jobs", "must not be null");
    }
    List<Encoded> encoded = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      NewJob job = jobs.get(i);
      if (job == null) {
        throw new InvalidJobException("jobs[" + i + "]", "must not be null");
      }
      encoded.add(EnqueueStatements.encode(mapper, job));
    }
    checkBatchScopes(encoded);
    return encoded;
  }

  private static NewJob requireJob(NewJob job) {
    if (job == null) {
      throw new InvalidJobException("job", "must not be null");
    }
    return job;
  }

  private long[] insertMany(Connection c, List<Encoded> encoded) throws SQLException {
    long[] ids = new long[encoded.size()];
    for (int from = 0; from < encoded.size(); from += ENQUEUE_CHUNK) {
      List<Encoded> chunk = encoded.subList(from, Math.min(encoded.size(), from + ENQUEUE_CHUNK));
      long[] chunkIds = CopyEnqueue.insert(c, chunk);
      System.arraycopy(chunkIds, 0, ids, from, chunkIds.length);
    }
    return ids;
  }

  private JobRow insertOne(Connection c, Encoded encoded) throws SQLException {
    JobRow row = EnqueueStatements.insertRows(c, List.of(encoded)).get(0);
    safely(() -> listener.onEnqueued(row.queue(), row.kind(), 1));
    return row;
  }

  private void reportEnqueued(List<NewJob> jobs) {
    Map<List<String>, Integer> counts = new LinkedHashMap<>();
    for (NewJob j : jobs) {
      counts.merge(List.of(j.queue(), j.kind()), 1, Integer::sum);
    }
    counts.forEach((k, n) -> safely(() -> listener.onEnqueued(k.get(0), k.get(1), n)));
  }

  // ---------------------------------------------------------------- claim and outcomes

  /**
   * Claims up to {@code limit} due jobs of {@code queue} in claim order (priority, run-at, id),
   * skipping rows other workers hold. Each claimed job is running with a new lease and a deadline
   * {@code deadline} from now. A paused queue yields nothing.
   *
   * @throws InvalidArgumentException naming {@code queue}, {@code limit}, {@code deadline} or
   *     {@code workerId} when it is out of range or holds text PostgreSQL cannot store
   */
  public List<JobRow> claim(String queue, int limit, Duration deadline, String workerId) {
    Arguments.queue("queue", queue);
    if (limit < 1 || limit > 10_000) {
      throw new InvalidArgumentException("limit", "must be between 1 and 10000, was " + limit);
    }
    Arguments.positive("deadline", deadline);
    Arguments.text("workerId", workerId);
    LeaseSql.ClaimRequest request =
        new LeaseSql.ClaimRequest(queue, limit, deadline.toMillis(), workerId);
    List<JobRow> claimed =
        Jdbc.withConnection(
            dataSource, "claim", c -> LeaseSql.claim(c, request, literalClaimLimit));
    claimed.sort(ClaimOrder.INSTANCE);
    for (JobRow job : claimed) {
      Duration wait = Duration.between(job.runAt(), job.attemptedAt());
      safely(() -> listener.onClaimed(job, wait.isNegative() ? Duration.ZERO : wait));
    }
    return claimed;
  }

  /** Completes one attempt. */
  public LeaseOutcome complete(JobLease lease) {
    Arguments.notNull("lease", lease);
    return outcome(Jdbc.withConnection(dataSource, "complete", c -> LeaseSql.complete(c, lease)));
  }

  /**
   * Completes many attempts in one statement.
   *
   * @return the ids that were completed; the others were stale and are unchanged
   */
  public Set<Long> completeMany(Collection<JobLease> leases) {
    return leaseBatch("completeMany", leases, LeaseSql::completeMany);
  }

  /**
   * Schedules another attempt at {@code runAt} (now or earlier: available at once), recording
   * {@code error}. The caller decides whether attempts remain; see {@link JobRow#maxAttempts()}.
   *
   * @throws InvalidArgumentException if an argument is null or {@code runAt} is outside
   *     PostgreSQL's timestamp range
   */
  public LeaseOutcome retry(JobLease lease, Instant runAt, JobError error) {
    Arguments.notNull("lease", lease);
    Arguments.instant("runAt", runAt);
    String errors = Json.errorArray(Arguments.notNull("error", error));
    boolean now = !runAt.isAfter(Instant.now());
    return outcome(
        Jdbc.withConnection(
            dataSource,
            "retry",
            c ->
                now
                    ? LeaseSql.retryNow(c, lease, errors)
                    : LeaseSql.retryLater(c, lease, runAt, errors)));
  }

  /** Puts the job back for {@code delay} without counting the attempt. */
  public LeaseOutcome snooze(JobLease lease, Duration delay) {
    Arguments.notNull("lease", lease);
    Arguments.nonNegative("delay", delay);
    Instant runAt = delay.isZero() ? null : Instant.now().plus(delay);
    return outcome(
        Jdbc.withConnection(
            dataSource,
            "snooze",
            c ->
                runAt == null
                    ? LeaseSql.snoozeNow(c, lease)
                    : LeaseSql.snoozeLater(c, lease, runAt)));
  }

  /** Fails the job for good, recording {@code error}. */
  public LeaseOutcome fail(JobLease lease, JobError error) {
    Arguments.notNull("lease", lease);
    String errors = Json.errorArray(Arguments.notNull("error", error));
    return outcome(Jdbc.withConnection(dataSource, "fail", c -> LeaseSql.fail(c, lease, errors)));
  }

  /** Cancels the job from its own handler, recording {@code reason}. */
  public LeaseOutcome cancel(JobLease lease, int attempt, String reason) {
    Arguments.notNull("lease", lease);
    JobError entry = new JobError(attempt, Instant.now(), "cancelled", reason);
    String errors = Json.errorArray(entry);
    return outcome(
        Jdbc.withConnection(dataSource, "cancel", c -> LeaseSql.cancel(c, lease, errors)));
  }

  /**
   * Records a heartbeat for every lease in one statement.
   *
   * @return the ids still leased; an id missing from the result was rescued or cancelled
   */
  public Set<Long> heartbeat(Collection<JobLease> leases) {
    return leaseBatch("heartbeat", leases, LeaseSql::heartbeatMany);
  }

  /**
   * Makes unfinished attempts available again at once without counting them (graceful shutdown).
   *
   * @return the ids handed back
   */
  public Set<Long> handBack(Collection<JobLease> leases) {
    return leaseBatch("handBack", leases, LeaseSql::handBack);
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * Gives the running attempt a callback id that an external system can resolve within {@code
   * timeout}. Register before handing the id out.
   *
   * @return the callback id, or empty when the lease is stale
   */
  public Optional<UUID> registerCallback(JobLease lease, Duration timeout) {
    Arguments.notNull("lease", lease);
    Arguments.positive("timeout", timeout);
    UUID id = UUID.randomUUID();
    boolean applied =
        Jdbc.withConnection(
            dataSource,
            "registerCallback",
            c -> LeaseSql.registerCallback(c, lease, id, timeout.toMillis()));
    return applied ? Optional.of(id) : Optional.empty();
  }

  /** Parks a running attempt that registered a callback, freeing its worker slot. */
  public LeaseOutcome parkForCallback(JobLease lease) {
    Arguments.notNull("lease", lease);
    return outcome(
        Jdbc.withConnection(
            dataSource, "parkForCallback", c -> LeaseSql.parkForCallback(c, lease)));
  }

  /**
   * Completes the job waiting on {@code callbackId}; {@code result} is stored in metadata.
   *
   * @throws InvalidArgumentException if {@code result} cannot be written as JSON or holds text
   *     PostgreSQL's jsonb cannot store (NUL, a lone surrogate)
   */
  public CallbackOutcome completeCallback(UUID callbackId, Object result) {
    Arguments.notNull("callbackId", callbackId);
    String json;
    try {
      json = mapper.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new InvalidArgumentException(
          "result", "cannot be written as JSON: " + e.getOriginalMessage());
    }
    Arguments.json("result", json);
    return resolve("completeCallback", CallbackStatements.COMPLETE, json, callbackId);
  }

  /**
   * Fails the job waiting on {@code callbackId} for good, recording {@code message}.
   *
   * @throws InvalidArgumentException if {@code message} holds text PostgreSQL cannot store
   */
  public CallbackOutcome failCallback(UUID callbackId, String message) {
    Arguments.text("message", message);
    return resolve("failCallback", CallbackStatements.FAIL, message, callbackId);
  }

  /** Makes the parked job waiting on {@code callbackId} available for another attempt now. */
  public CallbackOutcome retryCallback(UUID callbackId) {
    return resolve("retryCallback", CallbackStatements.RETRY, null, callbackId);
  }

  /** Extends the callback's timeout to {@code timeout} from now. */
  public CallbackOutcome heartbeatCallback(UUID callbackId, Duration timeout) {
    Arguments.positive("timeout", timeout);
    return resolve(
        "heartbeatCallback", CallbackStatements.HEARTBEAT, timeout.toMillis(), callbackId);
  }

  private CallbackOutcome resolve(String op, String sql, Object first, UUID callbackId) {
    Arguments.notNull("callbackId", callbackId);
    return Jdbc.withConnection(
        dataSource,
        op,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (first != null) {
              ps.setObject(i++, first);
            }
            ps.setObject(i, callbackId);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                return CallbackOutcome.RESOLVED;
              }
            }
          }
          try (PreparedStatement ps = c.prepareStatement(CallbackStatements.EXISTS)) {
            ps.setObject(1, callbackId);
            ps.setObject(2, callbackId);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getBoolean(1)
                  ? CallbackOutcome.ALREADY_RESOLVED
                  : CallbackOutcome.NOT_FOUND;
            }
          }
        });
  }

  // ---------------------------------------------------------------- operator actions

  /** Reads a job from either table. */
  public Optional<JobRow> getJob(long id) {
    return Jdbc.withConnection(dataSource, "getJob", c -> get(c, id));
  }

  private static Optional<JobRow> get(Connection c, long id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(AdminStatements.GET)) {
      ps.setLong(1, id);
      ps.setLong(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(JobColumns.map(rs)) : Optional.empty();
      }
    }
  }

  /**
   * Cancels a job that has not finished. A running handler sees the cancel through its context;
   * whatever it writes afterwards is fenced out.
   *
   * @return whether the job was cancelled (false: unknown id or already finished)
   */
  public boolean cancelJob(long id) {
    return Jdbc.inTransaction(
        dataSource,
        "cancelJob",
        c -> {
          for (String sql : List.of(AdminStatements.CANCEL_HOT, AdminStatements.CANCEL_SCHEDULED)) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
              ps.setLong(1, id);
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  return true;
                }
              }
            }
          }
          return false;
        });
  }

  /**
   * Makes a finished job (completed, failed or cancelled) available again now.
   *
   * @return whether the job was retried: false when no job has this id or it has not finished (read
   *     it with {@link #getJob(long)} to tell which)
   * @throws DuplicateJobException when the job is unique and another job now holds its key (a
   *     successor enqueued after it finished); the job is unchanged, and {@link
   *     DuplicateJobException#existingJobId()} names the holder (read by the unique-claim trigger
   *     while it held the contested claim, so never 0)
   */
  public boolean retryJob(long id) {
    return Jdbc.withConnection(
        dataSource,
        "retryJob",
        c -> {
          // A unique claim held by a successor is refused by the trigger; Jdbc turns that into
          // DuplicateJobException.
          try (PreparedStatement ps = c.prepareStatement(AdminStatements.RETRY)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /**
   * Pauses a queue: claims return nothing until it is resumed. A queue that has never had a job can
   * be paused ahead of time.
   *
   * @throws InvalidArgumentException naming {@code queue} when it is null, blank, longer than
   *     {@value NewJob#MAX_NAME_LENGTH} characters or holds text PostgreSQL cannot store
   */
  public void pauseQueue(String queue) {
    setPaused(queue, true);
  }

  /**
   * Resumes a paused queue and wakes its workers.
   *
   * @throws InvalidArgumentException as {@link #pauseQueue(String)}
   */
  public void resumeQueue(String queue) {
    setPaused(queue, false);
  }

  private void setPaused(String queue, boolean paused) {
    Arguments.queue("queue", queue);
    Jdbc.withConnection(
        dataSource,
        paused ? "pauseQueue" : "resumeQueue",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(AdminStatements.SET_PAUSED)) {
            ps.setString(1, queue);
            ps.setBoolean(2, paused);
            ps.executeUpdate();
          }
          if (!paused) {
            try (PreparedStatement ps = c.prepareStatement(AdminStatements.NOTIFY_QUEUE)) {
              ps.setString(1, queue);
              ps.execute();
            }
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- plumbing

  /** One batch statement over parallel id and lease arrays. */
  @FunctionalInterface
  private interface LeaseBatch {
    Set<Long> run(Connection c, long[] ids, long[] leases) throws SQLException;
  }

  private static LeaseOutcome outcome(boolean applied) {
    return applied ? LeaseOutcome.APPLIED : LeaseOutcome.STALE;
  }

  private Set<Long> leaseBatch(String op, Collection<JobLease> leases, LeaseBatch statement) {
    if (Arguments.notNull("leases", leases).isEmpty()) {
      return Set.of();
    }
    long[] ids = new long[leases.size()];
    long[] runLeases = new long[leases.size()];
    int i = 0;
    for (JobLease l : leases) {
      Arguments.notNull("leases[" + i + "]", l);
      ids[i] = l.id();
      runLeases[i++] = l.runLease();
    }
    return Jdbc.withConnection(dataSource, op, c -> statement.run(c, ids, runLeases));
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.warn("AwaListener threw; ignoring", e);
    }
  }

  /** Builder of {@link AwaClient}. */
  public static final class Builder {
    private final DataSource dataSource;
    private ObjectMapper mapper = Json.MAPPER;
    private AwaListener listener = AwaListener.NOOP;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The mapper for args and callback results (default: Jackson with java.time support). */
    public Builder objectMapper(ObjectMapper mapper) {
      this.mapper = Objects.requireNonNull(mapper, "objectMapper");
      return this;
    }

    /** The telemetry listener (default: none). */
    public Builder listener(AwaListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Builds the client. */
    public AwaClient build() {
      return new AwaClient(this);
    }
  }
}
