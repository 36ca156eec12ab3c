package dev.awa.bench.scenario;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare job table for the ceiling: the columns of {@code awa.jobs} that a claim and a completion
 * touch, its primary key and its partial dequeue index, and nothing else (no triggers, no
 * unique-key machinery, no paused-queue check). Optionally also awa.jobs's heartbeat, deadline and
 * cleanup indexes, which every claim and completion must maintain: with them the ceiling separates
 * the cost of Awa's indexes from the cost of its statements and client. Claim and completion have
 * the same shape as awa-core's.
 */
final class CeilingTable {
  private final String name;
  private final boolean withAwaIndexes;

  /**
   * @param name unqualified table name (created in schema public)
   * @param withAwaIndexes whether to add awa.jobs's heartbeat, deadline and cleanup indexes
   */
  CeilingTable(String name, boolean withAwaIndexes) {
    this.name = "public." + name;
    this.withAwaIndexes = withAwaIndexes;
  }

  String name() {
    return name;
  }

  boolean withAwaIndexes() {
    return withAwaIndexes;
  }

  private String indexName(String suffix) {
    return name.substring("public.".length()) + "_" + suffix;
  }

  /** Creates the table and its indexes. */
  void create(Connection c) throws SQLException {
    List<String> ddl = new ArrayList<>();
    ddl.add(
        "CREATE TABLE "
            + name
            + " (id bigserial PRIMARY KEY, kind text NOT NULL, queue text NOT NULL,"
            + " args jsonb NOT NULL DEFAULT '{}', state text NOT NULL,"
            + " priority smallint NOT NULL DEFAULT 2, attempt integer NOT NULL DEFAULT 0,"
            + " run_at timestamptz NOT NULL DEFAULT now(),"
            + " created_at timestamptz NOT NULL DEFAULT now(), attempted_at timestamptz,"
            + " heartbeat_at timestamptz, deadline_at timestamptz, finalized_at timestamptz,"
            + " run_lease bigint NOT NULL DEFAULT 0)");
    ddl.add(
        "CREATE INDEX "
            + indexName("dequeue_idx")
            + " ON "
            + name
            + " (queue, priority, run_at, id) WHERE state = 'available'");
    if (withAwaIndexes) {
      ddl.add(
          "CREATE INDEX "
              + indexName("heartbeat_idx")
              + " ON "
              + name
              + " (heartbeat_at) WHERE state = 'running'");
      ddl.add(
          "CREATE INDEX "
              + indexName("deadline_idx")
              + " ON "
              + name
              + " (deadline_at) WHERE state = 'running'");
      ddl.add(
          "CREATE INDEX "
              + indexName("finalized_idx")
              + " ON "
              + name
              + " (state, finalized_at, id) WHERE state IN ('completed', 'failed', 'cancelled')");
    }
    try (Statement st = c.createStatement()) {
      for (String sql : ddl) {
        st.execute(sql);
      }
    }
  }

  /** Inserts {@code jobs} available jobs of {@code queue}; returns their ids. */
  long[] load(Connection c, String queue, int jobs) throws SQLException {
    long[] ids = new long[jobs];
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + name
                + " (kind, queue, args, state)"
                + " SELECT 'bench', ?, jsonb_build_object('n', g), 'available'"
                + " FROM generate_series(1, ?) g RETURNING id")) {
      ps.setString(1, queue);
      ps.setInt(2, jobs);
      try (ResultSet rs = ps.executeQuery()) {
        int i = 0;
        while (rs.next()) {
          ids[i++] = rs.getLong(1);
        }
      }
    }
    return ids;
  }

  /**
   * Same shape as awa-core's claim: CTE with SKIP LOCKED, UPDATE re-checking the state. Parameters:
   * queue, limit. Returns id, run_lease, args.
   */
  String claimSql() {
    return "WITH picked AS (SELECT id FROM "
        + name
        + " WHERE state = 'available' AND queue = ? AND run_at <= now()"
        + " ORDER BY priority, run_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
        + " UPDATE "
        + name
        + " j SET state = 'running', attempt = j.attempt + 1, run_lease = j.run_lease + 1,"
        + " attempted_at = now(), heartbeat_at = now(),"
        + " deadline_at = now() + interval '10 minutes'"
        + " FROM picked WHERE j.id = picked.id AND j.state = 'available'"
        + " RETURNING j.id, j.run_lease, j.args";
  }

  /**
   * Same shape as awa-core's completeMany, fenced by (id, run_lease, state). Parameters: ids,
   * leases. Returns the completed ids.
   *
   * <p>Kept identical to awa-core's statement on purpose, including the state check written as
   * {@code state COLLATE "C" = 'running'}: the plain {@code state = 'running'} lets the planner
   * scan the running-rows partial indexes instead of probing the primary key, which was most of the
   * gap between the two ceilings (docs/benchmarks/README.md, finding 1, fixed in core by d01c05b).
   * If awa-core changes the statement, change it here.
   */
  String completeManySql() {
    return "UPDATE "
        + name
        + " j SET state = 'completed', finalized_at = now()"
        + " FROM unnest(?::bigint[], ?::bigint[]) AS l(id, lease)"
        + " WHERE j.id = l.id AND j.run_lease = l.lease AND j.state COLLATE \"C\" = 'running'"
        + " RETURNING j.id";
  }
}
