package dev.awa.cli;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobContext;
import dev.awa.core.JobResult;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The demo's job handlers, one per kind. Each one plays a realistic situation: quick work, an
 * upstream that fails twice before it answers, a call that hangs past its deadline and ignores
 * cancellation, and a payment confirmed later by an external system.
 */
final class DemoWorkers {
  static final String SEND_EMAIL = "send_email";
  static final String RESIZE_IMAGE = "resize_image";
  static final String SEND_REMINDER = "send_reminder";
  static final String SYNC_INVENTORY = "sync_inventory";
  static final String GENERATE_INVOICE = "generate_invoice";
  static final String CHARGE_CARD = "charge_card";
  static final String REPORT_SNAPSHOT = "report_snapshot";

  /** How often the hung handler looks whether the leader has taken its job away. */
  private static final long STUCK_POLL_MILLIS = 200;

  /**
   * Upper bound on how long the hung handler blocks when no rescue comes (e.g. the leader is
   * another process with default intervals), so the demo can always shut down.
   */
  private static final Duration STUCK_LIMIT = Duration.ofSeconds(60);

  private final AwaClient client;
  private final DemoExternalSystem externalSystem;

  DemoWorkers(AwaClient client, DemoExternalSystem externalSystem) {
    this.client = client;
    this.externalSystem = externalSystem;
  }

  /** Registers every demo kind on {@code builder}. */
  AwaRuntime.Builder registerAll(AwaRuntime.Builder builder) {
    return builder
        .register(SEND_EMAIL, ctx -> work(5, 40))
        .register(RESIZE_IMAGE, ctx -> work(10, 80))
        .register(SEND_REMINDER, ctx -> work(5, 20))
        .register(REPORT_SNAPSHOT, ctx -> work(20, 60))
        .register(SYNC_INVENTORY, this::flakyUpstream)
        .register(GENERATE_INVOICE, this::hangsPastDeadline)
        .register(CHARGE_CARD, this::chargeWithCallback);
  }

  private static JobResult work(int minMillis, int maxMillis) throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(minMillis, maxMillis + 1));
    return JobResult.completed();
  }

  /**
   * An upstream that answers 503 twice: the exception is recorded in the job's error list and the
   * runtime retries with its backoff; the third attempt succeeds.
   */
  private JobResult flakyUpstream(JobContext ctx) throws Exception {
    if (ctx.attempt() <= 2) {
      throw new IllegalStateException(
          "inventory service answered 503 (simulated, attempt " + ctx.attempt() + ")");
    }
    return work(10, 30);
  }

  /**
   * The first attempt hangs like a call without a timeout: it swallows the interrupt the runtime
   * sends at the deadline and keeps blocking. Only the maintenance leader's {@code
   * rescue_expired_deadlines} frees the job (it moves the row to {@code retryable} with a new
   * lease), so the handler blocks until it sees that; whatever it returns afterwards is fenced out.
   * The retry completes at once.
   */
  private JobResult hangsPastDeadline(JobContext ctx) {
    if (ctx.attempt() > 1) {
      return JobResult.completed();
    }
    long limit = System.nanoTime() + STUCK_LIMIT.toNanos();
    while (System.nanoTime() < limit && stillMine(ctx)) {
      sleepUninterruptibly(STUCK_POLL_MILLIS);
    }
    return JobResult.completed(); // STALE if rescued: the fenced write changes nothing
  }

  private boolean stillMine(JobContext ctx) {
    try {
      Optional<JobRow> row = client.operator().getJob(ctx.id());
      return row.isPresent()
          && row.get().state() == JobState.RUNNING
          && row.get().runLease() == ctx.lease().runLease();
    } catch (RuntimeException e) {
      return true; // a transient read failure: keep hanging, as the real call would
    }
  }

  /** Sleeps, swallowing interrupts on purpose: this handler simulates one that hangs. */
  private static void sleepUninterruptibly(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        // The runtime interrupts at the deadline; a hung call would not notice either.
      }
    }
  }

  /**
   * Hands a callback id to the payment provider (the demo's external system) and parks the job,
   * freeing the worker slot; the provider confirms from its own thread a moment later.
   */
  private JobResult chargeWithCallback(JobContext ctx) {
    var callbackId = ctx.registerCallback(Duration.ofMinutes(5));
    externalSystem.confirmLater(callbackId, ctx.id());
    return JobResult.waitForCallback();
  }
}
