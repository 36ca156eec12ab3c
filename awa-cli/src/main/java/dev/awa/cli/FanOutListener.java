package dev.awa.cli;

import dev.awa.core.AwaListener;
import dev.awa.core.JobRow;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.QueueStats;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Passes every telemetry call of the runtime and the maintenance service on to several listeners
 * (the demo's recorder and the metrics binding). One listener that throws does not keep the call
 * from the others.
 */
final class FanOutListener implements AwaListener, MaintenanceListener {
  private final List<AwaListener> runtime;
  private final List<MaintenanceListener> maintenance;

  FanOutListener(List<AwaListener> runtime, List<MaintenanceListener> maintenance) {
    this.runtime = List.copyOf(runtime);
    this.maintenance = List.copyOf(maintenance);
  }

  private void toRuntime(Consumer<AwaListener> call) {
    for (AwaListener l : runtime) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        // Listeners must not throw; if one does, the others still get the call.
      }
    }
  }

  private void toMaintenance(Consumer<MaintenanceListener> call) {
    for (MaintenanceListener l : maintenance) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        // As above.
      }
    }
  }

  @Override
  public void onEnqueued(String queue, String kind, int count) {
    toRuntime(l -> l.onEnqueued(queue, kind, count));
  }

  @Override
  public void onClaimed(JobRow job, Duration wait) {
    toRuntime(l -> l.onClaimed(job, wait));
  }

  @Override
  public void onStarted(JobRow job) {
    toRuntime(l -> l.onStarted(job));
  }

  @Override
  public void onCompleted(JobRow job, Duration d) {
    toRuntime(l -> l.onCompleted(job, d));
  }

  @Override
  public void onRetried(JobRow job, Duration d) {
    toRuntime(l -> l.onRetried(job, d));
  }

  @Override
  public void onFailed(JobRow job, Duration d) {
    toRuntime(l -> l.onFailed(job, d));
  }

  @Override
  public void onCancelled(JobRow job, Duration d) {
    toRuntime(l -> l.onCancelled(job, d));
  }

  @Override
  public void onSnoozed(JobRow job, Duration d) {
    toRuntime(l -> l.onSnoozed(job, d));
  }

  @Override
  public void onLeaderGained(String instanceId) {
    toMaintenance(l -> l.onLeaderGained(instanceId));
  }

  @Override
  public void onLeaderLost(String instanceId, String reason) {
    toMaintenance(l -> l.onLeaderLost(instanceId, reason));
  }

  @Override
  public void onBranchLateness(String branch, Duration lateness) {
    toMaintenance(l -> l.onBranchLateness(branch, lateness));
  }

  @Override
  public void onBranchDuration(String branch, Duration d, boolean success) {
    toMaintenance(l -> l.onBranchDuration(branch, d, success));
  }

  @Override
  public void onBranchSkipped(String branch) {
    toMaintenance(l -> l.onBranchSkipped(branch));
  }

  @Override
  public void onOverrunEpisode(String branch, Duration last, Duration interval) {
    toMaintenance(l -> l.onOverrunEpisode(branch, last, interval));
  }

  @Override
  public void onOverrunRecovered(String branch) {
    toMaintenance(l -> l.onOverrunRecovered(branch));
  }

  @Override
  public void onRescued(String kind, int count, int failed) {
    toMaintenance(l -> l.onRescued(kind, count, failed));
  }

  @Override
  public void onPromoted(int count) {
    toMaintenance(l -> l.onPromoted(count));
  }

  @Override
  public void onCleaned(String state, int count) {
    toMaintenance(l -> l.onCleaned(state, count));
  }

  @Override
  public void onCleanupBacklog(String state, long remaining, Duration overdue) {
    toMaintenance(l -> l.onCleanupBacklog(state, remaining, overdue));
  }

  @Override
  public void onAged(int count) {
    toMaintenance(l -> l.onAged(count));
  }

  @Override
  public void onQueueStats(QueueStats stats) {
    toMaintenance(l -> l.onQueueStats(stats));
  }
}
