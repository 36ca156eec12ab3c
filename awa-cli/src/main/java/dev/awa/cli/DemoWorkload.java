package dev.awa.cli;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import dev.awa.core.internal.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Enqueues the demo's job mix from one thread until stopped, and remembers the id of every job it
 * enqueued so the summary can prove none was lost.
 *
 * <p>Per 100 ms tick: two emails (queue {@code email}) and one image resize ({@code default});
 * every half second a reminder scheduled 2-4 s out; every 2.5 s an inventory sync that fails twice
 * before it succeeds. Once, at the start: an invoice whose handler hangs past the queue deadline
 * (rescued by the leader) and a card charge confirmed later through its callback.
 */
final class DemoWorkload implements AutoCloseable {
  static final String DEFAULT_QUEUE = "default";
  static final String EMAIL_QUEUE = "email";

  private static final long TICK_MILLIS = 100;

  record Email(String to, String template) {}

  record Image(String path, int width) {}

  record Reminder(String to, String about) {}

  record InventorySync(String warehouse) {}

  record Invoice(long orderId) {}

  record Charge(long orderId, long amountCents) {}

  private final AwaClient client;
  private final Set<Long> enqueuedIds = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Throwable failure;

  DemoWorkload(AwaClient client) {
    this.client = client;
    this.thread = DaemonThreads.thread("awa-demo-enqueue", this::loop);
  }

  /** Starts enqueuing. */
  void start() {
    thread.start();
  }

  private void loop() {
    try {
      // The two one-off situations go first so they have the whole run to play out.
      enqueue(
          NewJob.builder(DemoWorkers.GENERATE_INVOICE)
              .queue(DEFAULT_QUEUE)
              .args(new Invoice(1001)));
      enqueue(
          NewJob.builder(DemoWorkers.CHARGE_CARD)
              .queue(DEFAULT_QUEUE)
              .priority(1)
              .args(new Charge(1001, 4_999)));
      long tick = 0;
      long next = System.nanoTime();
      while (running) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 2; i++) {
          enqueue(
              NewJob.builder(DemoWorkers.SEND_EMAIL)
                  .queue(EMAIL_QUEUE)
                  .args(new Email("user" + random.nextInt(10_000) + "@example.com", "welcome")));
        }
        enqueue(
            NewJob.builder(DemoWorkers.RESIZE_IMAGE)
                .queue(DEFAULT_QUEUE)
                .priority(3)
                .args(new Image("uploads/" + tick + ".jpg", 640)));
        if (tick % 5 == 0) {
          enqueue(
              NewJob.builder(DemoWorkers.SEND_REMINDER)
                  .queue(EMAIL_QUEUE)
                  .runIn(Duration.ofMillis(random.nextLong(2_000, 4_000)))
                  .args(new Reminder("user" + tick + "@example.com", "cart")));
        }
        if (tick % 25 == 0) {
          enqueue(
              NewJob.builder(DemoWorkers.SYNC_INVENTORY)
                  .queue(DEFAULT_QUEUE)
                  .args(new InventorySync("warehouse-" + (tick / 25) % 3)));
        }
        tick++;
        next += TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          TimeUnit.NANOSECONDS.sleep(sleep);
        } else {
          next = System.nanoTime(); // fell behind (busy machine): do not burst to catch up
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  private void enqueue(NewJob.Builder job) {
    JobRow row = client.enqueue(job.build());
    enqueuedIds.add(row.id());
  }

  /** Stops enqueuing and waits for the thread; rethrows what stopped it early, if anything. */
  void stop() throws InterruptedException {
    running = false;
    thread.join(TimeUnit.SECONDS.toMillis(10));
    if (failure != null) {
      throw new IllegalStateException("enqueuing failed: " + failure.getMessage(), failure);
    }
  }

  /** Ids of every job enqueued so far. */
  List<Long> enqueuedIds() {
    return List.copyOf(enqueuedIds);
  }

  /** How many jobs were enqueued so far. */
  long enqueuedCount() {
    return enqueuedIds.size();
  }

  /** Whether the enqueue thread stopped because of an error. */
  boolean failed() {
    return failure != null;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
