package dev.awa.core;

import java.time.Duration;

/** Decides how long a job waits before its next attempt after attempt {@code attempt} failed. */
@FunctionalInterface
public interface RetryPolicy {
  /**
   * The delay before the next attempt.
   *
   * @param attempt the attempt that just failed, 1-based
   */
  Duration backoff(int attempt);

  /** The default: 2^attempt seconds plus up to 25 % jitter, capped at 24 hours. */
  static RetryPolicy exponential() {
    return ExponentialBackoff.DEFAULT;
  }
}
