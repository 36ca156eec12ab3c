package dev.awa.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.JobColumns;
import dev.awa.core.internal.PgTime;
import dev.awa.core.internal.SafeCall;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
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
    Arguments.queue("queue", queue);
    if (limit < 1 || limit > 10_000) {
      throw new InvalidArgumentException("limit", "must be between 1 and 10000, was " + limit);
    }
    Arguments.positive("deadline", deadline);
    Arguments.text("workerId", workerId);
    List<JobRow> claimed =
        Jdbc.withConnection(
            dataSource,
            "claim",
            c -> {
              try (PreparedStatement ps = c.prepareStatement(LeaseStatements.CLAIM)) {
                ps.setString(1, queue);
                ps.setString(2, queue);
                ps.setInt(3, limit);
                ps.setLong(4, deadline.toMillis());
                ps.setString(5, workerId);
                List<JobRow> out = new ArrayList<>(limit);
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    out.add(JobColumns.map(rs));
                  }
                }
                return out;
              }
            });
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
    return fenced("complete", LeaseStatements.COMPLETE, lease);
  }

  /**
   * Completes many attempts in one statement.
   *
   * @return the ids that were completed; the others were stale and are unchanged
   */
  public Set<Long> completeMany(Collection<JobLease> leases) {
    return leaseBatch("completeMany", LeaseStatements.COMPLETE_MANY, leases);
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
    if (!runAt.isAfter(Instant.now())) {
      return update(
          "retry",
          LeaseStatements.RETRY_NOW,
          ps -> {
            ps.setString(1, errors);
            ps.setLong(2, lease.id());
            ps.setLong(3, lease.runLease());
          },
          true);
    }
    return update(
        "retry",
        LeaseStatements.RETRY_LATER,
        ps -> {
          ps.setLong(1, lease.id());
          ps.setLong(2, lease.runLease());
          PgTime.bind(ps, 3, runAt);
          ps.setString(4, errors);
        },
        true);
  }

  /** Puts the job back for {@code delay} without counting the attempt. */
  public LeaseOutcome snooze(JobLease lease, Duration delay) {
    Arguments.notNull("lease", lease);
    Arguments.nonNegative("delay", delay);
    if (delay.isZero()) {
      return update(
          "snooze",
          LeaseStatements.SNOOZE_NOW,
          ps -> {
            ps.setLong(1, lease.id());
            ps.setLong(2, lease.runLease());
          },
          true);
    }
    Instant runAt = Instant.now().plus(delay);
    return update(
        "snooze",
        LeaseStatements.SNOOZE_LATER,
        ps -> {
          ps.setLong(1, lease.id());
          ps.setLong(2, lease.runLease());
          PgTime.bind(ps, 3, runAt);
        },
        true);
  }

  /** Fails the job for good, recording {@code error}. */
  public LeaseOutcome fail(JobLease lease, JobError error) {
    Arguments.notNull("lease", lease);
    return withErrors("fail", LeaseStatements.FAIL, lease, error);
  }

  /** Cancels the job from its own handler, recording {@code reason}. */
  public LeaseOutcome cancel(JobLease lease, int attempt, String reason) {
    Arguments.notNull("lease", lease);
    JobError entry = new JobError(attempt, Instant.now(), "cancelled", reason);
    return withErrors("cancel", LeaseStatements.CANCEL, lease, entry);
  }

  /**
   * Records a heartbeat for every lease in one statement.
   *
   * @return the ids still leased; an id missing from the result was rescued or cancelled
   */
  public Set<Long> heartbeat(Collection<JobLease> leases) {
    return leaseBatch("heartbeat", LeaseStatements.HEARTBEAT_MANY, leases);
  }

  /**
   * Makes unfinished attempts available again at once without counting them (graceful shutdown).
   *
   * @return the ids handed back
   */
  public Set<Long> handBack(Collection<JobLease> leases) {
    return leaseBatch("handBack", LeaseStatements.HAND_BACK, leases);
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
    LeaseOutcome outcome =
        update(
            "registerCallback",
            LeaseStatements.REGISTER_CALLBACK,
            ps -> {
              ps.setObject(1, id);
              ps.setLong(2, timeout.toMillis());
              ps.setLong(3, lease.id());
              ps.setLong(4, lease.runLease());
            },
            false);
    return outcome == LeaseOutcome.APPLIED ? Optional.of(id) : Optional.empty();
  }

  /** Parks a running attempt that registered a callback, freeing its worker slot. */
  public LeaseOutcome parkForCallback(JobLease lease) {
    Arguments.notNull("lease", lease);
    return fenced("parkForCallback", LeaseStatements.PARK, lease);
  }

  // ---------------------------------------------------------------- plumbing

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private LeaseOutcome fenced(String op, String sql, JobLease lease) {
    return update(
        op,
        sql,
        ps -> {
          ps.setLong(1, lease.id());
          ps.setLong(2, lease.runLease());
        },
        false);
  }

  private LeaseOutcome withErrors(String op, String sql, JobLease lease, JobError error) {
    String errors = Json.errorArray(Arguments.notNull("error", error));
    return update(
        op,
        sql,
        ps -> {
          ps.setString(1, errors);
          ps.setLong(2, lease.id());
          ps.setLong(3, lease.runLease());
        },
        false);
  }

  /** Runs a fenced statement; {@code query} when it returns rows (CTE with RETURNING). */
  private LeaseOutcome update(String op, String sql, Binder binder, boolean query) {
    return Jdbc.withConnection(
        dataSource,
        op,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            boolean matched;
            if (query) {
              try (ResultSet rs = ps.executeQuery()) {
                matched = rs.next();
              }
            } else {
              matched = ps.executeUpdate() > 0;
            }
            return matched ? LeaseOutcome.APPLIED : LeaseOutcome.STALE;
          }
        });
  }

  private Set<Long> leaseBatch(String op, String sql, Collection<JobLease> leases) {
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
    return Jdbc.withConnection(
        dataSource,
        op,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, Jdbc.longs(c, ids));
            ps.setArray(2, Jdbc.longs(c, runLeases));
            Set<Long> out = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getLong(1));
              }
            }
            return out;
          }
        });
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
