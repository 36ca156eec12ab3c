package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A database at schema version 1 holding unique jobs is migrated to the latest version: every claim
 * is re-keyed to the default scope (kind + key) and keeps holding; the jobs move, finish and
 * release their keys as before.
 */
@AwaTest(migrate = false)
class UniqueMigrationTest {
  private static final String HOLDING =
      "'{available,running,scheduled,retryable,waiting_external}'";
  private static final String HOLDING_AND_COMPLETED =
      "'{available,running,scheduled,retryable,waiting_external,completed}'";

  /** Applies version 1 exactly as shipped, as a database created before version 2 existed. */
  private static void createVersion1(TestDatabase db) throws Exception {
    String sql;
    try (InputStream in = Migrations.class.getResourceAsStream("migrations/V1__initial.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = db.openConnection();
        Statement st = c.createStatement()) {
      st.execute(sql);
      st.execute(
          "INSERT INTO awa.schema_version (version, description) VALUES (1, 'initial schema')");
    }
  }

  private static long insertV1(
      TestDatabase db, String table, String kind, String state, String key, String states) {
    db.update(
        "INSERT INTO "
            + table
            + " (kind, queue, state, unique_key, unique_states, run_at, finalized_at)"
            + " VALUES (?, 'v1', ?, ?, "
            + states
            + "::text[], now() + CASE WHEN ? = 'scheduled' THEN interval '1 hour' ELSE interval '0' END,"
            + " CASE WHEN ? = 'completed' THEN now() END)",
        kind,
        state,
        key,
        state,
        state);
    return db.queryLong("SELECT max(id) FROM " + table);
  }

  @Test
  void uniqueJobsOfVersion1KeepTheirKeysAfterTheUpgrade(TestDatabase db) throws Exception {
    createVersion1(db);
    long available = insertV1(db, "awa.jobs", "send_email", "available", "order-1", HOLDING);
    long scheduled =
        insertV1(db, "awa.scheduled_jobs", "send_email", "scheduled", "order-2", HOLDING);
    long done = insertV1(db, "awa.jobs", "send_email", "completed", "order-3", HOLDING);
    long once = insertV1(db, "awa.jobs", "report", "completed", "once", HOLDING_AND_COMPLETED);
    assertThat(db.queryLong("SELECT count(*) FROM awa.job_unique_claims")).isEqualTo(3L);
    // Version 1's global namespace: another kind cannot take order-1.
    assertThatThrownBy(
            () -> insertV1(db, "awa.jobs", "charge_card", "available", "order-1", HOLDING))
        .hasStackTraceContaining("awa: unique key order-1 is held by another job");

    // Every migration after version 1 is applied (their versions are contiguous from 1).
    assertThat(Migrations.migrate(db.dataSource())).isEqualTo(Migrations.LATEST_VERSION - 1);
    Migrations.verify(db.dataSource());
    AwaClient awa = AwaClient.create(db.dataSource());

    assertThat(db.queryLong("SELECT count(*) FROM awa.job_unique_claims")).isEqualTo(3L);
    for (long held : new long[] {available, scheduled, once}) {
      assertThat(db.queryLong("SELECT count(*) FROM awa.job_unique_claims WHERE job_id = ?", held))
          .isEqualTo(1L);
    }
    // The same kind and key is still refused, naming the version-1 holder.
    assertDuplicate(
        awa, NewJob.builder("send_email").queue("other").uniqueKey("order-1").build(), available);
    assertDuplicate(awa, NewJob.builder("send_email").uniqueKey("order-2").build(), scheduled);
    assertDuplicate(awa, NewJob.builder("report").uniqueKey("once").build(), once);
    // A finished job outside its holding states held nothing, and holds nothing now.
    assertThat(awa.enqueue(NewJob.builder("send_email").uniqueKey("order-3").build()).id())
        .isNotEqualTo(done);
    // The new default: another kind may use the key.
    assertThat(awa.enqueue(NewJob.builder("charge_card").uniqueKey("order-1").build())).isNotNull();

    // Version-1 rows still move, finish and release as before.
    db.backdateRunAt(scheduled, Duration.ofHours(2));
    // The promotion statement (a move returning the moved rows).
    db.queryStrings(
        dev.awa.core.internal.JobColumns.move(
            "awa.scheduled_jobs", "id = ?", "awa.jobs", java.util.Map.of("state", "'available'")),
        scheduled);
    assertDuplicate(awa, NewJob.builder("send_email").uniqueKey("order-2").build(), scheduled);
    JobRow run =
        awa.leases().claim("v1", 10, Duration.ofMinutes(1), "w").stream()
            .filter(r -> r.id() == available)
            .findFirst()
            .orElseThrow();
    assertThat(awa.leases().complete(run)).isEqualTo(LeaseOutcome.APPLIED);
    assertThat(awa.enqueue(NewJob.builder("send_email").uniqueKey("order-1").build()).id())
        .isNotEqualTo(available);
    assertThat(awa.operator().cancelJob(scheduled)).isTrue();
    assertThat(awa.enqueue(NewJob.builder("send_email").uniqueKey("order-2").build()).id())
        .isNotEqualTo(scheduled);
    // Claims: order-3, charge_card order-1, send_email order-1, order-2 (new jobs), once.
    assertThat(db.queryLong("SELECT count(*) FROM awa.job_unique_claims")).isEqualTo(5L);
  }

  private static void assertDuplicate(AwaClient awa, NewJob job, long holder) {
    assertThatThrownBy(() -> awa.enqueue(job))
        .isInstanceOfSatisfying(
            DuplicateJobException.class, e -> assertThat(e.existingJobId()).isEqualTo(holder));
  }
}
