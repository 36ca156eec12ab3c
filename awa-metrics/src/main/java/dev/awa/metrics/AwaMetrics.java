package dev.awa.metrics;

import dev.awa.core.AwaListener;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobRow;
import dev.awa.core.ListenerMode;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.QueueStats;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds Awa's telemetry to a Micrometer {@link MeterRegistry}: one object is both the runtime's
 * {@link AwaListener} and the maintenance service's {@link MaintenanceListener}.
 *
 * <pre>{@code
 * AwaMetrics metrics = AwaMetrics.bind(registry);
 * AwaRuntime runtime = AwaRuntime.builder(ds).listener(metrics)...build();
 * metrics.bindRuntime(runtime);                                   // awa.job.in_flight
 * MaintenanceService maintenance = MaintenanceService.builder(ds).listener(metrics).build();
 * }</pre>
 *
 * <p>Meter names are in {@link MeterNames} and docs/metrics.md. Tags are only queue, kind, state,
 * branch and outcome, never job ids or arguments. Timers publish explicit buckets from 1 ms to 60
 * s. Thread-safe; no method throws (a failure inside Micrometer is logged at debug and dropped, as
 * telemetry must never disturb job processing).
 *
 * <p>Gauges fed by the maintenance leader (queue depth and lag, cleanup backlog, branch delayed)
 * read 0 while this process does not lead, so aggregating them across instances never mixes in a
 * former leader's stale figures. The leader gauge is registered at {@link #bind} and reads 0 on
 * followers.
 */
public final class AwaMetrics implements AwaListener, MaintenanceListener {
  private static final Logger log = LoggerFactory.getLogger(AwaMetrics.class);

  /**
   * One instance per registry: gauges are registered once per name and tags, so a second instance
   * on the same registry would own no gauges. The value is weak too (it references the registry).
   */
  private static final Map<MeterRegistry, WeakReference<AwaMetrics>> BOUND = new WeakHashMap<>();

  private final JobMeters jobs;
  private final MaintenanceMeters maintenance;
  private final QueueMeters queues;
  private final Set<String> leading = ConcurrentHashMap.newKeySet();
  private final Map<String, ListenerMode> listenerModes = new ConcurrentHashMap<>();
  private final Set<AwaRuntime> runtimes =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private AwaMetrics(MeterRegistry registry) {
    this.jobs = new JobMeters(registry);
    this.maintenance = new MaintenanceMeters(registry, this::isLeading);
    this.queues = new QueueMeters(registry, this::isLeading);
    // Registered now so a follower reports 0 rather than nothing ("no leader" is max() == 0).
    Gauge.builder(MeterNames.LEADER, leading, Set::size)
        .description("1 while this process leads Awa maintenance, else 0")
        .strongReference(true)
        .register(registry);
    // One series per mode, both registered now: "polling" reads 0 rather than nothing when every
    // runtime listens, so an alert on awa_runtime_listener_mode{mode="polling"} > 0 is simple.
    for (ListenerMode m : List.of(ListenerMode.LISTEN, ListenerMode.POLLING)) {
      Gauge.builder(MeterNames.LISTENER_MODE, listenerModes, modes -> count(modes, m))
          .description(
              "Runtimes of this process whose wake-ups come by LISTEN (mode=listen) or that fell"
                  + " back to polling (mode=polling)")
          .tag("mode", m.name().toLowerCase(java.util.Locale.ROOT))
          .strongReference(true)
          .register(registry);
    }
    Gauge.builder(MeterNames.JOB_IN_FLIGHT, this, AwaMetrics::inFlight)
        .description("Attempts the bound runtimes of this process hold right now")
        .strongReference(true)
        .register(registry);
  }

  /**
   * The metrics of {@code registry}, created and registered on the first call; later calls with the
   * same registry return the same object.
   */
  public static AwaMetrics bind(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    synchronized (BOUND) {
      WeakReference<AwaMetrics> ref = BOUND.get(registry);
      AwaMetrics existing = ref == null ? null : ref.get();
      if (existing != null) {
        return existing;
      }
      AwaMetrics created = new AwaMetrics(registry);
      BOUND.put(registry, new WeakReference<>(created));
      return created;
    }
  }

  /**
   * Adds {@code runtime} to the {@code awa.job.in_flight} gauge (its {@link
   * AwaRuntime#inFlightCount()}, summed over every bound runtime). The gauge reads the runtime
   * itself rather than counting listener calls, because a job parked for a callback or handed back
   * at shutdown frees its slot without any listener call. The runtime is held weakly.
   *
   * @return this, for chaining
   */
  public AwaMetrics bindRuntime(AwaRuntime runtime) {
    runtimes.add(Objects.requireNonNull(runtime, "runtime"));
    return this;
  }

