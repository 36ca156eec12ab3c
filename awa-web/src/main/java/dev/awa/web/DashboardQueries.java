package dev.awa.web;

import dev.awa.core.JobRow;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.JobRows;
import dev.awa.core.internal.store.StatusSql;
import dev.awa.core.internal.store.StatusSql.MaintenanceBranchRow;
import dev.awa.core.internal.store.StatusSql.RuntimeInstanceRow;
import dev.awa.web.Views.Health;
import dev.awa.web.Views.JobPage;
import dev.awa.web.Views.Maintenance;
import dev.awa.web.Views.Overview;
import dev.awa.web.Views.QueueView;
import dev.awa.web.Views.ThroughputPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Every read of the dashboard. Jobs live in two tables with the same columns (awa.jobs and
 * awa.scheduled_jobs), so job reads cover both. States are SQL literals, never parameters, so
 * PostgreSQL can match the partial indexes defined on them; user input is always bound.
 */
final class DashboardQueries {
  /** Minutes of completed/failed history on the overview chart. */
  static final int THROUGHPUT_MINUTES = 15;

  /**
   * A leader whose row was not refreshed for this long does not count as a leader: three times
   * refresh_admin_metadata's default interval (60 s), which is what refreshes it.
   */
  static final double LEADER_STALE_SECONDS = 180;

  /** Finished rows of the last minutes, per queue and minute: walks jobs_finalized_idx. */
  static final String THROUGHPUT =
      """
      SELECT queue, date_trunc('minute', finalized_at) AS minute,
             count(*) FILTER (WHERE state = 'completed') AS completed,
             count(*) FILTER (WHERE state = 'failed') AS failed
        FROM awa.jobs
       WHERE state IN ('completed', 'failed')
         AND finalized_at >= date_trunc('minute', now()) - (? - 1) * interval '1 minute'
       GROUP BY queue, minute
      """;

  static final String NOW = "SELECT now() AS now";

  static final String LEADER_TERMS =
      """
      SELECT instance_id, hostname, leader_since, last_seen_at
        FROM awa.leader_history
       ORDER BY leader_since DESC
       LIMIT 20
      """;

  private final DataSource dataSource;

  DashboardQueries(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  Overview overview() {
    return Jdbc.withConnection(
        dataSource,
        "dashboard overview",
        c -> {
          Instant now = now(c);
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
          Instant now = now(c);
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

  private static Instant now(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(NOW);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getObject("now", OffsetDateTime.class).toInstant();
    }
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
    try (PreparedStatement ps = c.prepareStatement(THROUGHPUT)) {
      ps.setInt(1, THROUGHPUT_MINUTES);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant minute = rs.getObject("minute", OffsetDateTime.class).toInstant();
          int slot = (int) ((minute.getEpochSecond() - firstMinute.getEpochSecond()) / 60);
          long completed = rs.getLong("completed");
          long failed = rs.getLong("failed");
          if (slot >= 0 && slot < THROUGHPUT_MINUTES) {
            perMinute[slot][0] += completed;
            perMinute[slot][1] += failed;
          }
          long[] q = byQueue.computeIfAbsent(rs.getString("queue"), k -> new long[2]);
          q[0] += completed;
          q[1] += failed;
        }
      }
    }
    for (int i = 0; i < THROUGHPUT_MINUTES; i++) {
      out.add(
          new ThroughputPoint(firstMinute.plusSeconds(60L * i), perMinute[i][0], perMinute[i][1]));
    }
  }

  private static List<Views.LeaderTerm> leaderTerms(Connection c, String liveLeader)
      throws SQLException {
    List<Views.LeaderTerm> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(LEADER_TERMS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String id = rs.getString("instance_id");
        out.add(
            new Views.LeaderTerm(
                id,
                rs.getString("hostname"),
                JobRows.instant(rs, "leader_since"),
                JobRows.instant(rs, "last_seen_at"),
                out.isEmpty() && id.equals(liveLeader)));
      }
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
   * One page of jobs: per table that can hold a match, a keyset-limited walk of the primary key,
   * then merged in the same order. {@code limit + 1} rows are read to know whether a next page
   * exists without counting.
   */
  JobPage jobs(JobQuery q) {
    return Jdbc.withConnection(
        dataSource,
        "dashboard jobs",
        c -> {
          List<JobRow> rows = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(jobsSql(q))) {
            int i = 1;
            int tables = (q.readsJobsTable() ? 1 : 0) + (q.readsScheduledTable() ? 1 : 0);
            for (int t = 0; t < tables; t++) {
              i = bindFilter(ps, i, q);
              ps.setInt(i++, q.limit() + 1);
            }
            ps.setInt(i, q.limit() + 1);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                rows.add(JobRows.map(rs));
              }
            }
          }
          Long next = null;
          if (rows.size() > q.limit()) {
            rows = rows.subList(0, q.limit());
            next = rows.get(rows.size() - 1).id();
          }
          return new JobPage(List.copyOf(rows), next);
        });
  }

  static String jobsSql(JobQuery q) {
    List<String> branches = new ArrayList<>();
    if (q.readsJobsTable()) {
      branches.add(branch("awa.jobs", q));
    }
    if (q.readsScheduledTable()) {
      branches.add(branch("awa.scheduled_jobs", q));
    }
    return "SELECT * FROM ("
        + String.join(" UNION ALL ", branches)
        + ") AS matching ORDER BY id "
        + (q.newestFirst() ? "DESC" : "ASC")
        + " LIMIT ?";
  }

  private static String branch(String table, JobQuery q) {
    List<String> where = new ArrayList<>();
    if (q.state() != null) {
      where.add("state = '" + q.state().dbName() + "'");
    }
    if (q.queue() != null) {
      where.add("queue = ?");
    }
    if (q.kind() != null) {
      where.add("kind = ?");
    }
    if (q.tag() != null) {
      where.add("tags @> ARRAY[?]::text[]");
    }
    if (q.id() != null) {
      where.add("id = ?");
    }
    if (q.cursor() != null) {
      where.add(q.newestFirst() ? "id < ?" : "id > ?");
    }
    return "(SELECT "
        + JobRows.SELECT_LIST
        + " FROM "
        + table
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY id "
        + (q.newestFirst() ? "DESC" : "ASC")
        + " LIMIT ?)";
  }

  private static int bindFilter(PreparedStatement ps, int i, JobQuery q) throws SQLException {
    if (q.queue() != null) {
      ps.setString(i++, q.queue());
    }
    if (q.kind() != null) {
      ps.setString(i++, q.kind());
    }
    if (q.tag() != null) {
      ps.setString(i++, q.tag());
    }
    if (q.id() != null) {
      ps.setLong(i++, q.id());
    }
    if (q.cursor() != null) {
      ps.setLong(i++, q.cursor());
    }
    return i;
  }
}
