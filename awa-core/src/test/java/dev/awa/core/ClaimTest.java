package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwaTest
class ClaimTest {
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  private final TestDatabase db;
  private final AwaClient awa;

  ClaimTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  @Test
  void eightThreadsClaimAndCompleteEveryJobExactlyOnce() throws Exception {
    int total = 10_000;
    List<NewJob> jobs = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      jobs.add(NewJob.builder("noop").queue("race").build());
    }
    awa.enqueueMany(jobs);

    Map<Long, AtomicInteger> claimsPerId = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String worker = "w" + t;
      workers.add(
          pool.submit(
              () -> {
                while (true) {
                  List<JobRow> batch = awa.leases().claim("race", 50, DEADLINE, worker);
                  if (batch.isEmpty()) {
                    return null;
                  }
                  for (JobRow j : batch) {
                    claimsPerId.computeIfAbsent(j.id(), k -> new AtomicInteger()).incrementAndGet();
                  }
                  Set<Long> done = awa.leases().completeMany(batch);
                  assertThat(done).hasSize(batch.size());
                }
              }));
    }
    for (Future<?> f : workers) {
      f.get();
    }
    pool.shutdown();

    assertThat(claimsPerId).hasSize(total);
    assertThat(claimsPerId.values()).allMatch(n -> n.get() == 1);
    assertThat(db.countJobs("completed")).isEqualTo((long) total);
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE attempt <> 1")).isZero();
  }

  @Test
  void claimsFollowPriorityThenRunAtThenId() {
    Instant base = Instant.now().minusSeconds(60);
    long p3 = enqueue(3, base);
    long p1late = enqueue(1, base.plusSeconds(10));
    long p1early = enqueue(1, base);
    long p1earlySecond = enqueue(1, base);
    long p2 = enqueue(2, base.minusSeconds(30));

    List<Long> order = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      order.addAll(awa.leases().claim("order", 1, DEADLINE, "w").stream().map(JobRow::id).toList());
    }
    assertThat(order).containsExactly(p1early, p1earlySecond, p1late, p2, p3);

    enqueue(3, base);
    enqueue(1, base);
    List<JobRow> batch = awa.leases().claim("order", 10, DEADLINE, "w");
    assertThat(batch).extracting(JobRow::priority).containsExactly(1, 3);
  }

  private long enqueue(int priority, Instant runAt) {
    return awa.enqueue(NewJob.builder("o").queue("order").priority(priority).runAt(runAt).build())
        .id();
  }

  @Test
  void claimStampsLeaseAttemptAndDeadline() {
    awa.enqueue(NewJob.builder("x").queue("stamp").build());
    JobRow claimed = awa.leases().claim("stamp", 1, Duration.ofSeconds(90), "worker-7").get(0);
    assertThat(claimed.state()).isEqualTo(JobState.RUNNING);
    assertThat(claimed.attempt()).isEqualTo(1);
    assertThat(claimed.runLease()).isEqualTo(1);
    assertThat(claimed.attemptedBy()).isEqualTo("worker-7");
    assertThat(Duration.between(claimed.attemptedAt(), claimed.deadlineAt()))
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void pausedQueueYieldsNothingUntilResumed() {
    awa.enqueue(NewJob.builder("x").queue("paused").build());
    awa.operator().pauseQueue("paused");
    assertThat(awa.leases().claim("paused", 10, DEADLINE, "w")).isEmpty();
    awa.operator().resumeQueue("paused");
    assertThat(awa.leases().claim("paused", 10, DEADLINE, "w")).hasSize(1);
  }

  @Test
  void claimsOnlyItsOwnQueue() {
    awa.enqueue(NewJob.builder("x").queue("a").build());
    assertThat(awa.leases().claim("b", 10, DEADLINE, "w")).isEmpty();
    assertThat(awa.leases().claim("a", 10, DEADLINE, "w")).hasSize(1);
  }

  @Test
  void claimOrderIsReturnedSorted() {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      jobs.add(NewJob.builder("x").queue("sorted").priority(1 + (i % 4)).build());
    }
    awa.enqueueMany(jobs);
    List<JobRow> batch = awa.leases().claim("sorted", 40, DEADLINE, "w");
    assertThat(batch.stream().map(JobRow::priority).collect(Collectors.toList()))
        .isSortedAccordingTo(Integer::compare);
  }
}
