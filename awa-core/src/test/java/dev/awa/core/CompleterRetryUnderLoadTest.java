package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Found by the chaos suite (terminated connections): an ack that failed even on its own went to the
 * retry list, which was only retried once no fresh ack arrived for 50 ms, and every flush meanwhile
 * was followed by a 200 ms pause. Under steady load the failed ack (and its slot) waited for the
 * whole backlog, which itself crawled at one batch per 200 ms. Fault injection in the database: a
 * trigger rejects the first two completes of one job (a sequence counts them, outside the rolled
 * back transaction).
 */
@AwaTest
class CompleterRetryUnderLoadTest {
  private static final int BACKLOG = 5_000;

  @Test
  void aFailedAckIsRetriedWhileFreshAcksKeepFlowing(TestDatabase db) {
    db.update("CREATE SEQUENCE test_fail_count");
    db.update("CREATE TABLE test_target (id bigint)");
    db.update(
        "CREATE FUNCTION test_fail_target_twice() RETURNS trigger LANGUAGE plpgsql AS $$"
            + " BEGIN"
            + " IF NEW.state = 'completed' AND NEW.id IN (SELECT id FROM test_target)"
            + "    AND nextval('test_fail_count') <= 2 THEN"
            + "   RAISE EXCEPTION 'test: complete of the target job rejected';"
            + " END IF;"
            + " RETURN NEW; END $$");
    db.update(
        "CREATE TRIGGER test_fail_target_twice BEFORE UPDATE ON awa.jobs"
            + " FOR EACH ROW EXECUTE FUNCTION test_fail_target_twice()");
    AwaRuntime rt =
        AwaRuntime.builder(db.dataSource())
            .queue("retry_load", 8)
            .pollInterval(Duration.ofMillis(50))
            .register("noop", ctx -> JobResult.completed())
            .build();
    long target = rt.client().enqueue(RuntimeTesting.job("noop", "retry_load")).id();
    db.update("INSERT INTO test_target VALUES (?)", target);
    rt.client().enqueueMany(Collections.nCopies(BACKLOG, RuntimeTesting.job("noop", "retry_load")));
    long leftWhenTargetCompleted;
    try {
      rt.start();
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> db.countJobs("completed") > 0 && isCompleted(db, target));
      leftWhenTargetCompleted = db.countJobs("available") + db.countJobs("running");
      await().atMost(Duration.ofMinutes(2)).until(() -> db.countJobs("completed") == BACKLOG + 1);
    } finally {
      rt.close();
    }
    assertThat(db.queryLong("SELECT last_value FROM test_fail_count")).isGreaterThanOrEqualTo(3);
    // The retried ack went through while the backlog was still being worked, not after it.
    assertThat(leftWhenTargetCompleted).isPositive();
    assertThat(rt.completerFallbacks()).isPositive();
  }

  private static boolean isCompleted(TestDatabase db, long id) {
    return db.queryLong("SELECT count(*) FROM awa.jobs WHERE id = ? AND state = 'completed'", id)
        == 1;
  }
}
