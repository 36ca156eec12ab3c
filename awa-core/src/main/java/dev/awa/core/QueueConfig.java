package dev.awa.core;

import java.time.Duration;

/**
 * One queue a runtime works: how many of its jobs run at once and how long one attempt may take.
 *
 * @param name the queue name
 * @param concurrency handler slots; claims never exceed the free slots
 * @param deadline how long one attempt may run before it is cancelled and its thread interrupted
 */
public record QueueConfig(String name, int concurrency, Duration deadline) {
  /** Default per-attempt deadline: 5 minutes. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(5);

  /** Largest concurrency of one queue. */
  public static final int MAX_CONCURRENCY = 10_000;

  /** Checks the fields. */
  public QueueConfig {
    if (name == null || name.isBlank() || name.length() > NewJob.MAX_NAME_LENGTH) {
      throw new InvalidConfigException(
          "queue", "must be non-blank and at most " + NewJob.MAX_NAME_LENGTH + " characters");
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      throw new InvalidConfigException(
          "concurrency",
          "must be between 1 and " + MAX_CONCURRENCY + " (queue " + name + "), was " + concurrency);
    }
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new InvalidConfigException(
          "deadline", "must be a positive duration (queue " + name + ")");
    }
  }

  /** A queue with the default 5-minute deadline. */
  public static QueueConfig of(String name, int concurrency) {
    return new QueueConfig(name, concurrency, DEFAULT_DEADLINE);
  }

  /** This queue with another deadline. */
  public QueueConfig withDeadline(Duration deadline) {
    return new QueueConfig(name, concurrency, deadline);
  }
}
