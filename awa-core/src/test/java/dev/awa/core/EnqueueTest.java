package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

@AwaTest
class EnqueueTest {
  record Email(String to, int retries) {}

  private final TestDatabase db;
  private final AwaClient awa;

  EnqueueTest(TestDatabase db) {
    this.db = db;
    this.awa = AwaClient.create(db.dataSource());
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
  }

  @Test
  void rolledBackTransactionLeavesNoJob() throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      JobRow row = awa.enqueue(c, NewJob.builder("email").args(new Email("a@x", 1)).build());
      assertThat(row.state()).isEqualTo(JobState.AVAILABLE);
      c.rollback();
      c.setAutoCommit(true);
    }
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isZero();
  }

  @Test
  void committedTransactionKeepsTheJob() throws Exception {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      awa.enqueue(c, NewJob.builder("email").args(new Email("a@x", 1)).build());
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(db.countJobs("available")).isEqualTo(1L);
  }

  @Test
  void typedRecordsAndRawJsonBothRoundTrip() {
    JobRow typed =
        awa.enqueue(
            NewJob.builder("email")
                .args(new Email("b@x", 3))
                .queue("mail")
                .priority(1)
                .maxAttempts(5)
                .tags("a", "b")
                .metadata(Map.of("tenant", "t1"))
                .build());
    JobRow raw = awa.enqueue(NewJob.builder("raw").argsJson("{\"n\": [1, 2]}").build());

    JobRow read = awa.operator().getJob(typed.id()).orElseThrow();
    assertThat(read.args(awa.objectMapper(), Email.class)).isEqualTo(new Email("b@x", 3));
    assertThat(read.queue()).isEqualTo("mail");
    assertThat(read.priority()).isEqualTo(1);
    assertThat(read.maxAttempts()).isEqualTo(5);
    assertThat(read.tags()).containsExactly("a", "b");
    assertThat(read.metadata().get("tenant").asText()).isEqualTo("t1");
    assertThat(awa.operator().getJob(raw.id()).orElseThrow().argsTree().get("n").size())
        .isEqualTo(2);
  }

  @Test
  void futureRunAtIsScheduledAndNotClaimable() {
    JobRow row =
        awa.enqueue(NewJob.builder("later").runAt(Instant.now().plus(Duration.ofHours(1))).build());
    assertThat(row.state()).isEqualTo(JobState.SCHEDULED);
    assertThat(db.queryLong("SELECT count(*) FROM awa.scheduled_jobs WHERE id = ?", row.id()))
        .isEqualTo(1L);
    assertThat(awa.leases().claim("default", 10, Duration.ofMinutes(1), "w")).isEmpty();
  }

  @Test
  void enqueueManyReturnsIdsInInputOrderAcrossChunksAndTables() {
    List<NewJob> jobs = new ArrayList<>();
    int n = JobProducer.ENQUEUE_CHUNK * 2 + 7;
    for (int i = 0; i < n; i++) {
      NewJob.Builder b = NewJob.builder("bulk").args(Map.of("i", i));
      if (i % 10 == 0) {
        b.runIn(Duration.ofHours(1));
      }
      jobs.add(b.build());
    }
    long[] ids = awa.enqueueMany(jobs);
    assertThat(ids).hasSize(n);
    for (int i = 1; i < n; i++) {
      assertThat(ids[i]).isGreaterThan(ids[i - 1]);
    }
    assertThat(awa.operator().getJob(ids[n - 1]).orElseThrow().argsTree().get("i").asInt())
        .isEqualTo(n - 1);
    assertThat(db.countJobs("scheduled")).isEqualTo((n + 9) / 10);
    assertThat(db.countJobs("available")).isEqualTo(n - (n + 9) / 10);
  }

  @Test
  void availableInsertNotifiesItsQueue() throws Exception {
    try (Connection listener = db.openConnection()) {
      try (var st = listener.createStatement()) {
        st.execute("LISTEN awa_job_available");
      }
      awa.enqueue(NewJob.builder("ping").queue("q-notify").build());
      awa.enqueue(NewJob.builder("ping").queue("q-later").runIn(Duration.ofHours(1)).build());
      PGNotification[] got = listener.unwrap(PGConnection.class).getNotifications(10_000);
      assertThat(got).isNotNull();
      assertThat(got).extracting(PGNotification::getParameter).containsExactly("q-notify");
    }
  }

  @Test
  void batchPathStoresAwkwardTextLiterally() {
    String awkward = "tab\there\nnew \\ back \"quote\" {brace} , comma \u00e9 \\N";
    long[] ids =
        awa.enqueueMany(
            List.of(
                NewJob.builder(awkward)
                    .queue(awkward)
                    .args(Map.of("s", awkward))
                    .tags(awkward, "plain")
                    .metadata(Map.of("m", awkward))
                    .uniqueKey(awkward)
                    .build(),
                NewJob.builder("k").runAt(Instant.now().minusSeconds(5)).build()));
    JobRow read = awa.operator().getJob(ids[0]).orElseThrow();
    assertThat(read.kind()).isEqualTo(awkward);
    assertThat(read.queue()).isEqualTo(awkward);
    assertThat(read.argsTree().get("s").asText()).isEqualTo(awkward);
    assertThat(read.metadata().get("m").asText()).isEqualTo(awkward);
    assertThat(read.tags()).containsExactly(awkward, "plain");
    assertThat(read.uniqueKey()).isEqualTo(awkward);
    assertThat(awa.operator().getJob(ids[1]).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
  }

  @Test
  void duplicateUniqueKeyInABatchRejectsTheWholeBatch() {
    awa.enqueue(NewJob.builder("u").uniqueKey("dup").build());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                awa.enqueueMany(
                    List.of(
                        NewJob.builder("u").build(), NewJob.builder("u").uniqueKey("dup").build())))
        .isInstanceOf(DuplicateJobException.class)
        .hasMessageContaining("dup");
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isEqualTo(1L);
  }
}
