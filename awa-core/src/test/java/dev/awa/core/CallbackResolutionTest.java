package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@AwaTest
class CallbackResolutionTest {
  private final TestDatabase db;
  private final AwaClient awa;

  CallbackResolutionTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private JobRow parked() {
    awa.enqueue(NewJob.builder("ext").queue("cb").build());
    JobRow job = awa.leases().claim("cb", 1, Duration.ofMinutes(1), "w").get(0);
    UUID id = awa.leases().registerCallback(job, Duration.ofMinutes(5)).orElseThrow();
    assertThat(awa.leases().parkForCallback(job)).isEqualTo(LeaseOutcome.APPLIED);
    return awa.operator().getJob(job.id()).orElseThrow();
  }

  @Test
  void completeStoresTheResultAndSecondResolutionIsAlreadyResolved() {
    JobRow job = parked();
    assertThat(job.state()).isEqualTo(JobState.WAITING_EXTERNAL);
    assertThat(awa.callbacks().completeCallback(job.callbackId(), Map.of("ok", true)))
        .isEqualTo(CallbackOutcome.RESOLVED);
    assertThat(awa.callbacks().failCallback(job.callbackId(), "late"))
        .isEqualTo(CallbackOutcome.ALREADY_RESOLVED);
    JobRow done = awa.operator().getJob(job.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(JobState.COMPLETED);
    assertThat(done.metadata().get("callback_result").get("ok").asBoolean()).isTrue();
    assertThat(awa.callbacks().completeCallback(UUID.randomUUID(), null))
        .isEqualTo(CallbackOutcome.NOT_FOUND);
  }

  @Test
  void failRecordsAReadableErrorEntry() {
    JobRow job = parked();
    assertThat(awa.callbacks().failCallback(job.callbackId(), "payment declined"))
        .isEqualTo(CallbackOutcome.RESOLVED);
    JobRow failed = awa.operator().getJob(job.id()).orElseThrow();
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.message()).isEqualTo("payment declined");
              assertThat(e.errorClass()).isEqualTo("callback.failed");
              assertThat(e.attempt()).isEqualTo(1);
              assertThat(e.at()).isNotNull();
            });
  }

  @Test
  void retryMakesItAvailableAndHeartbeatExtendsTheTimeout() {
    JobRow job = parked();
    assertThat(awa.callbacks().heartbeatCallback(job.callbackId(), Duration.ofHours(1)))
        .isEqualTo(CallbackOutcome.RESOLVED);
    assertThat(awa.operator().getJob(job.id()).orElseThrow().callbackTimeoutAt())
        .isAfter(job.callbackTimeoutAt());
    assertThat(awa.callbacks().retryCallback(job.callbackId())).isEqualTo(CallbackOutcome.RESOLVED);
    assertThat(awa.callbacks().retryCallback(job.callbackId()))
        .isEqualTo(CallbackOutcome.ALREADY_RESOLVED);
    JobRow again = awa.leases().claim("cb", 1, Duration.ofMinutes(1), "w").get(0);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.callbackId()).isNull();
  }

  @Test
  void callbackArrivingBeforeTheHandlerParksWins() {
    awa.enqueue(NewJob.builder("ext").queue("cb").build());
    JobRow job = awa.leases().claim("cb", 1, Duration.ofMinutes(1), "w").get(0);
    UUID id = awa.leases().registerCallback(job, Duration.ofMinutes(5)).orElseThrow();
    assertThat(awa.callbacks().completeCallback(id, "fast")).isEqualTo(CallbackOutcome.RESOLVED);
    assertThat(awa.leases().parkForCallback(job)).isEqualTo(LeaseOutcome.STALE);
    assertThat(awa.operator().getJob(job.id()).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
  }
}
