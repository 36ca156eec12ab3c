package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwaTest
class UniqueJobTest {
  private final TestDatabase db;
  private final AwaClient awa;

  UniqueJobTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private static NewJob unique(String key) {
    return NewJob.builder("report").queue("u").uniqueKey(key).build();
  }

  @Test
  void eightThreadsInsertingTheSameUniqueJobMakeExactlyOneRow() throws Exception {
    for (int round = 0; round < 20; round++) {
      String key = "daily-report-" + round;
      CountDownLatch start = new CountDownLatch(1);
      ConcurrentLinkedQueue<Object> outcomes = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        fs.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    outcomes.add(awa.enqueue(unique(key)));
                  } catch (DuplicateJobException e) {
                    outcomes.add(e);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : fs) {
        f.get();
      }
      pool.shutdown();
      assertThat(outcomes.stream().filter(o -> o instanceof JobRow)).hasSize(1);
      long winner =
          outcomes.stream()
              .filter(o -> o instanceof JobRow)
              .map(o -> ((JobRow) o).id())
              .findFirst()
              .orElseThrow();
      assertThat(outcomes.stream().filter(o -> o instanceof DuplicateJobException))
          .hasSize(7)
          .allSatisfy(
              e -> assertThat(((DuplicateJobException) e).existingJobId()).isEqualTo(winner));
      assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE unique_key = ?", key))
          .isEqualTo(1L);
    }
  }

  @Test
  void enqueueOrGetExistingReturnsTheHolderUnderConcurrency() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<JobRow>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      fs.add(
          pool.submit(
              () -> {
                start.await();
                return awa.enqueueOrGetExisting(unique("shared"));
              }));
    }
    start.countDown();
    Set<Long> ids = new java.util.HashSet<>();
    for (Future<JobRow> f : fs) {
      ids.add(f.get().id());
    }
    pool.shutdown();
    assertThat(ids).hasSize(1);
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isEqualTo(1L);
  }

  @Test
  void keyIsHeldAcrossTableMovesAndReleasedWhenDone() {
    JobRow first = awa.enqueue(unique("k"));
    JobRow claimed = awa.leases().claim("u", 1, Duration.ofMinutes(1), "w").get(0);
    // Retry later moves the row to awa.scheduled_jobs in one statement; the claim must survive.
    awa.leases().retry(claimed, Instant.now().plusSeconds(300), JobError.of(1, new Exception("x")));
    assertThatThrownBy(() -> awa.enqueue(unique("k")))
        .isInstanceOf(DuplicateJobException.class)
        .hasMessageContaining("'k'")
        .hasMessageContaining(String.valueOf(first.id()));

    awa.operator().cancelJob(first.id());
    JobRow second = awa.enqueue(unique("k"));
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(db.queryLong("SELECT job_id FROM awa.job_unique_claims")).isEqualTo(second.id());
  }

  @Test
  void coveringCompletedKeepsTheKeyAfterCompletion() {
    NewJob once =
        NewJob.builder("r")
            .queue("u")
            .uniqueKey("once")
            .uniqueStates(
                java.util.EnumSet.of(
                    JobState.SCHEDULED,
                    JobState.RETRYABLE,
                    JobState.AVAILABLE,
                    JobState.RUNNING,
                    JobState.WAITING_EXTERNAL,
                    JobState.COMPLETED))
            .build();
    awa.enqueue(once);
    JobRow run = awa.leases().claim("u", 1, Duration.ofMinutes(1), "w").get(0);
    assertThat(awa.leases().complete(run)).isEqualTo(LeaseOutcome.APPLIED);
    assertThatThrownBy(() -> awa.enqueue(once)).isInstanceOf(DuplicateJobException.class);
    // Default states release the key when the job finishes.
    awa.enqueue(unique("default"));
    JobRow d = awa.leases().claim("u", 1, Duration.ofMinutes(1), "w").get(0);
    awa.leases().complete(d);
    assertThat(awa.enqueue(unique("default")).state()).isEqualTo(JobState.AVAILABLE);
  }
}
