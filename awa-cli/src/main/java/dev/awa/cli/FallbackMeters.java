package dev.awa.cli;

import dev.awa.core.AwaListener;
import dev.awa.core.JobRow;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.QueueStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's own Micrometer meters, used by {@link MetricsBinding} only while {@code awa-metrics}
 * does not provide {@code AwaMetrics}. It covers the main meters of DESIGN §5 with the same names,
 * so dashboards built against the demo keep working when the real binding takes over.
 */
final class FallbackMeters implements AwaListener, MaintenanceListener {
  private static final String[] STATES = {
    "scheduled", "retryable", "available", "running", "waiting_external"
  };

  private final MeterRegistry registry;
  private final AtomicLong leader = new AtomicLong();
  private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();

  FallbackMeters(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("awa.maintenance.leader", leader, AtomicLong::get)
        .description("1 while this process leads maintenance")
        .register(registry);
  }

  private void count(String name, String... tags) {
    Counter.builder(name).tags(tags).register(registry).increment();
  }

  private Timer timer(String name, String... tags) {
    return Timer.builder(name).tags(tags).publishPercentileHistogram().register(registry);
  }

  @Override
  public void onEnqueued(String queue, String kind, int count) {
    Counter.builder("awa.job.enqueued").tags("queue", queue).register(registry).increment(count);
  }

  @Override
  public void onClaimed(JobRow job, Duration wait) {
    count("awa.job.claimed", "queue", job.queue());
    timer("awa.job.wait", "queue", job.queue()).record(wait);
  }

  @Override
  public void onCompleted(JobRow job, Duration d) {
    count("awa.job.completed", "queue", job.queue());
    timer("awa.job.duration", "queue", job.queue()).record(d);
  }

  @Override
  public void onRetried(JobRow job, Duration d) {
    count("awa.job.retried", "queue", job.queue());
  }

  @Override
  public void onFailed(JobRow job, Duration d) {
    count("awa.job.failed", "queue", job.queue());
  }

  @Override
  public void onCancelled(JobRow job, Duration d) {
    count("awa.job.cancelled", "queue", job.queue());
  }

  @Override
  public void onLeaderGained(String instanceId) {
    leader.set(1);
  }

  @Override
  public void onLeaderLost(String instanceId, String reason) {
    leader.set(0);
  }

  @Override
  public void onBranchLateness(String branch, Duration lateness) {
    timer("awa.maintenance.branch.lateness", "branch", branch).record(lateness);
  }

  @Override
  public void onBranchDuration(String branch, Duration d, boolean success) {
    timer("awa.maintenance.branch.duration", "branch", branch).record(d);
  }

  @Override
  public void onOverrunEpisode(String branch, Duration last, Duration interval) {
    count("awa.maintenance.branch.overrun", "branch", branch);
  }

  @Override
  public void onRescued(String kind, int count, int failed) {
    Counter.builder("awa.maintenance.rescues")
        .tags("kind", kind)
        .register(registry)
        .increment(count);
  }

  @Override
  public void onPromoted(int count) {
    Counter.builder("awa.maintenance.promoted").register(registry).increment(count);
  }

  @Override
  public void onQueueStats(QueueStats stats) {
    for (String queue : stats.counts().keySet()) {
      for (String state : STATES) {
        depth(queue, state).set(stats.count(queue, state));
      }
    }
  }

  private AtomicLong depth(String queue, String state) {
    return depths.computeIfAbsent(
        queue + '\u0000' + state,
        k -> {
          AtomicLong value = new AtomicLong();
          Gauge.builder("awa.queue.depth", value, AtomicLong::get)
              .tags("queue", queue, "state", state)
              .register(registry);
          return value;
        });
  }
}
