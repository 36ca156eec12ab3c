package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwaTest
class LeaseOutcomeTest {
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  private final TestDatabase db;
  private final AwaClient awa;

  LeaseOutcomeTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private JobRow claimOne() {
    awa.enqueue(NewJob.builder("k").queue("q").maxAttempts(3).build());
    return awa.claim("q", 1, DEADLINE, "w").get(0);
  }

  @Test
  void staleCompletionAfterReclaimChangesNothing() {
    JobRow first = claimOne();
    // The first attempt is taken away (as a rescue would) and the job is claimed again.
    db.update("UPDATE awa.jobs SET state = 'available' WHERE id = ?", first.id());
    JobRow second = awa.claim("q", 1, DEADLINE, "w2").get(0);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.runLease()).isEqualTo(first.runLease() + 1);

    assertThat(awa.complete(first.lease())).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.fail(first.lease(), JobError.of(1, new RuntimeException("late"))))
        .isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.completeMany(List.of(first.lease()))).isEmpty();
    assertThat(awa.heartbeat(List.of(first.lease()))).isEmpty();
    JobRow now = awa.operator().getJob(first.id()).orElseThrow();
    assertThat(now.state()).isEqualTo(JobState.RUNNING);
    assertThat(now.runLease()).isEqualTo(second.runLease());
    assertThat(now.errors()).isEmpty();

    assertThat(awa.complete(second.lease())).isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.complete(second.lease())).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.operator().getJob(first.id()).orElseThrow().state())
        .isEqualTo(JobState.COMPLETED);
  }

  @Test
  void retryLaterMovesToScheduledWithTheErrorRecorded() {
    JobRow job = claimOne();
    Instant later = Instant.now().plusSeconds(600);
    assertThat(awa.retry(job.lease(), later, JobError.of(1, new IllegalStateException("boom"))))
        .isEqualTo(LeaseOutcome.APPLIED);
    JobRow row = awa.operator().getJob(job.id()).orElseThrow();
    assertThat(row.state()).isEqualTo(JobState.RETRYABLE);
    assertThat(row.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("boom");
              assertThat(e.errorClass()).isEqualTo(IllegalStateException.class.getName());
              assertThat(e.attempt()).isEqualTo(1);
            });
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE id = ?", job.id())).isZero();
  }

  @Test
  void retryNowStaysAvailableAndIsClaimableAgain() {
    JobRow job = claimOne();
    assertThat(
            awa.retry(
                job.lease(), Instant.now().minusSeconds(1), JobError.of(1, new Exception("x"))))
        .isEqualTo(LeaseOutcome.APPLIED);
    JobRow again = awa.claim("q", 1, DEADLINE, "w").get(0);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.errors()).hasSize(1);
  }

  @Test
  void snoozeDoesNotCountTheAttempt() {
    JobRow job = claimOne();
    assertThat(awa.snooze(job.lease(), Duration.ofMinutes(10))).isEqualTo(LeaseOutcome.APPLIED);
    JobRow row = awa.operator().getJob(job.id()).orElseThrow();
    assertThat(row.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(row.attempt()).isZero();

    JobRow job2 = claimOne();
    assertThat(awa.snooze(job2.lease(), Duration.ZERO)).isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.claim("q", 1, DEADLINE, "w").get(0).attempt()).isEqualTo(1);
  }

  @Test
  void failAndCancelAreTerminalAndFenced() {
    JobRow a = claimOne();
    assertThat(awa.fail(a.lease(), JobError.of(1, new RuntimeException("bad"))))
        .isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.operator().getJob(a.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(awa.cancel(a.lease(), 1, "nope")).isEqualTo(LeaseOutcome.STALE);

    JobRow b = claimOne();
    assertThat(awa.cancel(b.lease(), 1, "not needed")).isEqualTo(LeaseOutcome.APPLIED);
    JobRow row = awa.operator().getJob(b.id()).orElseThrow();
    assertThat(row.state()).isEqualTo(JobState.CANCELLED);
    assertThat(row.finalizedAt()).isNotNull();
    assertThat(row.errors()).extracting(JobError::message).containsExactly("not needed");
  }

  @Test
  void handBackMakesJobsAvailableAtOnceWithoutCountingTheAttempt() {
    JobRow job = claimOne();
    assertThat(awa.handBack(List.of(job.lease()))).containsExactly(job.id());
    JobRow row = awa.operator().getJob(job.id()).orElseThrow();
    assertThat(row.state()).isEqualTo(JobState.AVAILABLE);
    assertThat(row.attempt()).isZero();
    assertThat(awa.handBack(List.of(job.lease()))).isEmpty();
  }

  @Test
  void adminCancelAndRetry() {
    JobRow running = claimOne();
    assertThat(awa.operator().cancelJob(running.id())).isTrue();
    assertThat(awa.complete(running.lease())).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.operator().cancelJob(running.id())).isFalse();

    JobRow scheduled =
        awa.enqueue(NewJob.builder("k").queue("q").runIn(Duration.ofHours(1)).build());
    assertThat(awa.operator().cancelJob(scheduled.id())).isTrue();
    assertThat(awa.operator().getJob(scheduled.id()).orElseThrow().state())
        .isEqualTo(JobState.CANCELLED);

    assertThat(awa.operator().retryJob(running.id())).isTrue();
    assertThat(awa.operator().getJob(running.id()).orElseThrow().state())
        .isEqualTo(JobState.AVAILABLE);
    assertThat(awa.operator().cancelJob(Long.MAX_VALUE)).isFalse();
    assertThat(awa.operator().retryJob(Long.MAX_VALUE)).isFalse();
  }

  @Test
  void completeManyReportsOnlyLiveLeases() {
    JobRow a = claimOne();
    JobRow b = claimOne();
    awa.operator().cancelJob(b.id());
    Set<Long> done = awa.completeMany(List.of(a.lease(), b.lease()));
    assertThat(done).containsExactly(a.id());
  }
}
