package dev.awa.core;

import dev.awa.core.internal.InstanceHolds;
import dev.awa.core.internal.Jdbc;
import java.sql.PreparedStatement;
import java.util.Map;
import javax.sql.DataSource;

/**
 * This runtime's row in {@code awa.runtime_instances}: inserted at start, {@code last_seen_at}
 * refreshed with every heartbeat tick, deleted at close unless the process's maintenance service
 * (same instance id, see {@link InstanceHolds}) still holds it; then the last of the two to close
 * deletes it. The {@code info} carries {@code heartbeat_staleness_ms}, the staleness the rescue
 * applies to this runtime's jobs. The leader columns ({@code is_leader}, {@code leader_since})
 * belong to the maintenance leader and are never written here.
 */
final class InstanceRegistration {
  private final DataSource dataSource;
  private final String instanceId;
  private final String hostname;
  private final long pid;
  private final String queuesJson;
  private final String infoJson;

  InstanceRegistration(
      DataSource dataSource,
      String instanceId,
      String hostname,
      long pid,
      Map<String, Object> queues,
      Map<String, Object> info) {
    this.dataSource = dataSource;
    this.instanceId = instanceId;
    this.hostname = hostname;
    this.pid = pid;
    this.queuesJson = Json.write(queues);
    this.infoJson = Json.write(info);
  }

  void register() {
    InstanceHolds.hold(instanceId);
    insert();
  }

  private void insert() {
    Jdbc.withConnection(
        dataSource,
        "registerInstance",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO awa.runtime_instances (instance_id, hostname, pid, queues, info)"
                      + " VALUES (?, ?, ?, ?::jsonb, ?::jsonb)"
                      + " ON CONFLICT (instance_id) DO UPDATE SET hostname = EXCLUDED.hostname,"
                      + " pid = EXCLUDED.pid, queues = EXCLUDED.queues, info = EXCLUDED.info,"
                      + " started_at = now(), last_seen_at = now()")) {
            ps.setString(1, instanceId);
            ps.setString(2, hostname);
            ps.setLong(3, pid);
            ps.setString(4, queuesJson);
            ps.setString(5, infoJson);
            return ps.executeUpdate();
          }
        });
  }

  void touch() {
    Jdbc.withConnection(
        dataSource,
        "touchInstance",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE awa.runtime_instances SET last_seen_at = now() WHERE instance_id = ?")) {
            ps.setString(1, instanceId);
            if (ps.executeUpdate() == 0) {
              // Someone removed the row (e.g. a cleanup of dead instances): put it back.
              insert();
            }
            return null;
          }
        });
  }

  void deregister() {
    if (!InstanceHolds.release(instanceId)) {
      return; // the maintenance service of this process still uses the row
    }
    Jdbc.withConnection(
        dataSource,
        "deregisterInstance",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM awa.runtime_instances WHERE instance_id = ?")) {
            ps.setString(1, instanceId);
            return ps.executeUpdate();
          }
        });
  }
}
