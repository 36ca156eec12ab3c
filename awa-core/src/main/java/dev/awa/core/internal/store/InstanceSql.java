package dev.awa.core.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Not API. A worker runtime's own row in {@code awa.runtime_instances}: registered at start, kept
 * fresh with every heartbeat tick, removed when the last holder in the process closes (the
 * maintenance service of the same process shares the row; see {@code InstanceHolds}). The leader
 * columns are the maintenance leader's ({@link MaintenanceSql}) and are never written here. Every
 * statement goes by primary key ({@code instance_id}).
 */
public final class InstanceSql {
  private InstanceSql() {}

  /** What a runtime registers about itself; the JSON texts are objects. */
  public record Registration(
      String instanceId, String hostname, long pid, String queuesJson, String infoJson) {}

  /**
   * Inserts the row, or takes over one of the same id (a restart with a fixed instance id; the
   * maintenance service wrote it first): the runtime owns hostname, pid, queues and info. Leaves
   * the leader columns alone. Parameters: instance id, hostname, pid, queues json, info json.
   */
  static final String REGISTER =
      """
      INSERT INTO awa.runtime_instances (instance_id, hostname, pid, queues, info)
      VALUES (?, ?, ?, ?::jsonb, ?::jsonb)
      ON CONFLICT (instance_id) DO UPDATE SET hostname = EXCLUDED.hostname, pid = EXCLUDED.pid,
        queues = EXCLUDED.queues, info = EXCLUDED.info, started_at = now(), last_seen_at = now()
      """;

  /**
   * Marks the row seen now; HOT (no index covers {@code last_seen_at}), so a tick per heartbeat
   * costs little. Parameter: instance id.
   */
  static final String TOUCH =
      """
      UPDATE awa.runtime_instances SET last_seen_at = now() WHERE instance_id = ?
      """;

  /** Removes the row. Parameter: instance id. */
  static final String DELETE =
      """
      DELETE FROM awa.runtime_instances WHERE instance_id = ?
      """;

  /** Inserts or takes over the row of {@code r.instanceId()}. */
  public static void register(Connection c, Registration r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(REGISTER)) {
      ps.setString(1, r.instanceId());
      ps.setString(2, r.hostname());
      ps.setLong(3, r.pid());
      ps.setString(4, r.queuesJson());
      ps.setString(5, r.infoJson());
      ps.executeUpdate();
    }
  }

  /** Marks the row seen now; false when it is missing (someone pruned it). */
  public static boolean touch(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(TOUCH)) {
      ps.setString(1, instanceId);
      return ps.executeUpdate() > 0;
    }
  }

  /** Removes the row of {@code instanceId}. */
  public static void delete(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DELETE)) {
      ps.setString(1, instanceId);
      ps.executeUpdate();
    }
  }
}
