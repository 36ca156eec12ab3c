package dev.awa.maintenance;

import dev.awa.core.internal.SafeCall;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** {@link MaintenanceListener#composite}: every event to each listener, each call made safely. */
final class CompositeMaintenanceListener implements MaintenanceListener {
  private final List<MaintenanceListener> listeners;

  CompositeMaintenanceListener(List<MaintenanceListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  private void each(Consumer<MaintenanceListener> call) {
    for (MaintenanceListener l : listeners) {
      SafeCall.run(l, () -> call.accept(l));
    }
  }

  @Override
  public void onLeaderGained(String instanceId) {
    each(l -> l.onLeaderGained(instanceId));
  }

  @Override
  public void onLeaderLost(String instanceId, String reason) {
    each(l -> l.onLeaderLost(instanceId, reason));
  }

  @Override
  public void onBranchLateness(String branch, Duration lateness) {
    each(l -> l.onBranchLateness(branch, lateness));
  }

  @Override
  public void onBranchDuration(String branch, Duration duration, boolean success) {
    each(l -> l.onBranchDuration(branch, duration, success));
  }

  @Override
  public void onBranchSkipped(String branch) {
    each(l -> l.onBranchSkipped(branch));
  }

  @Override
  public void onOverrunEpisode(String branch, Duration lastDuration, Duration interval) {
    each(l -> l.onOverrunEpisode(branch, lastDuration, interval));
  }

  @Override
  public void onOverrunRecovered(String branch) {
    each(l -> l.onOverrunRecovered(branch));
  }

  @Override
  public void onRescued(String kind, int count, int failed) {
    each(l -> l.onRescued(kind, count, failed));
  }

  @Override
  public void onPromoted(int count) {
    each(l -> l.onPromoted(count));
  }

  @Override
  public void onCleaned(String state, int count) {
    each(l -> l.onCleaned(state, count));
  }

  @Override
  public void onCleanupBacklog(String state, long remaining, Duration oldestOverdue) {
    each(l -> l.onCleanupBacklog(state, remaining, oldestOverdue));
  }

  @Override
  public void onAged(int count) {
    each(l -> l.onAged(count));
  }

  @Override
  public void onQueueStats(QueueStats stats) {
    each(l -> l.onQueueStats(stats));
  }
}
