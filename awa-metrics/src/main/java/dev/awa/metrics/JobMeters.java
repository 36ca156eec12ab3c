package dev.awa.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job lifecycle meters ({@code awa.job.*}). Meters are cached per tag combination so the hot
 * path (one call per claim and per outcome) is a map lookup, not a registry lookup with a freshly
 * built id.
 */
final class JobMeters {
  /** The outcome tag of {@code awa.job.duration}, one per attempt-ending listener call. */
  enum Outcome {
    COMPLETED(MeterNames.JOB_COMPLETED, "completed"),
    RETRIED(MeterNames.JOB_RETRIED, "retried"),
    FAILED(MeterNames.JOB_FAILED, "failed"),
    CANCELLED(MeterNames.JOB_CANCELLED, "cancelled"),
    SNOOZED(MeterNames.JOB_SNOOZED, "snoozed");

    final String counterName;
    final String tag;

    Outcome(String counterName, String tag) {
      this.counterName = counterName;
      this.tag = tag;
    }
  }

  private record CounterKey(String name, String queue, String kind) {}

  private record DurationKey(Outcome outcome, String queue, String kind) {}

  private final MeterRegistry registry;
  private final Map<CounterKey, Counter> counters = new ConcurrentHashMap<>();
  private final Map<DurationKey, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Timer> waits = new ConcurrentHashMap<>();

  JobMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void enqueued(String queue, String kind, int count) {
    if (count > 0) {
      counter(MeterNames.JOB_ENQUEUED, queue, kind).increment(count);
    }
  }

  void claimed(String queue, String kind, Duration wait) {
    counter(MeterNames.JOB_CLAIMED, queue, kind).increment();
    waits
        .computeIfAbsent(
            Meters.tagValue(queue),
            q ->
                Meters.timer(
                    registry,
                    MeterNames.JOB_WAIT,
                    "Time from when a job was due to when it was claimed",
                    Tags.of("queue", q)))
        .record(Meters.nonNegative(wait));
  }

  void ended(Outcome outcome, String queue, String kind, Duration handlerDuration) {
    counter(outcome.counterName, queue, kind).increment();
    durations
        .computeIfAbsent(
            new DurationKey(outcome, Meters.tagValue(queue), Meters.tagValue(kind)),
            k ->
                Meters.timer(
                    registry,
                    MeterNames.JOB_DURATION,
                    "Time spent in the handler, by outcome",
                    Tags.of("queue", k.queue(), "kind", k.kind(), "outcome", k.outcome().tag)))
        .record(Meters.nonNegative(handlerDuration));
  }

  private Counter counter(String name, String queue, String kind) {
    return counters.computeIfAbsent(
        new CounterKey(name, Meters.tagValue(queue), Meters.tagValue(kind)),
        k ->
            Counter.builder(k.name())
                .description(description(k.name()))
                .tags("queue", k.queue(), "kind", k.kind())
                .register(registry));
  }

  private static String description(String name) {
    return switch (name) {
      case MeterNames.JOB_ENQUEUED -> "Jobs enqueued";
      case MeterNames.JOB_CLAIMED -> "Attempts claimed by a runtime";
      case MeterNames.JOB_COMPLETED -> "Jobs completed (acknowledged)";
      case MeterNames.JOB_RETRIED -> "Attempts that failed and were scheduled for another attempt";
      case MeterNames.JOB_FAILED -> "Jobs failed for good by their runtime";
      case MeterNames.JOB_CANCELLED -> "Jobs cancelled while running";
      case MeterNames.JOB_SNOOZED -> "Attempts snoozed (not counted as attempts)";
      default -> name;
    };
  }
}
