package dev.awa.maintenance;

import dev.awa.core.internal.SafeCall;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules one branch on its loop's executor and records its telemetry.
 *
 * <p>Each tick reschedules the next one at the next point of the branch's own grid ({@code start +
 * k·interval}) that lies in the future: a tick that fell behind runs once, late, and the ones it
 * missed are skipped rather than replayed in a burst. Lateness is measured against the grid point,
 * so a branch queued behind a slow one on the same thread shows exactly how long it waited.
 */
final class BranchRunner {
  private static final Logger log = LoggerFactory.getLogger(BranchRunner.class);

  /** Where the once-per-episode WARN and the recovery line go; replaceable in tests. */
  interface OverrunLog {
    OverrunLog SLF4J =
        new OverrunLog() {
          @Override
          public void delayed(String branch, Duration duration, Duration interval, int cooldown) {
            log.warn(
                "awa maintenance branch {} is delayed: its last {} bodies took over {}x its"
                    + " interval {} (last {} ms); skipping {} tick(s) after each run until it"
                    + " recovers",
                branch,
                OverrunTracker.FLIP_AFTER,
                OverrunTracker.OVERRUN_RATIO,
                interval,
                duration.toMillis(),
                cooldown);
          }

          @Override
          public void recovered(String branch, Duration interval) {
            log.info("awa maintenance branch {} is on time again (interval {})", branch, interval);
          }
        };

    void delayed(String branch, Duration duration, Duration interval, int cooldown);

    void recovered(String branch, Duration interval);
  }

  private final MaintenanceBranch branch;
  private final String loopName;
  private final Duration interval;
  private final long intervalNanos;
  private final ScheduledExecutorService executor;
  private final Leadership leadership;
  private final Context context;
  private final MaintenanceListener listener;
  private final OverrunLog overrunLog;
  private final LongSupplier nanoTime;
  private final OverrunTracker tracker;
  private final RecentRuns recentRuns = new RecentRuns();

  // Confined to the loop thread (start and kick hop onto it).
  private long nextScheduledNanos;
  private long generation;
  private volatile boolean stopped;

  // Status, written by the loop thread, read by refresh_admin_metadata and branchStatus().
  private volatile Instant lastStartedAt;
  private volatile Instant lastSuccessAt;
  private volatile Duration lastDuration;
  private volatile String lastError;
  private volatile OverrunState overrunState = OverrunState.ON_TIME;
  private volatile long overrunEpisodes;

  BranchRunner(
      MaintenanceBranch branch,
      String loopName,
      ScheduledExecutorService executor,
      Leadership leadership,
      Context context,
      MaintenanceListener listener,
      OverrunLog overrunLog,
      LongSupplier nanoTime) {
    this.branch = branch;
    this.loopName = loopName;
    this.interval = branch.interval();
    this.intervalNanos = interval.toNanos();
    this.executor = executor;
    this.leadership = leadership;
    this.context = context;
    this.listener = listener;
    this.overrunLog = overrunLog;
    this.nanoTime = nanoTime;
    this.tracker = new OverrunTracker(interval);
  }

  String name() {
    return branch.name();
  }

  void start() {
    kick();
  }

  /**
   * Restarts the branch's grid at now, e.g. when this process becomes leader, so a branch with a
   * long interval runs at once instead of up to one interval later. The chain of ticks scheduled
   * before is abandoned (its generation no longer matches).
   */
  void kick() {
    try {
      executor.execute(
          () -> {
            generation++;
            nextScheduledNanos = nanoTime.getAsLong();
            schedule();
          });
    } catch (RejectedExecutionException e) {
      // The loop is shutting down.
    }
  }

  void stop() {
    stopped = true;
  }

  private void schedule() {
    if (stopped) {
      return;
    }
    long delay = Math.max(0, nextScheduledNanos - nanoTime.getAsLong());
    long g = generation;
    try {
      executor.schedule(() -> tick(g), delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // The loop is shutting down.
    }
  }

  private void tick(long g) {
    if (g != generation) {
      return; // superseded by kick()
    }
    long scheduled = nextScheduledNanos;
    try {
      // Every tick checks leadership first: a follower's ticks are no-ops.
      if (!stopped && leadership.isLeader()) {
        if (tracker.consumeSkip()) {
          SafeCall.run(listener, () -> listener.onBranchSkipped(branch.name()));
        } else {
          runBody(scheduled);
        }
      }
    } catch (Throwable t) {
      // Nothing may kill the loop; runBody already handles the body's own failures.
      log.error("awa maintenance branch {}: tick failed", branch.name(), t);
    } finally {
      long now = nanoTime.getAsLong();
      long next = scheduled + intervalNanos;
      if (next <= now) {
        long missed = (now - scheduled) / intervalNanos;
        next = scheduled + (missed + 1) * intervalNanos;
      }
      nextScheduledNanos = next;
      schedule();
    }
  }

  /** Runs the body once, now, with telemetry. Package-private so tests can drive a tick. */
  void runBody(long scheduledNanos) {
    long start = nanoTime.getAsLong();
    Duration lateness = Duration.ofNanos(Math.max(0, start - scheduledNanos));
    SafeCall.run(listener, () -> listener.onBranchLateness(branch.name(), lateness));
    lastStartedAt = Instant.now();
    boolean success = false;
    try {
      branch.run(context);
      success = true;
    } catch (Exception e) {
      lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
      log.warn("awa maintenance branch {} failed; it runs again next tick", branch.name(), e);
    }
    Duration duration = Duration.ofNanos(nanoTime.getAsLong() - start);
    lastDuration = duration;
    recentRuns.record(duration, lateness);
    if (success) {
      lastSuccessAt = Instant.now();
      lastError = null;
    }
    boolean ok = success;
    SafeCall.run(listener, () -> listener.onBranchDuration(branch.name(), duration, ok));
    recordOverrun(duration);
  }

  private void recordOverrun(Duration duration) {
    OverrunTracker.Transition t = tracker.record(duration);
    overrunState = tracker.state();
    overrunEpisodes = tracker.episodes();
    if (t == OverrunTracker.Transition.BECAME_DELAYED) {
      overrunLog.delayed(branch.name(), duration, interval, tracker.skipRemaining());
      SafeCall.run(listener, () -> listener.onOverrunEpisode(branch.name(), duration, interval));
    } else if (t == OverrunTracker.Transition.RECOVERED) {
      overrunLog.recovered(branch.name(), interval);
      SafeCall.run(listener, () -> listener.onOverrunRecovered(branch.name()));
    }
  }

  BranchStatus status() {
    RecentRuns.Percentiles p = recentRuns.percentiles();
    return new BranchStatus(
        branch.name(),
        loopName,
        interval,
        overrunState,
        overrunEpisodes,
        lastStartedAt,
        lastSuccessAt,
        lastDuration,
        lastError,
        p.runs(),
        p.durationP50(),
        p.durationP99(),
        p.latenessP50(),
        p.latenessP99());
  }
}
