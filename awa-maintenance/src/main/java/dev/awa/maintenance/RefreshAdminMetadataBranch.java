package dev.awa.maintenance;

import dev.awa.core.internal.store.MaintenanceSql;
import dev.awa.core.internal.store.MaintenanceSql.BranchRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code refresh_admin_metadata}: keeps the tables operators and {@code awa status} read in step
 * with this leader: its {@code awa.runtime_instances} row (liveness and leader flag; any other row
 * still flagged as leader is stale, because this process holds the lock), rows of processes not
 * seen for {@code staleInstanceAfter} removed, one {@code awa.maintenance_branches} row per branch,
 * and the leadership term in {@code awa.leader_history}. Upserts of whole rows: two leaders running
 * it at once just write in turn, the last one wins, and the next tick of the true leader puts it
 * right.
 */
final class RefreshAdminMetadataBranch implements MaintenanceBranch {
  /** The branch name. */
  static final String NAME = "refresh_admin_metadata";

  /** Default interval: 60 s. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** Default {@code staleInstanceAfter}: 15 min (1 min to 7 days). */
  static final Duration DEFAULT_STALE_INSTANCE_AFTER = Duration.ofMinutes(15);

  private final Duration interval;
  private final Duration statementTimeout;
  private final String hostname;
  private final long pid;
  private final Supplier<List<BranchStatus>> statuses;
  private final Duration staleInstanceAfter;

  RefreshAdminMetadataBranch(
      Duration interval,
      Duration statementTimeout,
      String hostname,
      long pid,
      Supplier<List<BranchStatus>> statuses,
      Duration staleInstanceAfter) {
    this.staleInstanceAfter =
        Limits.range(
            "staleInstanceAfter", staleInstanceAfter, Duration.ofMinutes(1), Duration.ofDays(7));
    this.interval = interval;
    this.statementTimeout = statementTimeout;
    this.hostname = hostname;
    this.pid = pid;
    this.statuses = statuses;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void run(BranchContext ctx) throws Exception {
    String self = ctx.instanceId();
    List<BranchRow> rows = new ArrayList<>();
    for (BranchStatus s : statuses.get()) {
      rows.add(
          new BranchRow(
              s.branch(),
              s.loop(),
              self,
              s.lastStartedAt(),
              s.lastSuccessAt(),
              s.lastDuration(),
              s.overrunState().dbValue(),
              s.overrunEpisodes(),
              s.lastError(),
              s.interval(),
              s.recentRuns(),
              s.durationP50(),
              s.durationP99(),
              s.latenessP50(),
              s.latenessP99()));
    }
    ctx.inTransaction(
        statementTimeout,
        null,
        c -> {
          MaintenanceSql.markLeader(c, self, hostname, pid);
          MaintenanceSql.pruneStaleInstances(c, self, staleInstanceAfter);
          MaintenanceSql.upsertBranchStatus(c, rows);
          MaintenanceSql.recordTerm(c, self);
          return null;
        });
  }
}
