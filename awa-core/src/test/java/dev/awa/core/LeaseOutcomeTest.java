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
    return awa.leases().claim("q", 1, DEADLINE, "w").get(0);
  }

  @Test
  void staleCompletionAfterReclaimChangesNothing() {
    JobRow first = claimOne();
    // The first attempt is taken away (as a rescue would) and the job is claimed again.
    db.update("UPDATE awa.jobs SET state = 'available' WHERE id = ?", first.id());
    JobRow second = awa.leases().claim("q", 1, DEADLINE, "w2").get(0);
    assertThat(second.id()).isEqualTo(first.id());
    assertThat(second.runLease()).isEqualTo(first.runLease() + 1);

    assertThat(awa.leases().complete(first)).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.leases().fail(first, JobError.of(1, new RuntimeException("late"))))
        .isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.leases().completeMany(List.of(first))).isEmpty();
    assertThat(awa.leases().heartbeat(List.of(first))).isEmpty();
    JobRow now = awa.operator().getJob(first.id()).orElseThrow();
    assertThat(now.state()).isEqualTo(JobState.RUNNING);
    assertThat(now.runLease()).isEqualTo(second.runLease());
    assertThat(now.errors()).isEmpty();

    assertThat(awa.leases().complete(second)).isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.leases().complete(second)).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.operator().getJob(first.id()).orElseThrow().state())
        .isEqualTo(JobState.COMPLETED);
  }

  @Test
  void retryLaterMovesToScheduledWithTheErrorRecorded() {
    JobRow job = claimOne();
    Instant later = Instant.now().plusSeconds(600);
    assertThat(awa.leases().retry(job, later, JobError.of(1, new IllegalStateException("boom"))))
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
            awa.leases()
                .retry(job, Instant.now().minusSeconds(1), JobError.of(1, new Exception("x"))))
        .isEqualTo(LeaseOutcome.APPLIED);
    JobRow again = awa.leases().claim("q", 1, DEADLINE, "w").get(0);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.errors()).hasSize(1);
  }

  @Test
  void snoozeDoesNotCountTheAttempt() {
    JobRow job = claimOne();
    assertThat(awa.leases().snooze(job, Duration.ofMinutes(10))).isEqualTo(LeaseOutcome.APPLIED);
    JobRow row = awa.operator().getJob(job.id()).orElseThrow();
    assertThat(row.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(row.attempt()).isZero();

    JobRow job2 = claimOne();
    assertThat(awa.leases().snooze(job2, Duration.ZERO)).isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.leases().claim("q", 1, DEADLINE, "w").get(0).attempt()).isEqualTo(1);
  }

  @Test
  void failAndCancelAreTerminalAndFenced() {
    JobRow a = claimOne();
    assertThat(awa.leases().fail(a, JobError.of(1, new RuntimeException("bad"))))
        .isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.operator().getJob(a.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(awa.leases().cancel(a, "nope")).isEqualTo(LeaseOutcome.STALE);

    JobRow b = claimOne();
    assertThat(awa.leases().cancel(b, "not needed")).isEqualTo(LeaseOutcome.APPLIED);
    JobRow row = awa.operator().getJob(b.id()).orElseThrow();
    assertThat(row.state()).isEqualTo(JobState.CANCELLED);
    assertThat(row.finalizedAt()).isNotNull();
    assertThat(row.errors()).extracting(JobError::message).containsExactly("not needed");
  }

  @Test
  void handBackMakesJobsAvailableAtOnceWithoutCountingTheAttempt() {
    JobRow job = claimOne();
    assertThat(awa.leases().handBack(List.of(job))).containsExactly(job.id());
    JobRow row = awa.operator().getJob(job.id()).orElseThrow();
    assertThat(row.state()).isEqualTo(JobState.AVAILABLE);
    assertThat(row.attempt()).isZero();
    assertThat(awa.leases().handBack(List.of(job))).isEmpty();
  }

  @Test
  void adminCancelAndRetry() {
    JobRow running = claimOne();
    assertThat(awa.operator().cancelJob(running.id())).isTrue();
    assertThat(awa.leases().complete(running)).isEqualTo(LeaseOutcome.STALE);
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
    Set<Long> done = awa.leases().completeMany(List.of(a, b));
    assertThat(done).containsExactly(a.id());
  }
}
