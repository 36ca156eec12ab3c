package dev.awa.maintenance.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scenario 6: a transaction held open with a snapshot ({@code idle in transaction} under REPEATABLE
 * READ) while jobs flow. It pins the xmin horizon, so neither autovacuum nor VACUUM can remove the
 * dead row versions every claim, completion and promotion leaves behind. The test records
 * throughput and the dead tuples of {@code awa.jobs} and {@code awa.scheduled_jobs} before, during
 * (including after a VACUUM that cannot remove them) and after (transaction ended, VACUUM), and
 * writes them to {@code target/chaos/long-transaction.md}; {@code
 * docs/benchmarks/long-transaction.md} reports one run. Nothing about timing is asserted.
 *
 * <p>System properties: {@code awa.chaos.longTxSeconds} (how long the transaction stays open;
 * default 30, the figure is 120) and {@code awa.chaos.rate} (jobs/s, default 200, a tenth
 * of them delayed by 1 s so they pass through {@code awa.scheduled_jobs}).
 */
@AwaTest
@Tag("chaos")
class LongTransactionTest {
  private static final Logger log = LoggerFactory.getLogger(LongTransactionTest.class);
  private static final String QUEUE = "chaos_longtx";

  private final TestDatabase db;

  LongTransactionTest(TestDatabase db) {
    this.db = db;
  }

  /** One sample of the dead-tuple counters plus completed-job throughput. */
  private record Sample(String phase, long jobsDead, long scheduledDead, long completed) {}

  @Test
  void throughputHoldsAndDeadTuplesAreRecordedAroundALongTransaction() throws Exception {
    int seconds = Integer.getInteger("awa.chaos.longTxSeconds", 30);
    int rate = Integer.getInteger("awa.chaos.rate", 200);
    db.truncateJobs();
    DataSource runtimePool = db.newDataSource(8, "chaos-longtx-runtime");
    DataSource leaderPool = db.newDataSource(3, "chaos-longtx-leader");
    DataSource logPool = db.newDataSource(8, "chaos-longtx-log");
    Chaos.createExecLog(logPool);
    boolean pg15 = db.server().serverVersionNum() >= 150000;
    List<Sample> samples = new ArrayList<>();
    List<String> rates = new ArrayList<>();
    Set<Long> ids = new HashSet<>();

    try (Connection admin = db.openConnection();
        Statement st = admin.createStatement();
        MaintenanceService leader = Chaos.maintenance(leaderPool, "longtx-leader").build().start();
        AwaRuntime runtime =
            Chaos.runtime(runtimePool, "longtx-runtime")
                .queue(QUEUE, 16)
                .register("work", Chaos.recording(logPool, "longtx-runtime", Duration.ZERO))
                .build()) {
      runtime.start();
      AwaClient client = AwaClient.create(runtimePool);
      Chaos.Enqueuer now = new Chaos.Enqueuer(client, "work", QUEUE, rate * 9 / 10);
      Chaos.Enqueuer later =
          new Chaos.Enqueuer(client, "work", QUEUE, Math.max(1, rate / 10), Duration.ofSeconds(1));
      now.start();
      later.start();
      try {
        pace(Duration.ofSeconds(5)); // warm-up
        vacuum(st);
        samples.add(sample(st, pg15, "before (steady flow, after VACUUM)"));
        long c0 = completed(st);
        long t0 = System.nanoTime();
        pace(Duration.ofSeconds(5));
        rates.add(rate("before", c0, completed(st), t0));

        try (Connection holder = db.openConnection();
            Statement hs = holder.createStatement()) {
          holder.setAutoCommit(false);
          hs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
          hs.executeQuery("SELECT 1").close(); // takes the snapshot; now idle in transaction
          assertThat(
                  Chaos.queryLong(
                      logPool,
                      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                          + " AND state = 'idle in transaction' AND backend_xmin IS NOT NULL"))
              .isGreaterThanOrEqualTo(1);
          long start = completed(st);
          long t1 = System.nanoTime();
          int step = Math.max(1, seconds / 4);
          for (int t = step; t <= seconds; t += step) {
            pace(Duration.ofSeconds(step));
            samples.add(sample(st, pg15, "during, " + t + " s into the transaction"));
          }
          long during = completed(st);
          rates.add(rate("during the transaction", start, during, t1));
          vacuum(st);
          samples.add(sample(st, pg15, "during, after a VACUUM (cannot remove them)"));
          holder.commit();
        }
        long c2 = completed(st);
        long t2 = System.nanoTime();
        pace(Duration.ofSeconds(5));
        rates.add(rate("after", c2, completed(st), t2));
      } finally {
        now.finish();
        later.finish();
      }
      ids.addAll(now.ids);
      ids.addAll(later.ids);
      Chaos.awaitAllCompleted(logPool, Duration.ofMinutes(2));
      vacuum(st);
      samples.add(sample(st, pg15, "after (transaction ended, flow stopped, VACUUM)"));
    }
    Chaos.Outcome o = Chaos.assertExactlyOnce(logPool, ids);
    assertThat(samples.get(samples.size() - 2).jobsDead())
        .as("dead tuples while the snapshot pinned the horizon")
        .isPositive();
    write(seconds, rate, samples, rates, o);
  }

