package dev.awa.maintenance;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code queue_stats}: counts jobs per queue and state in both tables and the lag of the oldest due
 * available job per queue, and publishes the snapshot through {@link
 * MaintenanceListener#onQueueStats}. Read-only, so two leaders running it at once is harmless.
 */
final class QueueStatsBranch implements MaintenanceBranch {
  /** Whole-table counts: the statement timeout bounds them on very large tables. */
  static final String COUNTS =
      "SELECT queue, state, count(*) FROM awa.jobs GROUP BY queue, state"
          + " UNION ALL SELECT queue, state, count(*) FROM awa.scheduled_jobs GROUP BY queue, state";

  /** Literal state so a partial index on available rows applies. */
  static final String LAG =
      "SELECT queue, extract(epoch FROM now() - min(run_at)) FROM awa.jobs"
          + " WHERE state = 'available' AND run_at <= now() GROUP BY queue";

  private final Duration interval;
  private final Duration statementTimeout;

  QueueStatsBranch(Duration interval, Duration statementTimeout) {
    this.interval = interval;
    this.statementTimeout = statementTimeout;
  }

  @Override
  public String name() {
    return MaintenanceService.QUEUE_STATS;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void run(BranchContext ctx) throws Exception {
    QueueStats stats = snapshot(ctx);
    Listeners.safely(() -> ctx.listener().onQueueStats(stats));
  }

  QueueStats snapshot(BranchContext ctx) throws Exception {
    return ctx.inTransaction(
        statementTimeout,
        null,
        c -> {
          Instant at;
          try (PreparedStatement ps = c.prepareStatement("SELECT now()");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            at = rs.getObject(1, OffsetDateTime.class).toInstant();
          }
          Map<String, Map<String, Long>> counts = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(COUNTS);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              counts
                  .computeIfAbsent(rs.getString(1), q -> new HashMap<>())
                  .merge(rs.getString(2), rs.getLong(3), Long::sum);
            }
          }
          Map<String, Duration> lag = new HashMap<>();
          try (PreparedStatement ps = c.prepareStatement(LAG);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              lag.put(rs.getString(1), Duration.ofMillis((long) (rs.getDouble(2) * 1000)));
            }
          }
          Map<String, Map<String, Long>> frozen = new HashMap<>();
          counts.forEach((q, m) -> frozen.put(q, Map.copyOf(m)));
          return new QueueStats(at, frozen, lag);
        });
  }
}
