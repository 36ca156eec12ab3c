package dev.awa.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Entry point of Awa's client side; thread-safe, create one per {@link DataSource} and share it. It
 * hands out one small type per role: {@link #producer()} (enqueue; the common calls are also
 * shortcuts here), {@link #operator()} (read, cancel, retry jobs; pause queues) and {@link
 * #callbacks()} (resolve external callbacks) and {@link #leases()} (the lease protocol: claim, then
 * write outcomes under the attempt's lease, for anyone running their own worker loop).
 */
public final class AwaClient {
  private final DataSource dataSource;
  private final ObjectMapper mapper;
  private final AwaListener listener;

  private final JobProducer producer;
  private final JobOperator operator;
  private final CallbackClient callbacks;
  private final LeaseClient leases;

  private AwaClient(Builder b) {
    this.dataSource = b.dataSource;
    this.mapper = b.mapper;
    this.listener = b.listener;
    this.producer = new JobProducer(dataSource, mapper, listener);
    this.operator = new JobOperator(dataSource);
    this.callbacks = new CallbackClient(dataSource, mapper);
    this.leases = new LeaseClient(dataSource, listener);
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

  /**
   * The lease protocol, for your own worker loop: claim due jobs and write their outcomes under
   * their leases. The worker runtime uses the same type, so both report the same events.
   */
  public LeaseClient leases() {
    return leases;
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
