package dev.awa.core;

import dev.awa.core.internal.PgTime;
import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Worker} says happened to its attempt. Create one with the static factories; an
 * exception thrown from the handler is the same as {@link #retryAfter} with the runtime's {@link
 * RetryPolicy} delay.
 */
public sealed interface JobResult
    permits JobResult.Completed,
        JobResult.Retry,
        JobResult.Snooze,
        JobResult.Cancel,
        JobResult.Fail,
        JobResult.WaitForCallback {

  /** The job is done. */
  static JobResult completed() {
    return Completed.INSTANCE;
  }

  /**
   * Counts the attempt as failed and tries again after {@code delay} (zero: at once). The reason is
   * appended to the error list. When the attempts are spent the job fails instead.
   */
  static JobResult retryAfter(Duration delay, String reason) {
    return new Retry(delay, reason);
  }

  /** {@link #retryAfter(Duration, String)} with a generic reason. */
  static JobResult retryAfter(Duration delay) {
    return new Retry(delay, "retry requested by handler");
  }

  /** Puts the job back for {@code delay} without counting the attempt (nothing is recorded). */
  static JobResult snooze(Duration delay) {
    return new Snooze(delay);
  }

  /** Cancels the job for good, recording {@code reason}. */
  static JobResult cancel(String reason) {
    return new Cancel(reason);
  }

  /** Fails the job for good (no further attempts), recording {@code message}. */
  static JobResult fail(String message) {
    return new Fail(message);
  }

  /**
   * Parks the job in {@code waiting_external} until its callback is resolved or times out, freeing
   * the worker slot. Only valid after {@link JobContext#registerCallback(Duration)}.
   */
  static JobResult waitForCallback() {
    return WaitForCallback.INSTANCE;
  }

  /** See {@link #completed()}. */
  final class Completed implements JobResult {
    static final Completed INSTANCE = new Completed();

    private Completed() {}

    @Override
    public String toString() {
      return "Completed";
    }
  }

  /**
   * See {@link #retryAfter(Duration, String)}.
   *
   * @param delay how long to wait; zero or more
   * @param reason recorded in the error list
   */
  record Retry(Duration delay, String reason) implements JobResult {
    /** Checks the delay. */
    public Retry {
      if (delay == null || delay.isNegative()) {
        throw new InvalidJobException("delay", "must be zero or positive");
      }
      if (!PgTime.fitsAfterNow(delay)) {
        throw new InvalidJobException("delay", "must end, counted from now, " + PgTime.RANGE);
      }
      reason = reason == null ? "retry requested by handler" : reason;
    }
  }

  /**
   * See {@link #snooze(Duration)}.
   *
   * @param delay how long to wait; zero or more
   */
  record Snooze(Duration delay) implements JobResult {
    /** Checks the delay. */
    public Snooze {
      if (delay == null || delay.isNegative()) {
        throw new InvalidJobException("delay", "must be zero or positive");
      }
      if (!PgTime.fitsAfterNow(delay)) {
        throw new InvalidJobException("delay", "must end, counted from now, " + PgTime.RANGE);
      }
    }
  }

  /**
   * See {@link #cancel(String)}.
   *
   * @param reason recorded in the error list
   */
  record Cancel(String reason) implements JobResult {
    /** Defaults a null reason. */
    public Cancel {
      reason = Objects.requireNonNullElse(reason, "cancelled by handler");
    }
  }

  /**
   * See {@link #fail(String)}.
   *
   * @param message recorded in the error list
   */
  record Fail(String message) implements JobResult {
    /** Defaults a null message. */
    public Fail {
      message = Objects.requireNonNullElse(message, "failed by handler");
    }
  }

  /** See {@link #waitForCallback()}. */
  final class WaitForCallback implements JobResult {
    static final WaitForCallback INSTANCE = new WaitForCallback();

    private WaitForCallback() {}

    @Override
    public String toString() {
      return "WaitForCallback";
    }
  }
}
