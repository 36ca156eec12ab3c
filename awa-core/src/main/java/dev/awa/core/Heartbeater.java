package dev.awa.core;

import dev.awa.core.internal.DaemonThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this runtime's leases alive: every heartbeat interval it refreshes {@code heartbeat_at} of
 * every in-flight attempt, {@value #BATCH} per statement, and the runtime's own row in {@code
 * awa.runtime_instances}. An attempt missing from a batch's result lost its lease (an operator
 * cancelled it or the leader rescued it): its handler is told through {@link
 * JobContext#isCancelled()}. When heartbeats have failed for longer than the staleness, the leader
 * may already have rescued every lease, so every in-flight handler is told to stop.
 */
final class Heartbeater {
  private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);
  static final int BATCH = 1_000;

  private final AwaClient client;
  private final InFlightJobs inFlight;
  private final InstanceRegistration instance;
  private final Duration interval;
  private final Duration staleness;
  private final ScheduledExecutorService scheduler;
  private volatile long lastSuccessNanos = System.nanoTime();
  private boolean failing;

  Heartbeater(
      AwaClient client,
      InFlightJobs inFlight,
      InstanceRegistration instance,
      Duration interval,
      Duration staleness,
      String instanceId) {
    this.client = client;
    this.inFlight = inFlight;
    this.instance = instance;
    this.interval = interval;
    this.staleness = staleness;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("awa-heartbeat-" + instanceId));
  }

  void start() {
    long ms = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops the loop after the tick in progress, if any. */
  void stop() throws InterruptedException {
    scheduler.shutdown();
    if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
      scheduler.shutdownNow();
    }
  }

  void tick() {
    boolean ok = true;
    List<JobRun> runs = inFlight.snapshot();
    for (int from = 0; from < runs.size(); from += BATCH) {
      List<JobRun> batch = runs.subList(from, Math.min(runs.size(), from + BATCH));
      ok &= beat(batch);
    }
    try {
      instance.touch();
    } catch (RuntimeException e) {
      ok = false;
      log.debug("refreshing the runtime instance row failed", e);
    }
    if (ok) {
      lastSuccessNanos = System.nanoTime();
      if (failing) {
        failing = false;
        log.info("heartbeats succeed again");
      }
    } else if (System.nanoTime() - lastSuccessNanos > staleness.toNanos()) {
      for (JobRun r : inFlight.view()) {
        if (!r.handlerDone() && r.cancel("heartbeats failed for longer than the staleness")) {
          log.warn(
              "job {}: heartbeats failed for longer than {}; asking it to stop", r.id(), staleness);
        }
      }
    }
  }

  private boolean beat(List<JobRun> batch) {
    List<JobRow> rows = new ArrayList<>(batch.size());
    for (JobRun r : batch) {
      rows.add(r.job());
    }
    Set<Long> alive;
    try {
      alive = new HashSet<>(client.leases().heartbeat(rows));
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        log.warn("heartbeat of {} jobs failed; will keep trying", batch.size(), e);
      }
      return false;
    }
    for (JobRun r : batch) {
      if (!alive.contains(r.id()) && !r.handlerDone() && r.cancel("lease lost")) {
        log.info(
            "job {} lost its lease (cancelled or rescued); asking its handler to stop", r.id());
      }
    }
    return true;
  }
}
