package dev.awa.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.SafeCall;
import dev.awa.core.internal.store.LeaseSql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Entry point of Awa's client side; thread-safe, create one per {@link DataSource} and share it. It
 * hands out one small type per role: {@link #producer()} (enqueue; the common calls are also
 * shortcuts here), {@link #operator()} (read, cancel, retry jobs; pause queues) and {@link
 * #callbacks()} (resolve external callbacks). The lease protocol (claim, write outcomes under a
 * lease), for anyone running their own worker loop, is on this class.
 *
 * <p>Every outcome write is fenced by the {@link JobLease} of the attempt: when the lease no longer
 * holds, the call returns {@link LeaseOutcome#STALE} and changes nothing.
 */
public final class AwaClient {
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

  private final JobProducer producer;
  private final JobOperator operator;
  private final CallbackClient callbacks;

  private AwaClient(Builder b) {
    this.dataSource = b.dataSource;
    this.mapper = b.mapper;
    this.listener = b.listener;
    this.producer = new JobProducer(dataSource, mapper, listener);
    this.operator = new JobOperator(dataSource);
    this.callbacks = new CallbackClient(dataSource, mapper);
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

  // ---------------------------------------------------------------- roles

  /** The producer role: enqueue, in batches, in the caller's transaction, or unique-or-existing. */
  public JobProducer producer() {
    return producer;
  }

  /** The operator role: read, cancel and retry jobs; pause and resume queues. */
  public JobOperator operator() {
    return operator;
  }

  /** The callback role: resolve jobs parked on an external callback id. */
  public CallbackClient callbacks() {
    return callbacks;
  }

  // ---------------------------------------------------------------- enqueue shortcuts

  /**
   * Enqueues one job in its own transaction: {@link JobProducer#enqueue(NewJob)}.
   *
   * @throws DuplicateJobException if its unique key is held by another job
   * @throws InvalidJobException if {@code job} is null or its args or metadata cannot be stored
   */
  public JobRow enqueue(NewJob job) {
    return producer.enqueue(job);
  }

  /**
   * Enqueues one job in the caller's transaction: {@link JobProducer#enqueue(Connection, NewJob)}.
   */
  public JobRow enqueue(Connection connection, NewJob job) {
    return producer.enqueue(connection, job);
  }

  /** Enqueues a unique job or returns its holder: {@link JobProducer#enqueueOrGetExisting}. */
  public JobRow enqueueOrGetExisting(NewJob job) {
    return producer.enqueueOrGetExisting(job);
  }

  /** Enqueues a batch through COPY in one transaction: {@link JobProducer#enqueueMany(List)}. */
  public long[] enqueueMany(List<NewJob> jobs) {
    return producer.enqueueMany(jobs);
  }

  /** As {@link #enqueueMany(List)}, in the caller's transaction. */
  public long[] enqueueMany(Connection connection, List<NewJob> jobs) {
    return producer.enqueueMany(connection, jobs);
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
    return claim(queue, limit, deadline, workerId, null);
  }

  /**
   * As {@link #claim(String, int, Duration, String)}, only rows at or after {@code from} in claim
   * order (null: the whole queue). The runtime's bounded claim (adr/0007 "Third pass").
   */
  List<JobRow> claim(
      String queue, int limit, Duration deadline, String workerId, LeaseSql.ClaimKey from) {
    Arguments.queue("queue", queue);
    if (limit < 1 || limit > 10_000) {
      throw new InvalidArgumentException("limit", "must be between 1 and 10000, was " + limit);
    }
    Arguments.positive("deadline", deadline);
    Arguments.text("workerId", workerId);
    LeaseSql.ClaimRequest request =
        new LeaseSql.ClaimRequest(queue, limit, deadline.toMillis(), workerId, from);
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

  private void safely(Runnable r) {
    SafeCall.run(listener, r);
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
