package dev.awa.core;

import java.time.Duration;
import java.util.List;

/**
 * Telemetry SPI of the job lifecycle. Every method has a no-op default; implementations must be
 * fast and must not throw (exceptions are logged and swallowed). {@code awa-metrics} binds it to
 * Micrometer; {@link #composite(AwaListener...)} sends every event to several listeners.
 */
public interface AwaListener {
  /** A listener that ignores everything. */
  AwaListener NOOP = new AwaListener() {};

  /**
   * A listener that delivers every event to each of {@code listeners}, in order. One that throws is
   * logged and skipped; the others still get the event. A new method of this interface is forwarded
   * here too (a test checks that every method is).
   *
   * @throws NullPointerException if {@code listeners} or one of them is null
   */
  static AwaListener composite(AwaListener... listeners) {
    return new CompositeAwaListener(List.of(listeners));
  }

  /** {@code count} jobs of {@code kind} were enqueued into {@code queue}. */
  default void onEnqueued(String queue, String kind, int count) {}

  /** A job was claimed; {@code wait} runs from when it was due to when it was claimed. */
  default void onClaimed(JobRow job, Duration wait) {}

  /** A handler started running a job. */
  default void onStarted(JobRow job) {}

  /**
   * A job completed: its ack is written. {@code handlerDuration} is the time spent in the handler
   * only (from its start to its return); the time the batched ack took after that is reported by
   * {@link #onAcknowledged}, right after this.
   */
  default void onCompleted(JobRow job, Duration handlerDuration) {}

  /**
   * The runtime's batched ack of a completed job was written; {@code ackLatency} runs from the
   * handler's return to the ack statement's confirmation (the completer's linger, queueing behind
   * other flushes, and the statement). Fires after {@link #onCompleted} for the same job.
   */
  default void onAcknowledged(JobRow job, Duration ackLatency) {}

  /** An attempt failed and the job will be retried; {@code handlerDuration}: the handler's time. */
  default void onRetried(JobRow job, Duration handlerDuration) {}

  /** A job failed for good. */
  default void onFailed(JobRow job, Duration handlerDuration) {}

  /**
   * A runtime attempt ended cancelled, once per attempt: its handler returned {@link
   * JobResult#cancel(String)}, or an operator cancelled it while it ran, waited in the claim-ahead
   * buffer ({@code handlerDuration} zero) or awaited its ack, and the runtime learned of it
   * (through the cancel notification) before the attempt ended. {@code handlerDuration} is the
   * handler's time. Not fired for a deadline (the attempt is retried or failed: {@link #onRetried}
   * / {@link #onFailed} with error kind {@code awa.deadline_exceeded}), a rescue (the lease was
   * lost), a hand-back at shutdown, or a job cancelled before any runtime claimed it.
   */
  default void onCancelled(JobRow job, Duration handlerDuration) {}

  /** A job was snoozed (its attempt is not counted). */
  default void onSnoozed(JobRow job, Duration handlerDuration) {}

  /**
   * The runtime {@code instanceId} changed how it learns about new jobs: {@link
   * ListenerMode#LISTEN} after its self-test NOTIFY came back, {@link ListenerMode#POLLING} when it
   * did not (or the session dropped), {@link ListenerMode#OFF} when the runtime stopped.
   */
  default void onListenerModeChanged(String instanceId, ListenerMode mode) {}
}
