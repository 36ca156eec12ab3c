package dev.awa.core;

import dev.awa.core.internal.InstanceHolds;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.InstanceSql;
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
  private final InstanceSql.Registration registration;

  InstanceRegistration(
      DataSource dataSource,
      String instanceId,
      String hostname,
      long pid,
      Map<String, Object> queues,
      Map<String, Object> info) {
    this.dataSource = dataSource;
    this.instanceId = instanceId;
    this.registration =
        new InstanceSql.Registration(
            instanceId, hostname, pid, Json.write(queues), Json.write(info));
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
          InstanceSql.register(c, registration);
          return null;
        });
  }

  void touch() {
    boolean present =
        Jdbc.withConnection(dataSource, "touchInstance", c -> InstanceSql.touch(c, instanceId));
    if (!present) {
      // Someone removed the row (e.g. a cleanup of dead instances): put it back.
      insert();
    }
  }

  void deregister() {
    if (!InstanceHolds.release(instanceId)) {
      return; // the maintenance service of this process still uses the row
    }
    Jdbc.withConnection(
        dataSource,
        "deregisterInstance",
        c -> {
          InstanceSql.delete(c, instanceId);
          return null;
        });
  }
}
