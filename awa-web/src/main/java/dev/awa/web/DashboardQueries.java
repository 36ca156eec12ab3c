package dev.awa.web;

import dev.awa.core.JobRow;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.DashboardSql;
import dev.awa.core.internal.store.DashboardSql.FinishedInMinute;
import dev.awa.core.internal.store.DashboardSql.LeaderTermRow;
import dev.awa.core.internal.store.StatusSql;
import dev.awa.core.internal.store.StatusSql.JobListQuery;
import dev.awa.core.internal.store.StatusSql.MaintenanceBranchRow;
import dev.awa.core.internal.store.StatusSql.RuntimeInstanceRow;
import dev.awa.web.Views.Health;
import dev.awa.web.Views.JobPage;
import dev.awa.web.Views.Maintenance;
import dev.awa.web.Views.Overview;
import dev.awa.web.Views.QueueView;
import dev.awa.web.Views.ThroughputPoint;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Every read of the dashboard, shaped into its views. The statements are awa-core's store: the
 * status reads it shares with {@code awa status} ({@link StatusSql}, the job list included) and its
 * own ({@link DashboardSql}); this class only runs them on one connection and assembles the pages.
 */
final class DashboardQueries {
  /** Minutes of completed/failed history on the overview chart. */
  static final int THROUGHPUT_MINUTES = 15;

  /**
   * A leader whose row was not refreshed for this long does not count as a leader: three times
   * refresh_admin_metadata's default interval (60 s), which is what refreshes it.
   */
  static final double LEADER_STALE_SECONDS = 180;

  private final DataSource dataSource;

  DashboardQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  Overview overview() {
    return Jdbc.withConnection(
        dataSource,
        "dashboard overview",
        c -> {
          Instant now = StatusSql.now(c);
          List<ThroughputPoint> throughput = new ArrayList<>();
          Map<String, long[]> recentByQueue = new TreeMap<>();
          throughput(c, now, throughput, recentByQueue);
          List<RuntimeInstanceRow> instances = StatusSql.runtimeInstances(c);
          List<MaintenanceBranchRow> branches = StatusSql.maintenanceBranches(c);
          return new Overview(
              now,
              queues(c, recentByQueue),
              throughput,
              instances,
              health(instances, branches, now));
        });
  }

  Maintenance maintenance() {
    return Jdbc.withConnection(
        dataSource,
        "dashboard maintenance",
        c -> {
          Instant now = StatusSql.now(c);
          List<RuntimeInstanceRow> instances = StatusSql.runtimeInstances(c);
          List<MaintenanceBranchRow> branches = StatusSql.maintenanceBranches(c);
          String layout = null;
          if (!branches.isEmpty()) {
            layout =
                branches.stream().anyMatch(b -> "single".equals(b.loop())) ? "SINGLE" : "SPLIT";
          }
          Health health = health(instances, branches, now);
          return new Maintenance(layout, branches, leaderTerms(c, health.leader()), health);
        });
  }

  /** The queue health {@code awa status} shows too ({@link StatusSql#queues}), plus recent work. */
  private static List<QueueView> queues(Connection c, Map<String, long[]> recent)
      throws SQLException {
    List<QueueView> out = new ArrayList<>();
    for (StatusSql.QueueSummary q : StatusSql.queues(c)) {
      long[] r = recent.getOrDefault(q.queue(), new long[2]);
      out.add(new QueueView(q.queue(), q.paused(), q.counts(), q.lagSeconds(), r[0], r[1]));
    }
    return out;
  }

  private static void throughput(
      Connection c, Instant now, List<ThroughputPoint> out, Map<String, long[]> byQueue)
      throws SQLException {
    Instant firstMinute =
        now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
            .minusSeconds(60L * (THROUGHPUT_MINUTES - 1));
    long[][] perMinute = new long[THROUGHPUT_MINUTES][2];
    for (FinishedInMinute f : DashboardSql.finishedPerQueueAndMinute(c, THROUGHPUT_MINUTES)) {
      int slot = (int) ((f.minute().getEpochSecond() - firstMinute.getEpochSecond()) / 60);
      if (slot >= 0 && slot < THROUGHPUT_MINUTES) {
        perMinute[slot][0] += f.completed();
        perMinute[slot][1] += f.failed();
      }
      long[] q = byQueue.computeIfAbsent(f.queue(), k -> new long[2]);
      q[0] += f.completed();
      q[1] += f.failed();
    }
    for (int i = 0; i < THROUGHPUT_MINUTES; i++) {
      out.add(
          new ThroughputPoint(firstMinute.plusSeconds(60L * i), perMinute[i][0], perMinute[i][1]));
    }
  }

  private static List<Views.LeaderTerm> leaderTerms(Connection c, String liveLeader)
      throws SQLException {
    List<Views.LeaderTerm> out = new ArrayList<>();
    for (LeaderTermRow t : DashboardSql.recentLeaderTerms(c)) {
      out.add(
          new Views.LeaderTerm(
              t.instanceId(),
              t.hostname(),
              t.leaderSince(),
              t.lastSeenAt(),
              out.isEmpty() && t.instanceId().equals(liveLeader)));
    }
    return out;
  }

  /** No live leader, a delayed branch, or a branch table the leader stopped refreshing. */
  static Health health(
      List<RuntimeInstanceRow> instances, List<MaintenanceBranchRow> branches, Instant now) {
    List<String> problems = new ArrayList<>();
    String leader =
        instances.stream()
            .filter(i -> i.leader() && i.lastSeenSecondsAgo() < LEADER_STALE_SECONDS)
            .map(RuntimeInstanceRow::instanceId)
            .findFirst()
            .orElse(null);
    if (leader == null) {
      problems.add(
          "No maintenance leader: no instance holding the lock was seen in the last "
              + (long) LEADER_STALE_SECONDS
              + " s. Scheduled jobs are not promoted and dead workers' jobs are not rescued.");
    }
    List<String> delayed =
        branches.stream()
            .filter(b -> "delayed".equals(b.overrunState()))
            .map(MaintenanceBranchRow::branch)
            .toList();
    if (!delayed.isEmpty()) {
      problems.add(
          "Maintenance delayed: " + String.join(", ", delayed) + " overrun their interval.");
    }
    Double age = null;
    Optional<Instant> lastUpdate =
        branches.stream()
            .map(MaintenanceBranchRow::updatedAt)
            .filter(t -> t != null)
            .max(Instant::compareTo);
    if (lastUpdate.isPresent()) {
      age = (now.toEpochMilli() - lastUpdate.get().toEpochMilli()) / 1000.0;
      if (leader != null && age > LEADER_STALE_SECONDS) {
        problems.add(
            "Maintenance status not refreshed for "
                + Math.round(age)
                + " s: the leader may be stuck.");
      }
    }
    return new Health(leader, delayed, age, problems);
  }

  // ---------------------------------------------------------------- jobs

  /**
   * One page of jobs ({@link StatusSql#listJobs}: per table that can hold a match, a keyset-limited
   * walk of the primary key, then merged in the same order). {@code limit + 1} rows are read to
   * know whether a next page exists without counting.
   */
  JobPage jobs(JobListQuery q) {
    return Jdbc.withConnection(
        dataSource,
        "dashboard jobs",
        c -> {
          List<JobRow> rows = StatusSql.listJobs(c, q.withLimit(q.limit() + 1));
          Long next = null;
          if (rows.size() > q.limit()) {
            rows = rows.subList(0, q.limit());
            next = rows.get(rows.size() - 1).id();
          }
          return new JobPage(List.copyOf(rows), next);
        });
  }
}
