package dev.awa.cli;

import dev.awa.core.AwaClient;
import dev.awa.core.CallbackOutcome;
import dev.awa.core.internal.DaemonThreads;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays the payment provider of the callback job: it receives a callback id from the handler and,
 * on its own thread a moment later, resolves it with {@link
 * dev.awa.core.CallbackClient#completeCallback} as a webhook handler in a real service would.
 */
final class DemoExternalSystem implements AutoCloseable {
  /** Long enough for the handler to return and the job to be parked in waiting_external. */
  private static final long CONFIRM_DELAY_MILLIS = 1_500;

  private final AwaClient client;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("awa-demo-payment-provider"));
  private final AtomicLong resolved = new AtomicLong();

  DemoExternalSystem(AwaClient client) {
    this.client = client;
  }

  /** Schedules the confirmation of {@code callbackId} (job {@code jobId}). */
  void confirmLater(UUID callbackId, long jobId) {
    thread.schedule(
        () -> {
          CallbackOutcome outcome =
              client
                  .callbacks()
                  .completeCallback(
                      callbackId, Map.of("payment", "captured", "provider_ref", "pay_" + jobId));
          if (outcome == CallbackOutcome.RESOLVED) {
            resolved.incrementAndGet();
          }
        },
        CONFIRM_DELAY_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  /** Callbacks this provider resolved. */
  long resolved() {
    return resolved.get();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
