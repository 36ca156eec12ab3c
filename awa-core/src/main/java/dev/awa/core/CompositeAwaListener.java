package dev.awa.core;

import dev.awa.core.internal.SafeCall;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** See {@link AwaListener#composite(AwaListener...)}. */
final class CompositeAwaListener implements AwaListener {
  private final List<AwaListener> listeners;

  CompositeAwaListener(List<AwaListener> listeners) {
    this.listeners = listeners;
  }

  private void each(Consumer<AwaListener> call) {
    for (AwaListener l : listeners) {
      SafeCall.run(l, () -> call.accept(l));
    }
  }

  @Override
  public void onEnqueued(String queue, String kind, int count) {
    each(l -> l.onEnqueued(queue, kind, count));
  }

  @Override
  public void onClaimed(JobRow job, Duration wait) {
    each(l -> l.onClaimed(job, wait));
  }

  @Override
  public void onStarted(JobRow job) {
    each(l -> l.onStarted(job));
  }

  @Override
  public void onCompleted(JobRow job, Duration handlerDuration) {
    each(l -> l.onCompleted(job, handlerDuration));
  }

  @Override
  public void onAcknowledged(JobRow job, Duration ackLatency) {
    each(l -> l.onAcknowledged(job, ackLatency));
  }

  @Override
  public void onRetried(JobRow job, Duration handlerDuration) {
    each(l -> l.onRetried(job, handlerDuration));
  }

  @Override
  public void onFailed(JobRow job, Duration handlerDuration) {
    each(l -> l.onFailed(job, handlerDuration));
  }

  @Override
  public void onCancelled(JobRow job, Duration handlerDuration) {
    each(l -> l.onCancelled(job, handlerDuration));
  }

  @Override
  public void onSnoozed(JobRow job, Duration handlerDuration) {
    each(l -> l.onSnoozed(job, handlerDuration));
  }

  @Override
  public void onListenerModeChanged(String instanceId, ListenerMode mode) {
    each(l -> l.onListenerModeChanged(instanceId, mode));
  }
}
