package dev.awa.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Closes what the demo opened, newest first (enqueuer, runtime, maintenance, pool, embedded server,
 * ...), each exactly once, whether the demo ends normally or the JVM is stopped with Ctrl-C or
 * SIGTERM.
 *
 * <p>On a signal the JVM runs shutdown hooks while the demo's own thread keeps running. Closing
 * from the hook while that thread still uses the pool is what made an interrupted demo print pages
 * of connection errors, so the hook does not close anything itself at first: it interrupts the
 * thread that owns the sequence and waits for it to unwind through {@link #close()}, which closes
 * in order on that one thread. Only if the owner has not finished within {@link #TAKEOVER_AFTER}
 * (stuck in a statement, say) does the hook close what is left, so no postgres process or data
 * directory outlives the JVM. Steps registered with a report print one line each as they finish.
 */
final class ShutdownSequence implements AutoCloseable {
  /** Longer than any orderly close (the runtime's drain is the longest step). */
  static final Duration TAKEOVER_AFTER = Duration.ofSeconds(10);

  /** One thing to close and, when named, the line that reports it during an interrupted run. */
  private record Step(AutoCloseable resource, Supplier<String> report) {}

  private final Deque<Step> steps = new ArrayDeque<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final PrintWriter out;
  private final Thread owner;
  private final Thread hook = new Thread(this::onSignal, "awa-demo-shutdown");
  private volatile Runnable beforeReport = () -> {};
  private final AtomicBoolean reportedEnd = new AtomicBoolean();
  private volatile boolean interrupted;
  private volatile long interruptedAtNanos;
  private boolean accepting = true;

  /**
   * A sequence owned by the calling thread, which is interrupted on a signal; interrupted-run
   * reports go to {@code out}.
   */
  ShutdownSequence(PrintWriter out) {
    this.out = out;
    this.owner = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Registers {@code resource} to be closed before everything registered earlier. */
  <T extends AutoCloseable> T add(T resource) {
    return add(resource, null);
  }

  /**
   * As {@link #add(AutoCloseable)}; when the run is interrupted, {@code report} (read just before
   * the resource is closed, so it can say what there was to close) is printed with how long closing
   * took.
   */
  <T extends AutoCloseable> T add(T resource, Supplier<String> report) {
    Step step = new Step(resource, report);
    synchronized (this) {
      if (accepting) {
        steps.push(step);
        return resource;
      }
    }
    // The hook took over while the owner was still starting this (e.g. a server): close it
    // rather than leave it running past the JVM.
    closeOne(step);
    throw new IllegalStateException("already shut down");
  }

  /** Runs {@code action} first when a signal arrives, e.g. to end a live progress line. */
  void beforeReport(Runnable action) {
    this.beforeReport = action;
  }

  /** Whether a signal stopped the run; the owner then returns quietly instead of failing. */
  boolean interrupted() {
    return interrupted;
  }

  /** Closes {@code resource} now instead of at the end, e.g. the runtime before the summary. */
  void closeNow(AutoCloseable resource) {
    Step step = null;
    synchronized (this) {
      for (Step s : steps) {
        if (s.resource() == resource) {
          step = s;
          break;
        }
      }
      if (step != null) {
        steps.remove(step);
      }
    }
    if (step != null) {
      closeOne(step);
    }
  }

  /** Closes everything left, newest first; steps are taken one at a time, so two closers share. */
  private void closeRemaining() {
    synchronized (this) {
      accepting = false;
    }
    while (true) {
      Step next;
      synchronized (this) {
        next = steps.poll();
      }
      if (next == null) {
        break;
      }
      closeOne(next);
    }
    if (interrupted && reportedEnd.compareAndSet(false, true)) {
      say(
          "stopped in "
              + Formats.duration(Duration.ofNanos(System.nanoTime() - interruptedAtNanos))
              + " (interrupted)");
    }
    finished.countDown();
  }

  private void closeOne(Step step) {
    if (interrupted) {
      // An interrupt meant for a sleep must not cut short a drain or a hand-back.
      Thread.interrupted();
    }
    String report = interrupted && step.report() != null ? step.report().get() : null;
    long start = System.nanoTime();
    try {
      step.resource().close();
    } catch (Exception e) {
      // Keep closing the rest: a failed runtime close must not leave the server running.
      if (report != null) {
        report += " (failed: " + e.getMessage() + ")";
      }
    }
    if (report != null) {
      say(
          "  "
              + report
              + " ("
              + Formats.duration(Duration.ofNanos(System.nanoTime() - start))
              + ")");
    }
  }

  /** The shutdown hook: hands the work to the owner thread, takes over only if it is stuck. */
  private void onSignal() {
    if (finished.getCount() == 0) {
      return;
    }
    interruptedAtNanos = System.nanoTime();
    interrupted = true;
    beforeReport.run();
    say("interrupted: shutting down in order");
    owner.interrupt();
    try {
      if (finished.await(TAKEOVER_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeRemaining();
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  @Override
  public void close() {
    closeRemaining();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook is running and waits for this close.
    }
  }
}
