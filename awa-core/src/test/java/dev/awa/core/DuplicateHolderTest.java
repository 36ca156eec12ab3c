package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DuplicateJobException#existingJobId()} is the holder's real id in every case where the
 * version-1 client reported 0. That client looked the holder up afterwards on a second pooled
 * connection, which (1) cannot see a holder enqueued earlier in the caller's own uncommitted
 * transaction, (2) finds nothing when the holder finished between the refusal and the look-up, and
 * (3) waits for the pool's connection timeout and then gives up when the caller holds the pool's
 * last connection. The id now comes with the database's refusal itself.
 */
@AwaTest
class DuplicateHolderTest {
  private final TestDatabase db;
  private final AwaClient awa;

  DuplicateHolderTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  private static NewJob job(String key) {
    return NewJob.builder("report").queue("h").uniqueKey(key).build();
  }

  @Test
  void holderEnqueuedEarlierInTheSameTransaction() throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      JobRow first = awa.enqueue(c, job("tx"));
      assertThatThrownBy(() -> awa.enqueue(c, job("tx")))
          .isInstanceOfSatisfying(
              DuplicateJobException.class,
              e -> {
                assertThat(e.existingJobId()).isEqualTo(first.id());
                assertThat(e.uniqueKey()).isEqualTo("tx");
                assertThat(e.kind()).isEqualTo("report");
              });
      c.rollback();
    }
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
  }

  @Test
  void holderInTheCallersTransactionRefusesABatchOnTheSameConnection() throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      JobRow first = awa.enqueue(c, job("tx-batch"));
      assertThatThrownBy(
              () -> awa.enqueueMany(c, List.of(NewJob.builder("other").build(), job("tx-batch"))))
          .isInstanceOfSatisfying(
              DuplicateJobException.class,
              e -> assertThat(e.existingJobId()).isEqualTo(first.id()));
      c.rollback();
    }
  }

  @Test
  void callerHoldingThePoolsOnlyConnection() throws Exception {
    DataSource one = db.newDataSource(1, "one-connection");
    AwaClient client = AwaClient.create(one);
    JobRow first = client.enqueue(job("pool"));
    try (Connection c = one.getConnection()) {
      assertThatThrownBy(() -> client.enqueue(c, job("pool")))
          .isInstanceOfSatisfying(
              DuplicateJobException.class,
              e -> assertThat(e.existingJobId()).isEqualTo(first.id()));
    }
  }

  @Test
  void batchRefusedByAnExistingJobNamesItsKindKeyAndHolder() {
    JobRow holder = awa.enqueue(job("b"));
    assertThatThrownBy(
            () ->
                awa.enqueueMany(
                    List.of(NewJob.builder("x").build(), NewJob.builder("x").build(), job("b"))))
        .isInstanceOfSatisfying(
            DuplicateJobException.class,
            e -> {
              assertThat(e.existingJobId()).isEqualTo(holder.id());
              assertThat(e.uniqueKey()).isEqualTo("b");
              assertThat(e.kind()).isEqualTo("report");
              assertThat(e).hasMessageContaining(String.valueOf(holder.id()));
            });
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isEqualTo(1L);
  }

  @Test
  void twoJobsOfOneScopeInOneBatchAreRefusedBeforeAnythingIsSent() {
    // There is no holder to name: the first would only exist if the batch committed.
    assertThatThrownBy(
            () -> awa.enqueueMany(List.of(job("same"), NewJob.builder("x").build(), job("same"))))
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("jobs[2]"))
        .hasMessageContaining("jobs[0]")
        .hasMessageContaining("'same'");
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
  }

  @Test
  void holderThatFinishesRightAfterTheRefusal() throws Exception {
    // Each round a holder is cancelled while a second enqueue of its key races it. Whatever the
    // interleaving, the second enqueue either succeeds (after the cancel) or is refused naming the
    // holder of that round; never 0, never another job.
    int refused = 0;
    for (int round = 0; round < 100; round++) {
      String key = "race-" + round;
      JobRow holder = awa.enqueue(job(key));
      CompletableFuture<Boolean> cancel =
          CompletableFuture.supplyAsync(() -> awa.operator().cancelJob(holder.id()));
      try {
        JobRow second = awa.enqueue(job(key));
        assertThat(second.id()).isNotEqualTo(holder.id());
      } catch (DuplicateJobException e) {
        refused++;
        assertThat(e.existingJobId()).isEqualTo(holder.id());
      }
      assertThat(cancel.get()).isTrue();
    }
    Set<Long> holders =
        new HashSet<>(
            db.queryStrings("SELECT job_id FROM awa.job_unique_claims").stream()
                .map(Long::valueOf)
                .toList());
    assertThat(holders).hasSize(100 - refused);
  }

  @Test
  void enqueueOrGetExistingReturnsTheHolderFromTheCallersPointOfView() {
    JobRow holder = awa.enqueue(job("get"));
    JobRow got = awa.enqueueOrGetExisting(job("get"));
    assertThat(got.id()).isEqualTo(holder.id());
    JobRow run = awa.leases().claim("h", 1, Duration.ofMinutes(1), "w").get(0);
    awa.leases().complete(run);
    // Completed is outside the default holding states: the scope is free again.
    assertThat(awa.enqueueOrGetExisting(job("get")).id()).isNotEqualTo(holder.id());
  }
}
