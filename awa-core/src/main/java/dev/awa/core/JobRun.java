package dev.awa.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One attempt in flight in this runtime, from claim until its outcome is written: the context its
 * handler sees, the handler thread (for deadline interrupts) and the cancel flag raised by NOTIFY,
 * heartbeats, the deadline timer and shutdown.
 */
final class JobRun implements JobContext {
  private final JobRow job;
  private final AwaClient client;
  private final ObjectMapper mapper;
  private final Instant deadline;
  private final long deadlineNanos;

  private volatile String cancelReason;
  private volatile Thread handlerThread;
  private volatile boolean handlerDone;
  private volatile boolean deadlineExceeded;
  private volatile UUID callbackId;
  private volatile ScheduledFuture<?> deadlineTimer;
  volatile long startedNanos;
  private final AtomicReference<Runnable> slot = new AtomicReference<>();

  JobRun(JobRow job, AwaClient client, Duration deadline, long claimedNanos) {
    this.job = job;
    this.client = client;
    this.mapper = client.objectMapper();
    this.deadlineNanos = claimedNanos + deadline.toNanos();
    this.deadline = Instant.now().plus(deadline);
  }

  @Override
  public JobRow job() {
    return job;
  }

  @Override
  public <T> T args(Class<T> type) {
    return job.args(mapper, type);
  }

  @Override
  public Instant deadline() {
    return deadline;
  }

  @Override
  public boolean isCancelled() {
    return cancelReason != null;
  }

  @Override
  public String cancelReason() {
    return cancelReason;
  }

  @Override
  public UUID registerCallback(Duration timeout) {
    Optional<UUID> id = client.registerCallback(job.lease(), timeout);
    if (id.isEmpty()) {
      throw new LeaseLostException(job.id(), "registerCallback");
    }
    callbackId = id.get();
    return callbackId;
  }

  /** Remembers how to free this attempt's handler slot. */
  void holdSlot(Runnable release) {
    slot.set(release);
  }

  /**
   * Frees the handler slot, once. A completed attempt keeps its slot until its acknowledgement is
   * written, so un-acknowledged completions can never pile up beyond the queue's concurrency.
   */
  void releaseSlot() {
    Runnable r = slot.getAndSet(null);
    if (r != null) {
      r.run();
    }
  }

  UUID callbackId() {
    return callbackId;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  /** Raises the cancel flag (first reason wins); the handler sees it through isCancelled(). */
  boolean cancel(String reason) {
    synchronized (this) {
      if (cancelReason != null) {
        return false;
      }
      cancelReason = reason;
      return true;
    }
  }

  /** Called by the deadline timer: raise the flag, then interrupt the handler if still running. */
  void expireDeadline() {
    deadlineExceeded = true;
    cancel("deadline exceeded");
    interruptHandler();
  }

  boolean deadlineExceeded() {
    return deadlineExceeded;
  }

  void interruptHandler() {
    synchronized (this) {
      Thread t = handlerThread;
      if (t != null && !handlerDone) {
        t.interrupt();
      }
    }
  }

  void armDeadline(ScheduledFuture<?> timer) {
    synchronized (this) {
      if (handlerDone) {
        timer.cancel(false);
      } else {
        deadlineTimer = timer;
      }
    }
  }

  void handlerStarted(Thread thread) {
    synchronized (this) {
      handlerThread = thread;
    }
  }

  /**
   * Marks the handler finished so no later interrupt reaches the (pooled) thread, cancels the
   * deadline timer and clears an interrupt that arrived while the handler was returning.
   */
  void handlerFinished() {
    synchronized (this) {
      handlerDone = true;
      handlerThread = null;
      if (deadlineTimer != null) {
        deadlineTimer.cancel(false);
      }
    }
    Thread.interrupted();
  }

  boolean handlerDone() {
    return handlerDone;
  }
}
