package dev.awa.core;

import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.OperatorSql;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The operator role: read one job, cancel it, retry a finished one, pause and resume queues (what
 * {@code awa jobs}, {@code awa queues} and the dashboard's buttons call). Get it from {@link
 * AwaClient#operator()}. Thread-safe; database failures are {@link AwaSqlException}.
 */
public final class JobOperator {
  private final DataSource dataSource;

  JobOperator(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Reads a job, wherever it is (due, running, scheduled or finished). */
  public Optional<JobRow> getJob(long id) {
    return Jdbc.withConnection(dataSource, "getJob", c -> OperatorSql.selectJob(c, id));
  }

  /**
   * Cancels a job that has not finished. A running handler sees the cancel through its context;
   * whatever it writes afterwards is fenced out.
   *
   * @return whether the job was cancelled (false: unknown id or already finished)
   */
  public boolean cancelJob(long id) {
    return Jdbc.inTransaction(dataSource, "cancelJob", c -> OperatorSql.cancelJob(c, id));
  }

  /**
   * Makes a finished job (completed, failed or cancelled) available again at the database's now.
   *
   * @return whether the job was retried: false when no job has this id or it has not finished (read
   *     it with {@link #getJob(long)} to tell which)
   * @throws DuplicateJobException when the job is unique and another job now holds its key (a
   *     successor enqueued after it finished); the job is unchanged, and {@link
   *     DuplicateJobException#existingJobId()} names the holder (read by the unique-claim trigger
   *     while it held the contested claim, so never 0)
   */
  public boolean retryJob(long id) {
    // A unique claim held by a successor is refused by the trigger; Jdbc.failure turns that into
    // DuplicateJobException.
    return Jdbc.withConnection(dataSource, "retryJob", c -> OperatorSql.retryFinishedJob(c, id));
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
          OperatorSql.setQueuePaused(c, queue, paused);
          return null;
        });
  }
}
