package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Fault injection in the database (no mocks): a statement trigger rejects every statement that
 * completes more than one job, so each batched ack fails and the completer must fall back to
 * single-row completes without losing or repeating any job.
 */
@AwaTest
class CompleterFallbackTest {

  @Test
  void failedBatchFallsBackToSingleRowCompletes(TestDatabase db) {
    db.update("CREATE TABLE test_exec (job_id bigint, attempt int, PRIMARY KEY (job_id, attempt))");
    db.update(
        "CREATE FUNCTION test_reject_batches() RETURNS trigger LANGUAGE plpgsql AS $$"
            + " BEGIN"
            + " IF (SELECT count(*) FROM changed WHERE state = 'completed') > 1 THEN"
            + "   RAISE EXCEPTION 'test: batched completes are rejected';"
            + " END IF;"
            + " RETURN NULL; END $$");
    db.update(
        "CREATE TRIGGER test_reject_batches AFTER UPDATE ON awa.jobs"
            + " REFERENCING NEW TABLE AS changed FOR EACH STATEMENT"
            + " EXECUTE FUNCTION test_reject_batches()");
    AwaRuntime rt =
        AwaRuntime.builder(db.dataSource())
            .queue("fallback", 8)
            .pollInterval(Duration.ofMillis(50))
            .completerFlushInterval(Duration.ofMillis(20)) // make sure batches form
            .register(
                "noop",
                ctx -> {
                  db.update("INSERT INTO test_exec VALUES (?, ?)", ctx.id(), ctx.attempt());
                  return JobResult.completed();
                })
            .build();
    try {
      rt.start();
      rt.client().enqueueMany(Collections.nCopies(200, RuntimeTesting.job("noop", "fallback")));
      await().atMost(Duration.ofSeconds(60)).until(() -> db.countJobs("completed") == 200);
    } finally {
      rt.close();
    }
    assertThat(rt.completerFallbacks()).isPositive();
    assertThat(db.queryLong("SELECT count(*) FROM test_exec")).isEqualTo(200);
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.jobs WHERE attempt = 1 AND errors = '[]'"
                    + " AND state = 'completed'"))
        .isEqualTo(200);
  }
}
