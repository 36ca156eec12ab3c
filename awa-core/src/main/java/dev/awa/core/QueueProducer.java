package dev.awa.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim loop of one queue, on its own thread. It holds one permit per handler slot and claims
 * only as many jobs as it holds free permits (at most the claim batch size), so a runtime never
 * holds more attempts than it can run. After a short claim (the queue is drained for now) it sleeps
 * until a notification for its queue arrives or the poll interval passes; after a full claim it
 * claims again as soon as slots free up, gathering them for up to 2 ms (up to half a batch) so a
 * busy queue makes few, larger claims instead of one claim per finished job.
 *
 * <p>A handler that returns a completion frees its slot at once while fewer than the concurrency
 * completions of this queue await their batched ack (the ack budget); beyond that it keeps its slot
 * until the ack is written. So claims overlap with acks instead of waiting for them, and the rows
 * this queue holds in {@code running} stay at most twice its concurrency.
 */
final class QueueProducer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(QueueProducer.class);
  private static final long SLOT_WAIT_MILLIS = 100;

  /** How long a producer with a backlog waits to gather free slots into one claim. */
  private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final QueueConfig queue;
  private final AwaClient client;
  private final JobExecutor executor;
  private final Executor threads;
  private final int batchSize;
  private final Duration pollInterval;
  private final String workerId;
  private final Semaphore slots;

  /**
   * Completions whose handler slot was freed before their ack was written; bounded by the
   * concurrency, so this queue's running rows never exceed twice its concurrency.
   */
  private final Semaphore ackBudget;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeup = lock.newCondition();
  private final Thread thread;
  private boolean wakeRequested;
  private volatile boolean claiming = true;
  private boolean claimFailing;
  private boolean backlog;

  /** Claim statements run and jobs they returned, for diagnostics and the throughput measure. */
  final LongAdder claimStatements = new LongAdder();

  final LongAdder claimedJobs = new LongAdder();
  final LongAdder claimNanos = new LongAdder();

  QueueProducer(
      QueueConfig queue,
      AwaClient client,
      JobExecutor executor,
      Executor threads,
      int batchSize,
      Duration pollInterval,
      String workerId) {
    this.queue = queue;
    this.client = client;
    this.executor = executor;
    this.threads = threads;
    this.batchSize = batchSize;
    this.pollInterval = pollInterval;
    this.workerId = workerId;
    this.slots = new Semaphore(queue.concurrency());
    this.ackBudget = new Semaphore(queue.concurrency());
    this.thread = new Thread(this, "awa-producer-" + queue.name());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  QueueConfig config() {
    return queue;
  }

  /** Claims promptly: a notification arrived, or the listener came back and polls once. */
  void wake() {
    lock.lock();
    try {
      wakeRequested = true;
      wakeup.signal();
    } finally {
      lock.unlock();
    }
  }

  /** Stops claiming and waits for the loop to leave; in-flight attempts keep running. */
  void stopClaiming() throws InterruptedException {
    claiming = false;
    wake();
    thread.join(30_000);
  }

  /** Handler slots in use (running or queued attempts of this queue). */
  int busySlots() {
    return queue.concurrency() - slots.availablePermits();
  }

  @Override
  public void run() {
    try {
      while (claiming) {
        if (!slots.tryAcquire(SLOT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
          continue;
        }
        int held = 1;
        int target = Math.min(batchSize, queue.concurrency());
        if (backlog && target > 1) {
          // The last claim came back full, so more work is waiting: rather than one claim
          // statement per freed slot, gather up to half a batch of slots for a short moment.
          long until = System.nanoTime() + GATHER_NANOS;
          while (held < (target + 1) / 2) {
            long left = until - System.nanoTime();
            if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
              break;
            }
            held++;
          }
        }
        // Only this thread acquires, so the permits seen free stay free until taken.
        int more = Math.min(target - held, slots.availablePermits());
        if (more > 0 && slots.tryAcquire(more)) {
          held += more;
        }
        if (!claiming) {
          slots.release(held);
          break;
        }
        int claimed = claim(held);
        backlog = claimed == held;
        if (!backlog) {
          awaitWake();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int claim(int held) throws InterruptedException {
    List<JobRow> jobs;
    long claimedNanos = System.nanoTime();
    try {
      jobs = client.claim(queue.name(), held, queue.deadline(), workerId);
      claimStatements.increment();
      claimedJobs.add(jobs.size());
      claimNanos.add(System.nanoTime() - claimedNanos);
    } catch (RuntimeException e) {
      slots.release(held);
      if (!claimFailing) {
        claimFailing = true;
        log.warn("claim on queue '{}' failed; retrying every poll interval", queue.name(), e);
      }
      return 0;
    }
    if (claimFailing) {
      claimFailing = false;
      log.info("claims on queue '{}' succeed again", queue.name());
    }
    slots.release(held - jobs.size());
    for (JobRow job : jobs) {
      executor.submit(job, queue.deadline(), claimedNanos, threads, slots::release, ackBudget);
    }
    return jobs.size();
  }

  private void awaitWake() throws InterruptedException {
    lock.lock();
    try {
      long left = pollInterval.toNanos();
      while (!wakeRequested && claiming && left > 0) {
        left = wakeup.awaitNanos(left);
      }
      wakeRequested = false;
    } finally {
      lock.unlock();
    }
  }
}
