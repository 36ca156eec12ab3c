package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.LeaseSql;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The batch writes (complete, heartbeat, hand back) must probe the primary key per lease, not scan
 * every running row through a partial index; see LeaseSql.COMPLETE_MANY.
 */
@AwaTest
class BatchWritePlanTest {

  @Test
  void batchWritesProbeThePrimaryKey(TestDatabase db) throws Exception {
    AwaClient awa = AwaClient.create(db.dataSource());
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      jobs.add(NewJob.builder("k").queue("plan").build());
    }
    awa.enqueueMany(jobs);
    // Statistics taken while nothing runs, as in a drain that outpaces autovacuum: the planner
    // then believes the running-row indexes are nearly empty, which is when it prefers them.
    db.update("ANALYZE awa.jobs");
    List<JobRow> running = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      running.addAll(awa.leases().claim("plan", 100, Duration.ofMinutes(5), "w"));
    }
    List<JobRow> batch = running.subList(0, 100);
    long[] ids = batch.stream().mapToLong(JobRow::id).toArray();
    long[] leases = batch.stream().mapToLong(JobRow::runLease).toArray();

    for (String sql :
        List.of(LeaseSql.COMPLETE_MANY, LeaseSql.HEARTBEAT_MANY, LeaseSql.HAND_BACK)) {
      String plan = explain(db, sql, ids, leases);
      assertThat(plan)
          .as(sql)
          .contains("jobs_pkey")
          .doesNotContain("jobs_deadline_idx")
          .doesNotContain("jobs_heartbeat_idx")
          .doesNotContain("jobs_running_idx");
    }
  }

  private static String explain(TestDatabase db, String sql, long[] ids, long[] leases)
      throws Exception {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      ps.setArray(1, Jdbc.longs(c, ids));
      ps.setArray(2, Jdbc.longs(c, leases));
      StringBuilder out = new StringBuilder();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.append(rs.getString(1)).append('\n');
        }
      }
      return out.toString();
    }
  }
}
