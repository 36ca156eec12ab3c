package dev.awa.spring;

import dev.awa.core.AwaRuntime;
import dev.awa.core.ListenerMode;
import dev.awa.maintenance.BranchStatus;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.maintenance.OverrunState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The {@code awa} health component. Details: the runtime ({@code running}/{@code stopped}, jobs in
 * flight, {@code listener}: {@code connected} or {@code polling}), the leader ({@code here}, {@code
 * elsewhere} with its instance, or {@code none}) and the maintenance branches this process sees
 * {@code delayed}.
 *
 * <p>DOWN when this process's runtime is not running, or when no process has led for longer than
 * the election interval (then nothing promotes or rescues jobs). Delayed branches and polling
 * without LISTEN are reported but keep it UP: jobs still flow, only later.
 */
final class AwaHealthIndicator extends AbstractHealthIndicator {
  private final AwaRuntime runtime;
  private final MaintenanceService maintenance;
  private final boolean listen;
  private final LeaderProbe probe;
  private final Duration electionInterval;
  private final LongSupplier nanoTime;
  private final AtomicLong noLeaderSince = new AtomicLong(Long.MIN_VALUE);

  AwaHealthIndicator(
      AwaRuntime runtime,
      MaintenanceService maintenance,
      boolean listen,
      LeaderProbe probe,
      Duration electionInterval,
      LongSupplier nanoTime) {
    super("Awa health check failed");
    this.runtime = runtime;
    this.maintenance = maintenance;
    this.listen = listen;
    this.probe = probe;
    this.electionInterval = electionInterval;
    this.nanoTime = nanoTime;
  }

  @Override
  protected void doHealthCheck(Health.Builder health) throws Exception {
    boolean up = true;
    if (runtime != null) {
      health.withDetail("instance", runtime.instanceId());
      health.withDetail("runtime", runtime.isRunning() ? "running" : "stopped");
      health.withDetail("inFlight", runtime.inFlightCount());
      // The mode, not the session state: behind a transaction pooler the LISTEN session can be up
      // while its self-test NOTIFY never arrives, and then the runtime only polls.
      health.withDetail(
          "listener",
          listen && runtime.listenerMode() == ListenerMode.LISTEN ? "connected" : "polling");
      up = runtime.isRunning();
    }
    if (maintenance != null && maintenance.isLeader()) {
      health.withDetail("leader", "here");
      noLeaderSince.set(Long.MIN_VALUE);
    } else {
      LeaderProbe.Observation seen = probe.observe();
      if (seen.locked()) {
        health.withDetail("leader", "elsewhere");
        seen.instance().ifPresent(i -> health.withDetail("leaderInstance", i));
        noLeaderSince.set(Long.MIN_VALUE);
      } else {
        long now = nanoTime.getAsLong();
        noLeaderSince.compareAndSet(Long.MIN_VALUE, now);
        Duration without = Duration.ofNanos(now - noLeaderSince.get());
        health.withDetail("leader", "none");
        health.withDetail("noLeaderFor", without.toString());
        if (without.compareTo(electionInterval) > 0) {
          up = false;
        }
      }
    }
    if (maintenance != null) {
      List<String> delayed =
          maintenance.branchStatus().stream()
              .filter(s -> s.overrunState() == OverrunState.DELAYED)
              .map(BranchStatus::branch)
              .toList();
      health.withDetail("delayedBranches", delayed);
    }
    if (up) {
      health.up();
    } else {
      health.down();
    }
  }
}
