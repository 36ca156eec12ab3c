package dev.awa.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The maintenance meters ({@code awa.maintenance.*}) except leadership and the queue_stats gauges.
 * Branch, rescue-kind and state names are a small fixed set, so every meter is cached by them.
 */
final class MaintenanceMeters {
  private record Key(String name, String tagValue) {}

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();
  private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
  private final Counter promoted;
  private final Counter aged;
  private final GaugeTable delayed;
  private final GaugeTable backlog;
  private final GaugeTable overdue;

  /** {@code leading}: whether this process leads now (the leader-only gauges read 0 otherwise). */
  MaintenanceMeters(MeterRegistry registry, BooleanSupplier leading) {
    this.registry = registry;
    this.promoted =
        Counter.builder(MeterNames.PROMOTED)
            .description("Scheduled and retryable jobs made available by promote_scheduled")
            .register(registry);
    this.aged =
        Counter.builder(MeterNames.AGED)
            .description("Priority raises of waiting jobs by priority_aging")
            .register(registry);
    this.delayed =
        new GaugeTable(
            registry,
            MeterNames.BRANCH_DELAYED,
            "1 while the branch is in an overrun episode",
            null,
            leading,
            "branch");
    this.backlog =
        new GaugeTable(
            registry,
            MeterNames.CLEANUP_BACKLOG,
            "Rows past retention still present after the last cleanup tick (probe-capped)",
            null,
            leading,
            "state");
    this.overdue =
        new GaugeTable(
            registry,
            MeterNames.CLEANUP_OVERDUE,
            "How far past retention the oldest remaining row is",
            "seconds",
            leading,
            "state");
  }

  void branchDuration(String branch, Duration duration, boolean success) {
    timer(MeterNames.BRANCH_DURATION, "Maintenance branch body duration", branch)
        .record(Meters.nonNegative(duration));
    if (!success) {
      counter(MeterNames.BRANCH_ERRORS, "Maintenance branch bodies that threw", "branch", branch)
          .increment();
    }
  }

  void branchLateness(String branch, Duration lateness) {
    timer(
            MeterNames.BRANCH_LATENESS,
            "Actual minus scheduled start of a maintenance branch tick",
            branch)
        .record(Meters.nonNegative(lateness));
  }

  void branchSkipped(String branch) {
    counter(
            MeterNames.BRANCH_SKIPPED,
            "Maintenance ticks skipped during an overrun cooldown",
            "branch",
            branch)
        .increment();
  }

  void overrunEpisode(String branch) {
    counter(
            MeterNames.BRANCH_OVERRUN,
            "Overrun episodes: a branch flipped from on-time to delayed",
            "branch",
            branch)
        .increment();
    delayed.set(1, branch);
  }

  void overrunRecovered(String branch) {
    delayed.set(0, branch);
  }

  void rescued(String kind, int count, int failed) {
    if (count > 0) {
      counter(MeterNames.RESCUES, "Jobs rescued by the maintenance leader", "kind", kind)
          .increment(count);
    }
    if (failed > 0) {
      counter(
              MeterNames.RESCUES_FAILED,
              "Rescued jobs that had no attempts left and failed for good",
              "kind",
              kind)
          .increment(failed);
    }
  }

  void promoted(int count) {
    if (count > 0) {
      promoted.increment(count);
    }
  }

  void aged(int count) {
    if (count > 0) {
      aged.increment(count);
    }
  }

  void cleaned(String state, int count) {
    if (count > 0) {
      counter(MeterNames.CLEANUP_DELETED, "Finished jobs deleted by cleanup", "state", state)
          .increment(count);
    }
  }

  void cleanupBacklog(String state, long remaining, Duration oldestOverdue) {
    backlog.set(Math.max(0, remaining), state);
    overdue.set(Meters.nonNegative(oldestOverdue).toNanos() / 1e9, state);
  }

  /**
   * This process no longer leads: the backlog figures are forgotten (they read 0 anyway while not
   * leading), so a later leadership does not briefly show them again. The delayed flags are kept:
   * they mirror the branch's overrun state, which survives a leadership change, and they read 0
   * until this process leads again.
   */
  void leadershipEnded() {
    backlog.zeroAll();
    overdue.zeroAll();
  }

  private Timer timer(String name, String description, String branch) {
    return timers.computeIfAbsent(
        new Key(name, Meters.tagValue(branch)),
        k -> Meters.timer(registry, name, description, Tags.of("branch", k.tagValue())));
  }

  private Counter counter(String name, String description, String tagKey, String tagValue) {
    return counters.computeIfAbsent(
        new Key(name, Meters.tagValue(tagValue)),
        k ->
            Counter.builder(name)
                .description(description)
                .tags(tagKey, k.tagValue())
                .register(registry));
  }
}