  private static double count(Map<String, ListenerMode> modes, ListenerMode m) {
    return modes.values().stream().filter(m::equals).count();
  }

  private boolean isLeading() {
    return !leading.isEmpty();
  }

  private double inFlight() {
    synchronized (runtimes) {
      long sum = 0;
      for (AwaRuntime r : runtimes) {
        sum += r.inFlightCount();
      }
      return sum;
    }
  }

  // ------------------------------------------------------------------ AwaListener

  @Override
  public void onListenerModeChanged(String instanceId, ListenerMode mode) {
    if (mode == ListenerMode.OFF) {
      listenerModes.remove(instanceId);
    } else {
      listenerModes.put(instanceId, mode);
    }
  }

  @Override
  public void onEnqueued(String queue, String kind, int count) {
    guard(() -> jobs.enqueued(queue, kind, count));
  }

  @Override
  public void onClaimed(JobRow job, Duration wait) {
    guard(() -> jobs.claimed(job.queue(), job.kind(), wait));
  }

  @Override
  public void onCompleted(JobRow job, Duration handlerDuration) {
    ended(JobMeters.Outcome.COMPLETED, job, handlerDuration);
  }

  @Override
  public void onRetried(JobRow job, Duration handlerDuration) {
    ended(JobMeters.Outcome.RETRIED, job, handlerDuration);
  }

  @Override
  public void onFailed(JobRow job, Duration handlerDuration) {
    ended(JobMeters.Outcome.FAILED, job, handlerDuration);
  }

  @Override
  public void onCancelled(JobRow job, Duration handlerDuration) {
    ended(JobMeters.Outcome.CANCELLED, job, handlerDuration);
  }

  @Override
  public void onSnoozed(JobRow job, Duration handlerDuration) {
    ended(JobMeters.Outcome.SNOOZED, job, handlerDuration);
  }

  private void ended(JobMeters.Outcome outcome, JobRow job, Duration handlerDuration) {
    guard(() -> jobs.ended(outcome, job.queue(), job.kind(), handlerDuration));
  }

  // ------------------------------------------------------------------ MaintenanceListener

  @Override
  public void onLeaderGained(String instanceId) {
    guard(() -> leading.add(Meters.tagValue(instanceId)));
  }

  @Override
  public void onLeaderLost(String instanceId, String reason) {
    guard(
        () -> {
          leading.remove(Meters.tagValue(instanceId));
          if (!isLeading()) {
            maintenance.leadershipEnded();
            queues.leadershipEnded();
          }
        });
  }

  @Override
  public void onBranchLateness(String branch, Duration lateness) {
    guard(() -> maintenance.branchLateness(branch, lateness));
  }

  @Override
  public void onBranchDuration(String branch, Duration duration, boolean success) {
    guard(() -> maintenance.branchDuration(branch, duration, success));
  }

  @Override
  public void onBranchSkipped(String branch) {
    guard(() -> maintenance.branchSkipped(branch));
  }

  @Override
  public void onOverrunEpisode(String branch, Duration lastDuration, Duration interval) {
    guard(() -> maintenance.overrunEpisode(branch));
  }

  @Override
  public void onOverrunRecovered(String branch) {
    guard(() -> maintenance.overrunRecovered(branch));
  }

  @Override
  public void onRescued(String kind, int count, int failed) {
    guard(() -> maintenance.rescued(kind, count, failed));
  }

  @Override
  public void onPromoted(int count) {
    guard(() -> maintenance.promoted(count));
  }

  @Override
  public void onCleaned(String state, int count) {
    guard(() -> maintenance.cleaned(state, count));
  }

  @Override
  public void onCleanupBacklog(String state, long remaining, Duration oldestOverdue) {
    guard(
        () -> {
          if (isLeading()) {
            maintenance.cleanupBacklog(state, remaining, oldestOverdue);
          }
        });
  }

  @Override
  public void onAged(int count) {
    guard(() -> maintenance.aged(count));
  }

  /**
   * Sets the queue gauges. A snapshot that arrives after leadership was lost (a body that was
   * already running) is dropped, so a former leader does not report stale depths again.
   */
  @Override
  public void onQueueStats(QueueStats stats) {
    guard(
        () -> {
          if (stats != null && isLeading()) {
            queues.update(stats);
          }
        });
  }

  private static void guard(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.debug("awa-metrics: could not record a meter; dropped", e);
    }
  }
}
