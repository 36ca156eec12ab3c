package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operator actions that meet a conflict answer with a documented type, never a raw {@link
 * AwaSqlException}: retrying a finished unique job whose key a successor holds throws {@link
 * DuplicateJobException} naming the key and the holder, and leaves the job unchanged.
 */
@AwaTest
class OperatorAnswersTest {
  private final TestDatabase db;
  private final AwaClient awa;

  OperatorAnswersTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private JobRow finishedUnique(String key) {
    awa.enqueue(NewJob.builder("report").queue("ops").uniqueKey(key).build());
    JobRow running = awa.leases().claim("ops", 1, Duration.ofMinutes(5), "w").get(0);
    assertThat(awa.leases().complete(running)).isEqualTo(LeaseOutcome.APPLIED);
    return running;
  }

  @Test
  void retryingAFinishedUniqueJobWhoseKeyASuccessorHoldsNamesTheHolder() {
    JobRow finished = finishedUnique("report-2026-12");
    JobRow successor =
        awa.enqueue(NewJob.builder("report").queue("ops").uniqueKey("report-2026-12").build());

    assertThatThrownBy(() -> awa.operator().retryJob(finished.id()))
        .isInstanceOfSatisfying(
            DuplicateJobException.class,
            e -> {
              assertThat(e.uniqueKey()).isEqualTo("report-2026-12");
              assertThat(e.existingJobId()).isEqualTo(successor.id());
            });
    assertThat(awa.operator().getJob(finished.id()).orElseThrow().state())
        .isEqualTo(JobState.COMPLETED);
    assertThat(db.queryLong("SELECT job_id FROM awa.job_unique_claims")).isEqualTo(successor.id());

    // Once the successor is gone the key is free and the retry goes through.
    assertThat(awa.operator().cancelJob(successor.id())).isTrue();
    assertThat(awa.operator().retryJob(finished.id())).isTrue();
    assertThat(awa.operator().getJob(finished.id()).orElseThrow().state())
        .isEqualTo(JobState.AVAILABLE);
    assertThat(db.queryLong("SELECT job_id FROM awa.job_unique_claims")).isEqualTo(finished.id());
  }

  @Test
  void concurrentRetriesOfTwoFinishedJobsWithOneKeyLetExactlyOneThrough() throws Exception {
    for (int round = 0; round < 20; round++) {
      db.truncateJobs();
      JobRow a = finishedUnique("k");
      JobRow b = finishedUnique("k");
      CyclicBarrier barrier = new CyclicBarrier(2);
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Object>> results = new ArrayList<>();
      for (JobRow job : List.of(a, b)) {
        Callable<Object> retry =
            () -> {
              barrier.await();
              try {
                return awa.operator().retryJob(job.id());
              } catch (DuplicateJobException e) {
                return e;
              }
            };
        results.add(pool.submit(retry));
      }
      List<Object> answers = new ArrayList<>();
      for (Future<Object> f : results) {
        answers.add(f.get());
      }
      pool.shutdown();
      assertThat(answers).filteredOn(Boolean.TRUE::equals).hasSize(1);
      assertThat(answers).filteredOn(DuplicateJobException.class::isInstance).hasSize(1);
      assertThat(db.countJobs("available")).isEqualTo(1);
      assertThat(db.countJobs("completed")).isEqualTo(1);
    }
  }

  @Test
  void wrongStateAndUnknownIdAreAnsweredWithFalse() {
    awa.enqueue(NewJob.builder("report").queue("ops").build());
    JobRow running = awa.leases().claim("ops", 1, Duration.ofMinutes(5), "w").get(0);
    assertThat(awa.operator().retryJob(running.id())).isFalse();
    assertThat(awa.operator().retryJob(Long.MAX_VALUE)).isFalse();
    assertThat(awa.operator().cancelJob(Long.MAX_VALUE)).isFalse();
    assertThat(awa.leases().complete(running)).isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.operator().cancelJob(running.id())).isFalse();
  }
}
