package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edges of the client API (issue 16): null arguments get a typed exception naming them, args
 * are a JSON object or array however they are given, queue arguments get an argument exception (not
 * a job exception), and durations or instants PostgreSQL could not store are refused before any SQL
 * runs.
 */
@AwaTest
class ApiEdgesTest {
  private final TestDatabase db;
  private final AwaClient awa;

  ApiEdgesTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private void jobRejected(ThrowingCallable call, String field, String says) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(field)
        .hasMessageContaining(says);
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM awa.scheduled_jobs")).isZero();
  }

  private static void argumentRejected(ThrowingCallable call, String argument, String says) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidArgumentException.class, e -> assertThat(e.argument()).isEqualTo(argument))
        .hasMessageContaining(argument)
        .hasMessageContaining(says);
  }

  @Test
  void nullJobsAndConnectionsAreNamed() throws Exception {
    jobRejected(() -> awa.enqueue(null), "job", "must not be null");
    jobRejected(() -> awa.enqueueOrGetExisting(null), "job", "must not be null");
    jobRejected(() -> awa.enqueueMany(null), "jobs", "must not be null");
    jobRejected(
        () -> awa.enqueueMany(java.util.Arrays.asList(NewJob.builder("k").build(), null)),
        "jobs[1]",
        "must not be null");
    try (Connection c = db.dataSource().getConnection()) {
      jobRejected(() -> awa.enqueue(c, null), "job", "must not be null");
    }
    argumentRejected(
        () -> awa.enqueue(null, NewJob.builder("k").build()), "connection", "must not be null");
    argumentRejected(
        () -> awa.enqueueMany(null, List.of(NewJob.builder("k").build())),
        "connection",
        "must not be null");
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
  }

  @Test
  void argsAreAnObjectOrArrayHoweverTheyAreGiven() {
    for (Object scalar : new Object[] {"x", 42, true, 1.5, null}) {
      jobRejected(
          () -> awa.enqueue(NewJob.builder("k").args(scalar).build()),
          "args",
          "must be a JSON object or array");
      jobRejected(
          () -> awa.enqueueMany(List.of(NewJob.builder("k").args(scalar).build())),
          "args",
          "must be a JSON object or array");
    }
    for (String scalar : List.of("42", "\"x\"", "true", "null")) {
      jobRejected(
          () -> NewJob.builder("k").argsJson(scalar).build(),
          "args",
          "must be a JSON object or array");
    }
    JobRow object = awa.enqueue(NewJob.builder("k").args(Map.of("n", 1)).build());
    JobRow array = awa.enqueue(NewJob.builder("k").args(List.of(1, 2)).build());
    long[] batch =
        awa.enqueueMany(
            List.of(
                NewJob.builder("k").argsJson("{\"n\": 1}").build(),
                NewJob.builder("k").argsJson("[1, 2]").build()));
    assertThat(object.argsTree().get("n").asInt()).isEqualTo(1);
    assertThat(array.argsTree().size()).isEqualTo(2);
    assertThat(awa.operator().getJob(batch[1]).orElseThrow().argsTree().size()).isEqualTo(2);
  }

  @Test
  void queueArgumentsGetAnArgumentExceptionNamingQueue() {
    argumentRejected(() -> awa.operator().pauseQueue(null), "queue", "non-blank");
    argumentRejected(() -> awa.operator().resumeQueue(" "), "queue", "non-blank");
    argumentRejected(() -> awa.operator().pauseQueue("q".repeat(201)), "queue", "200");
    argumentRejected(
        () -> awa.leases().claim(null, 1, Duration.ofMinutes(1), "w"), "queue", "non-blank");
    assertThat(db.queryLong("SELECT count(*) FROM awa.queue_meta")).isZero();
  }

  @Test
  void durationsAndInstantsBeyondPostgresAreRefusedBeforeAnySql() {
    awa.enqueue(NewJob.builder("k").queue("edges").build());
    JobRow running = awa.leases().claim("edges", 1, Duration.ofMinutes(5), "w").get(0);
    Duration forever = Duration.ofSeconds(Long.MAX_VALUE);
    Duration tooLong = Duration.ofDays(365L * 300_000);
    for (Duration d : List.of(forever, tooLong)) {
      argumentRejected(() -> awa.leases().claim("edges", 1, d, "w"), "deadline", "294276");
      argumentRejected(() -> awa.leases().snooze(running, d), "delay", "294276");
      argumentRejected(() -> awa.leases().registerCallback(running, d), "timeout", "294276");
    }
    for (Duration d : List.of(forever, tooLong)) {
      // A handler's answer is checked when it is made, so the runtime can always record it.
      assertThatThrownBy(() -> JobResult.retryAfter(d)).isInstanceOf(InvalidJobException.class);
      assertThatThrownBy(() -> JobResult.snooze(d)).isInstanceOf(InvalidJobException.class);
    }
    argumentRejected(
        () -> awa.leases().retry(running, Instant.MAX, JobError.of(1, new Exception("x"))),
        "runAt",
        "294276");
    argumentRejected(
        () -> awa.leases().retry(running, null, JobError.of(1, new Exception("x"))),
        "runAt",
        "must not be null");
    argumentRejected(
        () -> awa.leases().retry(null, Instant.now(), null), "job", "must not be null");
    argumentRejected(() -> awa.leases().complete(null), "job", "must not be null");
    argumentRejected(() -> awa.leases().heartbeat(null), "jobs", "must not be null");
    argumentRejected(
        () -> awa.callbacks().completeCallback(null, Map.of()), "callbackId", "must not be null");
    // The attempt is untouched and still completes under its lease.
    assertThat(awa.operator().getJob(running.id()).orElseThrow().state())
        .isEqualTo(JobState.RUNNING);
    assertThat(awa.leases().complete(running)).isEqualTo(LeaseOutcome.APPLIED);
  }

  @Test
  void enqueueManyReturnsIdsInInputOrderThatReadBackAsTheJobs() {
    // enqueueMany keeps long[] (COPY returns no rows; see its Javadoc); the ids map to the jobs.
    long[] ids =
        awa.enqueueMany(
            List.of(
                NewJob.builder("first").build(),
                NewJob.builder("second").runAt(Instant.now().plusSeconds(3600)).build(),
                NewJob.builder("third").build()));
    assertThat(ids).hasSize(3);
    assertThat(awa.operator().getJob(ids[0]).orElseThrow().kind()).isEqualTo("first");
    assertThat(awa.operator().getJob(ids[1]).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
    assertThat(awa.operator().getJob(ids[2]).orElseThrow().kind()).isEqualTo("third");
  }
}
