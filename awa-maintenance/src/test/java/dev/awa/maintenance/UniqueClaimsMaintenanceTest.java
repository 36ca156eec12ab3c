package dev.awa.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.core.AwaClient;
import dev.awa.core.DuplicateJobException;
import dev.awa.core.JobError;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.core.UniqueOptions;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The maintenance branches move and delete job rows; the unique-claim triggers must keep a claim
 * through every move and release it when the job leaves its holding states or is deleted.
 */
@AwaTest
class UniqueClaimsMaintenanceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final UniqueOptions BY_ARGS = UniqueOptions.builder().byArgs().build();

  private final TestDatabase db;
  private final AwaClient client;
  private final Context ctx;

  UniqueClaimsMaintenanceTest(TestDatabase db) {
    this.db = db;
    this.client = AwaClient.create(db.dataSource());
    this.ctx = new Context(db.dataSource(), "test-instance", () -> true, new RecordingListener());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private static NewJob job(String queue, int maxAttempts) {
    return NewJob.builder("sync")
        .queue(queue)
        .args(Map.of("account", 7))
        .maxAttempts(maxAttempts)
        .unique(BY_ARGS)
        .build();
  }

  private void refusedNaming(NewJob job, long holder) {
    assertThatThrownBy(() -> client.enqueue(job))
        .isInstanceOfSatisfying(
            DuplicateJobException.class, e -> assertThat(e.existingJobId()).isEqualTo(holder));
  }

  private JobRow runningStale(String queue, int maxAttempts) {
    JobRow row = client.enqueue(job(queue, maxAttempts));
    JobRow run = client.leases().claim(queue, 1, Duration.ofMinutes(10), "w1").get(0);
    assertThat(run.id()).isEqualTo(row.id());
    db.backdateHeartbeat(row.id(), Duration.ofMinutes(5));
    return run;
  }

  private void rescueHeartbeats() throws Exception {
    new RescueStaleHeartbeatsBranch(Duration.ofSeconds(30), 100, 5, TIMEOUT, Duration.ofSeconds(90))
        .run(ctx);
  }

  @Test
  void rescueToRetryableAndPromotionKeepTheClaim() throws Exception {
    JobRow run = runningStale("keep", 5);
    rescueHeartbeats();
    assertThat(client.operator().getJob(run.id()).orElseThrow().state())
        .isEqualTo(JobState.RETRYABLE);
    refusedNaming(job("keep", 5), run.id());
    db.backdateRunAt(run.id(), Duration.ofHours(1));
    new PromoteScheduledBranch(Duration.ofMillis(250), 10, 3, TIMEOUT).run(ctx);
    assertThat(client.operator().getJob(run.id()).orElseThrow().state())
        .isEqualTo(JobState.AVAILABLE);
    refusedNaming(job("keep", 5), run.id());
    assertThat(db.queryLong("SELECT job_id FROM awa.job_unique_claims")).isEqualTo(run.id());
  }

  @Test
  void rescueThatFailsTheJobReleasesTheClaim() throws Exception {
    JobRow run = runningStale("spent", 1);
    rescueHeartbeats();
    assertThat(client.operator().getJob(run.id()).orElseThrow().state()).isEqualTo(JobState.FAILED);
    assertThat(client.enqueue(job("spent", 1)).id()).isNotEqualTo(run.id());
  }

  @Test
  void expiredDeadlineAndCallbackRescuesKeepTheClaim() throws Exception {
    JobRow deadline = client.enqueue(job("dl", 5));
    client.leases().claim("dl", 1, Duration.ofMinutes(10), "w1");
    db.backdateDeadline(deadline.id(), Duration.ofHours(1));
    new RescueExpiredDeadlinesBranch(Duration.ofSeconds(30), 100, 5, TIMEOUT).run(ctx);
    assertThat(client.operator().getJob(deadline.id()).orElseThrow().state())
        .isEqualTo(JobState.RETRYABLE);
    refusedNaming(job("dl", 5), deadline.id());

    NewJob parked = NewJob.builder("sync").queue("cb").uniqueKey("parked").maxAttempts(5).build();
    JobRow cb = client.enqueue(parked);
    JobRow run = client.leases().claim("cb", 1, Duration.ofMinutes(10), "w1").get(0);
    client.leases().registerCallback(run, Duration.ofMinutes(1)).orElseThrow();
    client.leases().parkForCallback(run);
    refusedNaming(parked, cb.id());
    db.backdateCallbackTimeout(cb.id(), Duration.ofMinutes(2));
    new RescueExpiredCallbacksBranch(Duration.ofSeconds(30), 100, 5, TIMEOUT).run(ctx);
    assertThat(client.operator().getJob(cb.id()).orElseThrow().state())
        .isEqualTo(JobState.RETRYABLE);
    refusedNaming(parked, cb.id());
  }

  @Test
  void racingEnqueuesNeverSlipInWhileTheHolderMovesBetweenTables() throws Exception {
    // The holder is retried into awa.scheduled_jobs and promoted back, again and again, while four
    // threads keep enqueueing its scope: each delete-plus-insert move must keep the claim, so
    // every one of those enqueues is refused naming the holder.
    JobRow holder = client.enqueue(job("move", 1000));
    AtomicBoolean moving = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Long> refusedNaming = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Long> inserted = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> racers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      racers.add(
          pool.submit(
              () -> {
                while (moving.get()) {
                  try {
                    inserted.add(client.enqueue(job("move", 1000)).id());
                  } catch (DuplicateJobException e) {
                    refusedNaming.add(e.existingJobId());
                  }
                }
                return null;
              }));
    }
    PromoteScheduledBranch promote =
        new PromoteScheduledBranch(Duration.ofMillis(250), 10, 3, TIMEOUT);
    try {
      for (int round = 0; round < 30; round++) {
        JobRow run = client.leases().claim("move", 1, Duration.ofMinutes(10), "w1").get(0);
        client
            .leases()
            .retry(
                run,
                Instant.now().plusSeconds(600),
                JobError.of(round + 1, new Exception("again")));
        db.backdateRunAt(holder.id(), Duration.ofHours(1));
        promote.run(ctx);
      }
    } finally {
      moving.set(false);
      for (var f : racers) {
        f.get();
      }
      pool.shutdown();
    }
    assertThat(inserted).isEmpty();
    assertThat(refusedNaming).isNotEmpty().containsOnly(holder.id());
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isEqualTo(1L);
    assertThat(db.queryLong("SELECT job_id FROM awa.job_unique_claims")).isEqualTo(holder.id());
  }

  @Test
  void cleanupDeletingAHoldingFinishedJobReleasesTheClaim() throws Exception {
    UniqueOptions untilCleanup = BY_ARGS.toBuilder().addStates(JobState.COMPLETED).build();
    NewJob once =
        NewJob.builder("sync")
            .queue("once")
            .args(Map.of("account", 9))
            .unique(untilCleanup)
            .build();
    JobRow first = client.enqueue(once);
    client.leases().complete(client.leases().claim("once", 1, Duration.ofMinutes(10), "w1").get(0));
    refusedNaming(once, first.id());
    db.update(
        "UPDATE awa.jobs SET finalized_at = now() - interval '2 days' WHERE id = ?", first.id());
    new CleanupBranch(
            Duration.ofSeconds(60),
            Map.of("completed", Duration.ofHours(24)),
            100,
            Duration.ofSeconds(30),
            TIMEOUT,
            TIMEOUT)
        .run(ctx);
    assertThat(client.operator().getJob(first.id())).isEmpty();
    assertThat(client.enqueue(once).id()).isNotEqualTo(first.id());
  }
}