  private static String rate(String phase, long from, long to, long sinceNanos) {
    double seconds = (System.nanoTime() - sinceNanos) / 1e9;
    String line =
        String.format(
            "| %s | %d jobs in %.1f s | %.0f jobs/s |",
            phase, to - from, seconds, (to - from) / seconds);
    log.info("long transaction throughput {}", line);
    return line;
  }

  private static void pace(Duration d) {
    LockSupport.parkNanos(d.toNanos()); // phase length of the measurement, not synchronisation
  }

  private static void vacuum(Statement st) throws SQLException {
    st.execute("VACUUM awa.jobs, awa.scheduled_jobs");
  }

  private static long completed(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery("SELECT count(*) FROM awa.jobs WHERE state = 'completed'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Sample sample(Statement st, boolean pg15, String phase) throws SQLException {
    if (pg15) {
      // Other backends flush their counters at most once a second; ours at once.
      st.execute("SELECT pg_stat_force_next_flush()");
    }
    long jobs = 0;
    long scheduled = 0;
    try (ResultSet rs =
        st.executeQuery(
            "SELECT relname, n_dead_tup FROM pg_stat_user_tables WHERE schemaname = 'awa'"
                + " AND relname IN ('jobs', 'scheduled_jobs')")) {
      while (rs.next()) {
        if ("jobs".equals(rs.getString(1))) {
          jobs = rs.getLong(2);
        } else {
          scheduled = rs.getLong(2);
        }
      }
    }
    Sample s = new Sample(phase, jobs, scheduled, completed(st));
    log.info("long transaction sample {}", s);
    return s;
  }

  private void write(int seconds, int rate, List<Sample> samples, List<String> rates, Object o)
      throws Exception {
    StringBuilder sb = new StringBuilder();
    sb.append("# Long transaction run ").append(Instant.now()).append("\n\n");
    sb.append("server_version_num ").append(db.server().serverVersionNum());
    sb.append(", backend ").append(db.server().backend());
    sb.append(", transaction held ").append(seconds).append(" s");
    sb.append(", offered rate ").append(rate).append(" jobs/s");
    sb.append(", cores ").append(Runtime.getRuntime().availableProcessors()).append("\n\n");
    sb.append(
        "| phase | awa.jobs n_dead_tup | awa.scheduled_jobs n_dead_tup | completed so far |\n");
    sb.append("|---|---|---|---|\n");
    for (Sample s : samples) {
      sb.append(
          String.format(
              "| %s | %d | %d | %d |%n",
              s.phase(), s.jobsDead(), s.scheduledDead(), s.completed()));
    }
    sb.append("\n| phase | completed | rate |\n|---|---|---|\n");
    rates.forEach(r -> sb.append(r).append('\n'));
    sb.append("\n").append(o).append('\n');
    Path out = Path.of("target", "chaos", "long-transaction.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, sb.toString());
    log.info("long transaction results written to {}:\n{}", out.toAbsolutePath(), sb);
  }
}
