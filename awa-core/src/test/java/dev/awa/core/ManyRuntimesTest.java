package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Four runtimes, each with its own pool (a separate "process"), drain one queue together. */
@AwaTest
class ManyRuntimesTest {
  static final int JOBS = 50_000;

  @Test
  void fourRuntimesCompleteFiftyThousandJobsExactlyOnce(TestDatabase db) {
    db.update(
        "CREATE TABLE test_exec (job_id bigint, attempt int, runtime text,"
            + " PRIMARY KEY (job_id, attempt))");
    List<AwaRuntime> runtimes = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        String name = "rt" + i;
        DataSource pool = db.newDataSource(8, "awa-" + name);
        runtimes.add(
            AwaRuntime.builder(pool)
                .instanceId(name)
                .queue("bulk", 8)
                .pollInterval(Duration.ofMillis(200))
                .claimBatchSize(50)
                .register(
                    "noop",
                    ctx -> {
                      try (Connection c = pool.getConnection();
                          PreparedStatement ps =
                              c.prepareStatement("INSERT INTO test_exec VALUES (?, ?, ?)")) {
                        ps.setLong(1, ctx.id());
                        ps.setInt(2, ctx.attempt());
                        ps.setString(3, name);
                        ps.executeUpdate();
                      }
                      return JobResult.completed();
                    })
                .build());
      }
      runtimes.forEach(AwaRuntime::start);
      AwaClient client = runtimes.get(0).client();
      client.enqueueMany(Collections.nCopies(JOBS, RuntimeTesting.job("noop", "bulk")));

      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> db.countJobs("completed") == JOBS);
    } finally {
      runtimes.forEach(AwaRuntime::close);
    }
    assertThat(db.queryLong("SELECT count(*) FROM test_exec")).isEqualTo(JOBS);
    assertThat(db.queryLong("SELECT count(DISTINCT job_id) FROM test_exec")).isEqualTo(JOBS);
    // Nobody ran a job twice: a second execution of an attempt would have hit the primary key,
    // failed, and shown up as attempt 2 with an error.
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.jobs WHERE state = 'completed' AND attempt = 1"
                    + " AND errors = '[]'"))
        .isEqualTo(JOBS);
    assertThat(db.queryLong("SELECT count(DISTINCT runtime) FROM test_exec")).isEqualTo(4);
    assertThat(db.queryLong("SELECT count(*) FROM awa.runtime_instances")).isZero();
  }
}
