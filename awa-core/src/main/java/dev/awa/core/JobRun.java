package dev.awa.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One attempt in flight in this runtime, from claim until its outcome is written: the context its
 * handler sees, the handler thread (for deadline interrupts) and the cancel flag raised by NOTIFY,
 * heartbeats, the deadline timer and shutdown.
 */
final class JobRun implements JobContext, LeaseClient.Attempt {
  private final JobRow job;
  private final AwaClient client;
  private final ObjectMapper mapper;
  private final Duration deadlineLength;
  private final long claimedNanos;
  private final Semaphore ackBudget;
  private volatile Instant deadline;
  private volatile long deadlineNanos;

  private volatile String cancelReason;
  private volatile Thread handlerThread;
  private volatile boolean handlerDone;
  private volatile boolean deadlineExceeded;
  private volatile UUID callbackId;
  private volatile ScheduledFuture<?> deadlineTimer;
  volatile long startedNanos;
  private volatile long finishedNanos;
  private volatile boolean operatorCancelled;
  private final java.util.concurrent.atomic.AtomicBoolean cancelReported =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicReference<Runnable> slot = new AtomicReference<>();

  JobRun(JobRow job, AwaClient client, Duration deadline, long claimedNanos, Semaphore ackBudget) {
    this.job = job;
    this.ackBudget = ackBudget;
    this.client = client;
    this.mapper = client.objectMapper();
    this.deadlineLength = deadline;
    this.claimedNanos = claimedNanos;
    // Until the handler starts, the deadline counts from the claim; started() restarts it.
    this.deadlineNanos = claimedNanos + deadline.toNanos();
    this.deadline = Instant.now().plus(deadline);
  }

  /**
   * Starts the attempt's deadline now: a job that waited in the claim-ahead buffer gets its full
   * deadline from the moment its handler starts (the claim stamped {@code deadline_at} with the
   * buffer's wait limit on top, so the database's deadline never passes before this one).
   */
  void startDeadline() {
    long now = System.nanoTime();
    this.deadlineNanos = now + deadlineLength.toNanos();
    this.deadline = Instant.now().plus(deadlineLength);
  }

  /** When this attempt was claimed ({@link System#nanoTime()}). */
  long claimedNanos() {
    return claimedNanos;
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
    Optional<UUID> id = client.leases().registerCallback(job, timeout);
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
   * Called when the handler returned a completion that now waits for its batched ack. If the
   * queue's ack budget has room (fewer pending acks than its concurrency), the handler slot is
   * freed at once and the attempt holds one unit of the ack budget instead, returned by {@link
   * #releaseSlot()} once the ack is written; otherwise the attempt keeps its slot until then. So
   * the runtime holds at most concurrency running handlers plus concurrency pending acks per queue
   * (running rows ≤ 2 × concurrency), and claims overlap with acks instead of waiting for them.
   */
  void awaitingAck() {
    if (ackBudget != null && ackBudget.tryAcquire()) {
      Runnable handlerSlot = slot.getAndSet(ackBudget::release);
      if (handlerSlot != null) {
        handlerSlot.run();
      }
    }
  }

  /**
   * Frees what this attempt holds, once: its handler slot, or (a completion waiting for its ack
   * that already gave its slot back, see {@link #awaitingAck}) its unit of the ack budget.
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
      if (!handlerDone) {
        finishedNanos = System.nanoTime();
      }
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

  /**
   * Time spent in the handler: from its start to its return (so far, while it runs; zero if it
   * never started). Ack time is not included.
   */
  @Override
  public Duration handlerDuration() {
    long start = startedNanos;
    if (start == 0) {
      return Duration.ZERO;
    }
    long end = handlerDone ? finishedNanos : System.nanoTime();
    return Duration.ofNanos(Math.max(0, end - start));
  }

  /** When the handler returned ({@link System#nanoTime()}), 0 while it runs or never ran. */
  @Override
  public long finishedNanos() {
    return handlerDone ? finishedNanos : 0;
  }

  /** Records that an operator cancelled this attempt (its row is {@code cancelled}). */
  void markOperatorCancelled() {
    operatorCancelled = true;
  }

  /**
   * True exactly once, and only for an attempt an operator cancelled: whoever sees the attempt end
   * (dropped from the buffer, or its outcome found stale) reports {@code onCancelled} then.
   */
  boolean takeCancelReport() {
    return operatorCancelled && cancelReported.compareAndSet(false, true);
  }
}
