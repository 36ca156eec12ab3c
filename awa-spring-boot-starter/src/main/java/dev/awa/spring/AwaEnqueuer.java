package dev.awa.spring;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import java.sql.Connection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Enqueues jobs inside the caller's Spring transaction when there is one. In a
 * {@code @Transactional} method (or a {@code TransactionTemplate}) whose transaction manager holds
 * a connection of the client's {@link DataSource}, the insert runs on that connection through
 * {@link DataSourceUtils}, so the job exists only if the transaction commits; a rollback, by
 * exception or otherwise, leaves no job. Outside such a transaction each call commits on its own,
 * exactly like {@link AwaClient#enqueue(NewJob)}.
 *
 * <p>A transaction of another resource (another DataSource, or JTA without a connection of this one
 * bound) is not joined: the job commits on its own. See docs/spring-boot.md.
 */
public final class AwaEnqueuer {
  private final AwaClient client;
  private final DataSource dataSource;

  /** An enqueuer writing through {@code client} and joining transactions of its data source. */
  public AwaEnqueuer(AwaClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.dataSource = client.dataSource();
  }

  /** The client underneath (for claims, callbacks and operator calls). */
  public AwaClient client() {
    return client;
  }

  /**
   * Enqueues {@code job}: in the current transaction when one of this data source is active, else
   * in its own.
   */
  public JobRow enqueue(NewJob job) {
    Objects.requireNonNull(job, "job");
    return joinsTransaction()
        ? onBoundConnection(c -> client.enqueue(c, job))
        : client.enqueue(job);
  }

  /**
   * Enqueues {@code jobs} as one statement, joining the current transaction as {@link #enqueue}.
   */
  public long[] enqueueMany(List<NewJob> jobs) {
    Objects.requireNonNull(jobs, "jobs");
    return joinsTransaction()
        ? onBoundConnection(c -> client.enqueueMany(c, jobs))
        : client.enqueueMany(jobs);
  }

  /** Runs {@code write} on the transaction's connection, which stays open for the transaction. */
  private <T> T onBoundConnection(Function<Connection, T> write) {
    Connection c = DataSourceUtils.getConnection(dataSource);
    try {
      return write.apply(c);
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
    }
  }

  /**
   * Whether a transaction is active and holds a connection of this data source (bound by
   * DataSourceTransactionManager, JdbcTransactionManager or JpaTransactionManager). Only then is
   * the bound connection inside a transaction; a connection DataSourceUtils would open otherwise is
   * in auto-commit mode and would not be rolled back with anything.
   */
  boolean joinsTransaction() {
    return TransactionSynchronizationManager.isActualTransactionActive()
        && TransactionSynchronizationManager.hasResource(dataSource);
  }
}
