package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobResult;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What an idle runtime costs the database: transactions per second and connections of one runtime
 * with 1, 10 and 50 queues (nothing to do) plus a maintenance leader, every setting at its default.
 * Transactions are read from {@code pg_stat_database} over a window after a settling period;
 * connections are the backends the pools opened (pools open connections only when needed at once,
 * so that is the peak the runtime and the leader used).
 */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    description =
        "Idle runtime with 1/10/50 queues plus its leader: transactions/s and connections.")
public final class IdleScenario implements Scenario {
  @Option(
      names = "--queues",
      split = ",",
      defaultValue = "1,10,50",
      description = "Queue counts (default ${DEFAULT-VALUE}).")
  List<Integer> queueCounts = new ArrayList<>(List.of(1, 10, 50));

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "Measured window per queue count (default ${DEFAULT-VALUE}).")
  int seconds = 30;

  @Option(
      names = "--settle-seconds",
      defaultValue = "5",
      description = "Wait after start before the window opens (default ${DEFAULT-VALUE}).")
  int settleSeconds = 5;

  @Override
  public String name() {
    return "idle";
  }

  @Override
  public String description() {
    return "One idle AwaRuntime with "
        + queueCounts
        + " queues (concurrency 4 each, every default, LISTEN on) plus a MaintenanceService leader"
        + " (every default), each with its own pool of 20: transactions/s over "
        + seconds
        + " s after "
        + settleSeconds
        + " s of settling (pg_stat_database, the measuring statements subtracted), and the"
        + " database's backends at the end of the window.";
  }

  /** Sets the shape (smoke tests). */
  public IdleScenario shape(List<Integer> queues, int seconds, int settleSeconds) {
    this.queueCounts = new ArrayList<>(queues);
    this.seconds = seconds;
    this.settleSeconds = settleSeconds;
    return this;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    ScenarioResult result = new ScenarioResult();
    result.setting("queues", queueCounts);
    result.setting("window_s", seconds);
    result.setting("settle_s", settleSeconds);
    for (int queues : queueCounts) {
      try (TestDatabase db = context.freshDatabase("idle")) {
        context.progress().line(queues + " queue(s): idle runtime + leader for " + seconds + " s");
        AwaRuntime.Builder b =
            AwaRuntime.builder(db.newDataSource(20, "awa-bench-idle-runtime"))
                .register("idle", ctx -> JobResult.completed());
        for (int q = 0; q < queues; q++) {
          b.queue("idle_" + q, 4);
        }
        AwaRuntime runtime = b.build();
        MaintenanceService leader =
            MaintenanceService.builder(db.newDataSource(20, "awa-bench-idle-leader")).build();
        runtime.start();
        leader.start();
        try (Connection c = db.openConnection()) {
          TimeUnit.SECONDS.sleep(settleSeconds);
          long t0 = System.nanoTime();
          long tx0 = transactions(c);
          TimeUnit.SECONDS.sleep(seconds);
          long tx1 = transactions(c);
          double secs = (System.nanoTime() - t0) / 1e9;
          // The second read's own transaction is counted by the first reading's statistics.
          double perSecond = (tx1 - tx0 - 1) / secs;
          long[] conns = connections(c);
          String k = "_" + queues + "q";
          result.metric("tx_per_s" + k, "tx/s", perSecond, queues + " queues + leader, idle");
          result.metric(
              "connections" + k, "", conns[0], "backends of the runtime's and the leader's pools");
          result.metric("runtime_connections" + k, "", conns[1], "backends of the runtime's pool");
          result.check("leader_elected" + k, leader.isLeader() ? 0 : 1);
        } finally {
          runtime.close();
          leader.close();
        }
      }
    }
    return result;
  }

  private static long transactions(Connection c) throws Exception {
    // pg_stat_database is a snapshot per transaction: clear it so each read is fresh.
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs =
          st.executeQuery(
              "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                  + " WHERE datname = current_database()")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long[] connections(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FILTER (WHERE application_name LIKE 'awa-bench-idle-%'"
                    + " OR application_name = 'awa-listener'),"
                    + " count(*) FILTER (WHERE application_name = 'awa-bench-idle-runtime')"
                    + " FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid()")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }
}
