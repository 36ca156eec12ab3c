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

  /** A job completed; {@code handlerDuration} is the time spent in the handler. */
  default void onCompleted(JobRow job, Duration handlerDuration) {}

  /** An attempt failed and the job will be retried. */
  default void onRetried(JobRow job, Duration handlerDuration) {}

  /** A job failed for good. */
  default void onFailed(JobRow job, Duration handlerDuration) {}

  /** A job was cancelled (by its handler, an operator or the deadline). */
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
