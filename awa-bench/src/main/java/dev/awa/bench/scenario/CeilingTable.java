package dev.awa.bench.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The bare-SQL ceiling's job table: the columns and the partial dequeue index of {@code awa.jobs}
 * that a claim and a completion touch, and nothing else (no triggers, no unique-key machinery, no
 * paused-queue check). Claim and completion have the same shape as awa-core's, so the difference
 * between the two drains is the cost of everything Awa adds.
 */
final class CeilingTable {
  static final String NAME = "public.bench_ceiling_jobs";

  private static final String CREATE =
      "CREATE TABLE "
          + NAME
          + " ("
          + " id bigserial PRIMARY KEY,"
          + " kind text NOT NULL,"
          + " queue text NOT NULL,"
          + " args jsonb NOT NULL DEFAULT '{}',"
          + " state text NOT NULL,"
          + " priority smallint NOT NULL DEFAULT 2,"
          + " attempt integer NOT NULL DEFAULT 0,"
          + " run_at timestamptz NOT NULL DEFAULT now(),"
          + " created_at timestamptz NOT NULL DEFAULT now(),"
          + " attempted_at timestamptz,"
          + " heartbeat_at timestamptz,"
          + " deadline_at timestamptz,"
          + " finalized_at timestamptz,"
          + " run_lease bigint NOT NULL DEFAULT 0)";

  private static final String INDEX =
      "CREATE INDEX bench_ceiling_jobs_dequeue_idx ON "
          + NAME
          + " (queue, priority, run_at, id) WHERE state = 'available'";

  private static final String LOAD =
      "INSERT INTO "
          + NAME
          + " (kind, queue, args, state)"
          + " SELECT 'bench', ?, jsonb_build_object('n', g), 'available'"
          + " FROM generate_series(1, ?) g RETURNING id";

  /** Same shape as awa-core's claim: CTE with SKIP LOCKED, UPDATE re-checking the state. */
  static final String CLAIM =
      "WITH picked AS ("
          + " SELECT id FROM "
          + NAME
          + " WHERE state = 'available' AND queue = ? AND run_at <= now()"
          + " ORDER BY priority, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " UPDATE "
          + NAME
          + " j SET state = 'running', attempt = j.attempt + 1, run_lease = j.run_lease + 1,"
          + " attempted_at = now(), heartbeat_at = now(),"
          + " deadline_at = now() + interval '10 minutes'"
          + " FROM picked WHERE j.id = picked.id AND j.state = 'available'"
          + " RETURNING j.id, j.run_lease, j.args";

  /** Same shape as awa-core's completeMany: fenced by (id, run_lease, state). */
  static final String COMPLETE_MANY =
      "UPDATE "
          + NAME
          + " j SET state = 'completed', finalized_at = now()"
          + " FROM unnest(?::bigint[], ?::bigint[]) AS l(id, lease)"
          + " WHERE j.id = l.id AND j.run_lease = l.lease AND j.state = 'running'"
          + " RETURNING j.id";

  private CeilingTable() {}

  static void create(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(CREATE);
      st.execute(INDEX);
    }
  }

  /** Inserts {@code jobs} available jobs of {@code queue}; returns their ids. */
  static long[] load(Connection c, String queue, int jobs) throws SQLException {
    List<Long> ids = new ArrayList<>(jobs);
    try (PreparedStatement ps = c.prepareStatement(LOAD)) {
      ps.setString(1, queue);
      ps.setInt(2, jobs);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }
}
