package dev.awa.maintenance;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cleanup}: deletes finished jobs past their retention (completed 24 h, failed and cancelled
 * 72 h by default) in batches by index order, each batch its own short transaction, within a time
 * budget per tick, taking the states round-robin so one huge state cannot starve the others. After
 * each tick it reports how far behind it is: the rows past retention that are still there (probed
 * up to {@value #BACKLOG_PROBE_LIMIT}) and how overdue the oldest is.
 */
final class CleanupBranch implements MaintenanceBranch {
  static final int BACKLOG_PROBE_LIMIT = 100_000;

  /**
   * One batch of one state (a literal, so {@code jobs_finalized_idx (state, finalized_at, id)}
   * applies and the subquery reads it in order: the oldest rows go first and each batch starts
   * where the index begins, with no offset scan). {@code SKIP LOCKED} steps over rows an operator
   * is retrying at this moment instead of waiting on them; the outer state check keeps a row that
   * was retried meanwhile. Parameters: retention millis, batch size.
   */
  private static String deleteSql(String state) {
    // MATERIALIZED: as a plain IN (subquery) a nested-loop semi join re-runs the LIMIT per row
    // and deletes far more than one batch in one long statement.
    return "WITH picked AS MATERIALIZED (SELECT id FROM awa.jobs"
        + " WHERE state = '"
        + state
        + "' AND finalized_at < now() - ? * interval '1 millisecond'"
        + " ORDER BY finalized_at, id LIMIT ? FOR UPDATE SKIP LOCKED),"
        + " d AS (DELETE FROM awa.jobs WHERE id IN (SELECT id FROM picked) AND state = '"
        + state
        + "' RETURNING 1) SELECT count(*) FROM d";
  }

  /**
   * How far behind: bounded count over the same index range, and how far past retention the oldest
   * row is. Parameters: retention millis (twice), probe limit.
   */
  private static String backlogSql(String state) {
    return "SELECT count(*), coalesce(extract(epoch FROM (now() - ? * interval '1 millisecond')"
        + " - min(finalized_at)), 0) FROM (SELECT finalized_at FROM awa.jobs WHERE state = '"
        + state
        + "' AND finalized_at < now() - ? * interval '1 millisecond'"
        + " ORDER BY finalized_at, id LIMIT ?) s";
  }

  private final Duration interval;
  private final Map<String, Duration> retention;
  private final int batchSize;
  private final Duration timeBudget;
  private final Duration statementTimeout;
  private final Duration lockTimeout;

  CleanupBranch(
      Duration interval,
      Map<String, Duration> retention,
      int batchSize,
      Duration timeBudget,
      Duration statementTimeout,
      Duration lockTimeout) {
    this.interval = interval;
    this.retention = new LinkedHashMap<>(retention);
    this.batchSize = batchSize;
    this.timeBudget = timeBudget;
    this.statementTimeout = statementTimeout;
    this.lockTimeout = lockTimeout;
  }

  @Override
  public String name() {
    return MaintenanceService.CLEANUP;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void run(BranchContext ctx) throws Exception {
    long deadline = System.nanoTime() + timeBudget.toNanos();
    List<String> pending = new ArrayList<>(retention.keySet());
    Map<String, Integer> deleted = new LinkedHashMap<>();
    while (!pending.isEmpty() && ctx.isLeader() && System.nanoTime() - deadline < 0) {
      for (var it = pending.iterator(); it.hasNext(); ) {
        String state = it.next();
        int n = deleteBatch(ctx, state);
        deleted.merge(state, n, Integer::sum);
        if (n < batchSize) {
          it.remove(); // caught up for this state
        }
        if (System.nanoTime() - deadline >= 0) {
          break;
        }
      }
    }
    deleted.forEach(
        (state, n) -> {
          if (n > 0) {
            Listeners.safely(() -> ctx.listener().onCleaned(state, n));
          }
        });
    for (String state : retention.keySet()) {
      if (!pending.contains(state)) {
        Listeners.safely(() -> ctx.listener().onCleanupBacklog(state, 0, Duration.ZERO));
      } else {
        long[] backlog = backlog(ctx, state);
        Duration overdue = Duration.ofMillis(backlog[1]);
        Listeners.safely(() -> ctx.listener().onCleanupBacklog(state, backlog[0], overdue));
      }
    }
  }

  int deleteBatch(BranchContext ctx, String state) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        lockTimeout,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(deleteSql(state))) {
            ps.setLong(1, retention.get(state).toMillis());
            ps.setInt(2, batchSize);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

  private long[] backlog(BranchContext ctx, String state) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        null,
        c -> {
          try (PreparedStatement ps = c.prepareStatement(backlogSql(state))) {
            long ms = retention.get(state).toMillis();
            ps.setLong(1, ms);
            ps.setLong(2, ms);
            ps.setInt(3, BACKLOG_PROBE_LIMIT);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new long[] {rs.getLong(1), (long) (rs.getDouble(2) * 1000)};
            }
          }
        });
  }
}
