package dev.awa.core;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * One running attempt as its {@link Worker} sees it. Valid only while {@link
 * Worker#perform(JobContext)} runs; thread-safe, so a handler may pass it to helper threads.
 */
public interface JobContext {
  /** The job row as claimed (state {@code running}, attempt already counted). */
  JobRow job();

  /** The job id. */
  default long id() {
    return job().id();
  }

  /** The job kind. */
  default String kind() {
    return job().kind();
  }

  /** This attempt's number, 1-based. */
  default int attempt() {
    return job().attempt();
  }

  /** The lease that fences this attempt's writes. */
  default JobLease lease() {
    return job().lease();
  }

  /**
   * The job's arguments mapped to {@code type} with the runtime's Jackson mapper.
   *
   * @throws InvalidJobException when the JSON does not map to {@code type}
   */
  <T> T args(Class<T> type);

  /** When this attempt's deadline passes (by this process's clock). */
  Instant deadline();

  /**
   * Whether the attempt should stop: an operator cancelled the job, the maintenance leader rescued
   * it, a heartbeat found the lease gone, the deadline passed, or the runtime is shutting down and
   * handed the job back. Whatever the attempt writes after that is fenced out.
   */
  boolean isCancelled();

  /** Why the attempt was cancelled, or null while it is not. */
  String cancelReason();

  /**
   * Registers a callback id that an external system can resolve (through {@link
   * CallbackClient#completeCallback}, {@link CallbackClient#failCallback}, {@link
   * CallbackClient#retryCallback}) within {@code timeout}. The id is stored before this returns, so
   * it is safe to hand out. Return {@link JobResult#waitForCallback()} to park the job and free the
   * worker slot.
   *
   * @throws LeaseLostException when the attempt no longer holds its lease
   */
  UUID registerCallback(Duration timeout);
}
