package dev.awa.core;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** 2^attempt seconds plus up to 25 % jitter, capped; jitter spreads retries of a failed batch. */
final class ExponentialBackoff implements RetryPolicy {
  static final ExponentialBackoff DEFAULT = new ExponentialBackoff(Duration.ofHours(24));

  private final long capMillis;

  ExponentialBackoff(Duration cap) {
    this.capMillis = cap.toMillis();
  }

  @Override
  public Duration backoff(int attempt) {
    int exponent = Math.max(0, Math.min(attempt, 30));
    long baseMillis = Math.min(capMillis, (1L << exponent) * 1000L);
    long jitter = (long) (baseMillis * 0.25 * ThreadLocalRandom.current().nextDouble());
    return Duration.ofMillis(Math.min(capMillis, baseMillis + jitter));
  }
}
