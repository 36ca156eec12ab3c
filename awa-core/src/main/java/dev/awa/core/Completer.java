package dev.awa.core;

import dev.awa.core.internal.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges completed attempts in batches: one thread takes every completion handed to it, waits
 * up to the flush interval (about a millisecond) for more, and completes the batch with one fenced
 * statement. If the batch statement fails, each attempt is completed on its own; one that still
 * fails is kept and retried on the next round, so an ack is never dropped while the runtime lives
 * (its heartbeats keep the lease meanwhile). A stale ack (the job was rescued or cancelled) is
 * logged at debug and dropped.
 */
final class Completer implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);
  static final int MAX_BATCH = 1_000;

  private final AwaClient client;
  private final InFlightJobs inFlight;
  private final AwaListener listener;
  private final long lingerNanos;
  private final ConcurrentLinkedQueue<JobRun> pending = new ConcurrentLinkedQueue<>();

  /**
   * True only while the thread waits for the first completion of a batch: only then does {@link
   * #submit} wake it. While it lingers for more it is not woken per completion (adr/0007 "Fifth
   * pass": that was a thread wake-up for every other job of a drain).
   */
  private volatile boolean awaitingFirst;

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static final long RETRY_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
  private final List<JobRun> retryLater = new ArrayList<>();
  private long retryAtNanos;
  private final Thread thread;
  private volatile boolean stopping;
  private long lastFailureLogNanos;
  private long lastBatchFailureLogNanos = System.nanoTime() - TimeUnit.MINUTES.toNanos(1);
  final LongAdder fallbacks = new LongAdder();
  final LongAdder flushes = new LongAdder();
  final LongAdder flushedJobs = new LongAdder();
  final LongAdder flushNanos = new LongAdder();

  Completer(AwaClient client, InFlightJobs inFlight, Duration flushInterval, String instanceId) {
    this.client = client;
    this.inFlight = inFlight;
    this.listener = client.listener();
    this.lingerNanos = flushInterval.toNanos();
    this.thread = DaemonThreads.thread("awa-completer-" + instanceId, this);
  }

  void start() {
    thread.start();
  }

  /** Hands a completed attempt over; returns at once. */
  void submit(JobRun run) {
    pending.add(run);
    if (awaitingFirst) {
      LockSupport.unpark(thread);
    }
  }

  /** Flushes everything handed over so far, then stops the thread; waits up to {@code timeout}. */
  void stop(Duration timeout) throws InterruptedException {
    stopping = true;
    thread.join(Math.max(1, timeout.toMillis()));
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(1_000);
    }
  }

  @Override
  public void run() {
    List<JobRun> batch = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        JobRun first;
        if (stopping && pending.isEmpty() && !retryLater.isEmpty()) {
          // Only failed acks are left: retry them when due rather than in a hot loop.
          long left = retryAtNanos - System.nanoTime();
          if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
          }
          first = null;
        } else {
          long wait = stopping ? 0 : POLL_NANOS;
          if (!retryLater.isEmpty()) {
            wait = Math.min(wait, Math.max(0, retryAtNanos - System.nanoTime()));
          }
          first = awaitFirst(wait);
        }
        if (first != null) {
          batch.add(first);
          linger(batch);
        }
        // Failed acks ride along with the next flush once due, even while fresh acks keep
        // arriving: waiting for an idle moment starved them (and their slots) under steady load.
        if (!retryLater.isEmpty() && System.nanoTime() - retryAtNanos >= 0) {
          batch.addAll(retryLater);
          retryLater.clear();
        }
        if (batch.isEmpty()) {
          if (stopping && retryLater.isEmpty() && pending.isEmpty()) {
            return;
          }
          continue;
        }
        int waiting = retryLater.size();
        flush(batch);
        batch.clear();
        if (retryLater.size() > waiting) {
          // The database refused even single-row completes: give those a moment. Fresh acks are
          // not held back by this (the old loop slept here and capped every ack at 5 per second
          // per slot until the queue went idle).
          retryAtNanos = System.nanoTime() + RETRY_DELAY_NANOS;
        }
      } catch (InterruptedException e) {
        if (!batch.isEmpty()) {
          retryLater.addAll(batch);
        }
        for (JobRun r; (r = pending.poll()) != null; ) {
          retryLater.add(r);
        }
        if (!retryLater.isEmpty()) {
          log.warn(
              "completer stopped with {} unacknowledged completions; their leases will be"
                  + " rescued and the jobs run again",
              retryLater.size());
        }
        return;
      }
    }
  }

  /** The next completion, waiting up to {@code nanos} for one; null if none came. */
  private JobRun awaitFirst(long nanos) throws InterruptedException {
    JobRun first = pending.poll();
    if (first != null || nanos <= 0) {
      return first;
    }
    long until = System.nanoTime() + nanos;
    awaitingFirst = true;
    try {
      while ((first = pending.poll()) == null && !stopping) {
        long left = until - System.nanoTime();
        if (left <= 0) {
          break;
        }
        parkFor(left);
      }
    } finally {
      awaitingFirst = false;
    }
    return first;
  }

  /** Adds what arrives within the flush interval (at most {@link #MAX_BATCH} in all). */
  private void linger(List<JobRun> batch) throws InterruptedException {
    long until = System.nanoTime() + lingerNanos;
    while (true) {
      for (JobRun r; batch.size() < MAX_BATCH && (r = pending.poll()) != null; ) {
        batch.add(r);
      }
      long left = until - System.nanoTime();
      if (batch.size() >= MAX_BATCH || left <= 0) {
        return;
      }
      parkFor(left);
    }
  }

  /** Parks up to {@code nanos} ({@link #submit} may unpark early); stop's interrupt ends it. */
  private void parkFor(long nanos) throws InterruptedException {
    LockSupport.parkNanos(this, nanos);
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
  }

  private void flush(List<JobRun> batch) {
    Set<Long> done;
    long t0 = System.nanoTime();
    try {
      done = client.leases().completeAttempts(batch);
      flushes.increment();
      flushedJobs.add(batch.size());
      flushNanos.add(System.nanoTime() - t0);
    } catch (RuntimeException e) {
      fallbacks.increment();
      long now = System.nanoTime();
      if (now - lastBatchFailureLogNanos > TimeUnit.SECONDS.toNanos(10)) {
        lastBatchFailureLogNanos = now;
        log.warn("batched complete of {} jobs failed; completing one by one", batch.size(), e);
      } else {
        log.debug("batched complete of {} jobs failed; completing one by one", batch.size(), e);
      }
      flushOneByOne(batch);
      return;
    }
    for (JobRun r : batch) {
      finish(r, done.contains(r.id()));
    }
  }

  private void flushOneByOne(List<JobRun> batch) {
    for (JobRun r : batch) {
      try {
        finish(r, client.leases().completeAttempt(r) == LeaseOutcome.APPLIED);
      } catch (RuntimeException e) {
        long now = System.nanoTime();
        if (now - lastFailureLogNanos > TimeUnit.SECONDS.toNanos(10)) {
          lastFailureLogNanos = now;
          log.warn("complete of job {} failed; will retry", r.id(), e);
        }
        retryLater.add(r);
      }
    }
  }

  private void finish(JobRun r, boolean applied) {
    inFlight.remove(r);
    r.releaseSlot();
    // An applied ack was reported by the lease client (onCompleted, onAcknowledged).
    if (!applied) {
      if (r.takeCancelReport()) {
        Listeners.safely(() -> listener.onCancelled(r.job(), r.handlerDuration()));
      }
      log.debug("completion of job {} was stale (lease {} lost); dropped", r.id(), r.lease());
    }
  }
}
