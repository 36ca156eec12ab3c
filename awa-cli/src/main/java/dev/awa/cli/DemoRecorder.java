package dev.awa.cli;

import dev.awa.core.AwaListener;
import dev.awa.core.JobRow;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.QueueStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records what the demo's runtime and maintenance service report through the telemetry SPI: job
 * outcome counts, rescues, leadership, the latest queue snapshot, and per maintenance branch every
 * body duration and start lateness. The progress line and the summary read it; nothing here talks
 * to the database.
 *
 * <p>A demo run makes at most a few thousand branch ticks, so plain sample lists are enough for
 * exact percentiles (no histogram library needed).
 */
final class DemoRecorder implements AwaListener, MaintenanceListener {
  private final AtomicLong enqueued = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();
  private final AtomicLong promoted = new AtomicLong();
  private final Map<String, AtomicLong> rescued = new ConcurrentHashMap<>();
  private final Map<String, Branch> branches = new ConcurrentHashMap<>();
  private final AtomicReference<QueueStats> lastQueueStats = new AtomicReference<>();
  private volatile boolean leader;

  /** The samples of one maintenance branch. */
  static final class Branch {
    private final List<Long> durationsNanos = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> latenessNanos = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong overrunEpisodes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** Body runs recorded so far. */
    long runs() {
      return durationsNanos.size();
    }

    long failures() {
      return failures.get();
    }

    long overrunEpisodes() {
      return overrunEpisodes.get();
    }

    /** The 99th percentile body duration, or null before the first run. */
    Duration p99Duration() {
      return percentile(durationsNanos, 0.99);
    }

    /** The 99th percentile start lateness, or null before the first run. */
    Duration p99Lateness() {
      return percentile(latenessNanos, 0.99);
    }

    /** The largest start lateness so far, or null. */
    Duration maxLateness() {
      return percentile(latenessNanos, 1.0);
    }
  }

  /** Nearest-rank percentile of {@code samples}; null when empty. */
  static Duration percentile(List<Long> samples, double quantile) {
    long[] sorted;
    synchronized (samples) {
      sorted = samples.stream().mapToLong(Long::longValue).sorted().toArray();
    }
    if (sorted.length == 0) {
      return null;
    }
    int rank = (int) Math.ceil(quantile * sorted.length);
    return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
  }

  private Branch branch(String name) {
    return branches.computeIfAbsent(name, n -> new Branch());
  }

  // --- AwaListener -------------------------------------------------------------------------

  @Override
  public void onEnqueued(String queue, String kind, int count) {
    enqueued.addAndGet(count);
  }

  @Override
  public void onCompleted(JobRow job, Duration handlerDuration) {
    completed.incrementAndGet();
  }

  @Override
  public void onRetried(JobRow job, Duration handlerDuration) {
    retried.incrementAndGet();
  }

  @Override
  public void onFailed(JobRow job, Duration handlerDuration) {
    failed.incrementAndGet();
  }

  @Override
  public void onCancelled(JobRow job, Duration handlerDuration) {
    cancelled.incrementAndGet();
  }

  // --- MaintenanceListener -----------------------------------------------------------------

  @Override
  public void onLeaderGained(String instanceId) {
    leader = true;
  }

  @Override
  public void onLeaderLost(String instanceId, String reason) {
    leader = false;
  }

  @Override
  public void onBranchLateness(String branch, Duration lateness) {
    branch(branch).latenessNanos.add(Math.max(0, lateness.toNanos()));
  }

  @Override
  public void onBranchDuration(String branch, Duration duration, boolean success) {
    Branch b = branch(branch);
    b.durationsNanos.add(duration.toNanos());
    if (!success) {
      b.failures.incrementAndGet();
    }
  }

  @Override
  public void onOverrunEpisode(String branch, Duration lastDuration, Duration interval) {
    branch(branch).overrunEpisodes.incrementAndGet();
  }

  @Override
  public void onRescued(String kind, int count, int failedForGood) {
    rescued.computeIfAbsent(kind, k -> new AtomicLong()).addAndGet(count);
  }

  @Override
  public void onPromoted(int count) {
    promoted.addAndGet(count);
  }

  @Override
  public void onQueueStats(QueueStats stats) {
    lastQueueStats.set(stats);
  }

  // --- reads -------------------------------------------------------------------------------

  long enqueued() {
    return enqueued.get();
  }

  long completed() {
    return completed.get();
  }

  long retried() {
    return retried.get();
  }

  long failed() {
    return failed.get();
  }

  long cancelled() {
    return cancelled.get();
  }

  long promoted() {
    return promoted.get();
  }

  /** Jobs rescued by the leader, by rescue kind ({@code heartbeat}, {@code deadline}, ...). */
  Map<String, Long> rescued() {
    Map<String, Long> copy = new java.util.TreeMap<>();
    rescued.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  boolean isLeader() {
    return leader;
  }

  /** The latest {@code queue_stats} snapshot, or null before the first. */
  QueueStats lastQueueStats() {
    return lastQueueStats.get();
  }

  /** The branch recorded under {@code name}, or null if it never ran. */
  Branch branchOrNull(String name) {
    return branches.get(name);
  }
}
