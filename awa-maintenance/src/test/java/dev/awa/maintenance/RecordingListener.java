package dev.awa.maintenance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Records what the SPI reports, thread-safely. */
class RecordingListener implements MaintenanceListener {
  final AtomicInteger gained = new AtomicInteger();
  final List<String> lostReasons = new CopyOnWriteArrayList<>();
  final Map<String, List<Duration>> lateness = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> episodes = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> recoveries = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> rescued = new ConcurrentHashMap<>();
  final AtomicLong promoted = new AtomicLong();
  final Map<String, AtomicLong> cleaned = new ConcurrentHashMap<>();
  final Map<String, Long> backlog = new ConcurrentHashMap<>();
  volatile QueueStats lastStats;

  @Override
  public void onLeaderGained(String instanceId) {
    gained.incrementAndGet();
  }

  @Override
  public void onLeaderLost(String instanceId, String reason) {
    lostReasons.add(reason);
  }

  @Override
  public void onBranchLateness(String branch, Duration l) {
    lateness.computeIfAbsent(branch, k -> new CopyOnWriteArrayList<>()).add(l);
  }

  @Override
  public void onBranchDuration(String branch, Duration duration, boolean success) {
    (success ? runs : failures).computeIfAbsent(branch, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void onOverrunEpisode(String branch, Duration lastDuration, Duration interval) {
    episodes.computeIfAbsent(branch, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void onOverrunRecovered(String branch) {
    recoveries.computeIfAbsent(branch, k -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void onRescued(String kind, int count, int failed) {
    rescued.computeIfAbsent(kind, k -> new AtomicInteger()).addAndGet(count);
  }

  @Override
  public void onPromoted(int count) {
    promoted.addAndGet(count);
  }

  @Override
  public void onCleaned(String state, int count) {
    cleaned.computeIfAbsent(state, k -> new AtomicLong()).addAndGet(count);
  }

  @Override
  public void onCleanupBacklog(String state, long remaining, Duration oldestOverdue) {
    backlog.put(state, remaining);
  }

  @Override
  public void onQueueStats(QueueStats stats) {
    lastStats = stats;
  }

  int count(Map<String, AtomicInteger> m, String key) {
    AtomicInteger v = m.get(key);
    return v == null ? 0 : v.get();
  }
}
