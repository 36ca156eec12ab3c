package dev.awa.spring;

import dev.awa.core.QueueConfig;
import dev.awa.maintenance.BranchStatus;
import dev.awa.maintenance.MaintenanceService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * Adds {@code awa} to the info endpoint: the queues this process works (concurrency, deadline), the
 * kinds it has workers for, whether it leads, and each maintenance branch as this process last saw
 * it (loop, interval, on time or delayed, last success, last error).
 */
final class AwaInfoContributor implements InfoContributor {
  private final RuntimeLayout layout;
  private final MaintenanceService maintenance;

  AwaInfoContributor(RuntimeLayout layout, MaintenanceService maintenance) {
    this.layout = layout;
    this.maintenance = maintenance;
  }

  @Override
  public void contribute(Info.Builder builder) {
    Map<String, Object> awa = new LinkedHashMap<>();
    if (layout != null) {
      Map<String, Object> queues = new LinkedHashMap<>();
      for (QueueConfig q : layout.queues()) {
        queues.put(
            q.name(), Map.of("concurrency", q.concurrency(), "deadline", q.deadline().toString()));
      }
      awa.put("queues", queues);
      awa.put("kinds", layout.workers().keySet().stream().sorted().toList());
    }
    if (maintenance != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("instance", maintenance.instanceId());
      m.put("leader", maintenance.isLeader());
      m.put("layout", maintenance.layout().name().toLowerCase(java.util.Locale.ROOT));
      Map<String, Object> branches = new LinkedHashMap<>();
      for (BranchStatus s : maintenance.branchStatus()) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("loop", s.loop());
        b.put("interval", s.interval().toString());
        b.put("state", s.overrunState().dbValue());
        b.put("lastSuccessAt", s.lastSuccessAt() == null ? null : s.lastSuccessAt().toString());
        b.put("lastError", s.lastError());
        branches.put(s.branch(), b);
      }
      m.put("branches", branches);
      awa.put("maintenance", m);
    }
    builder.withDetail("awa", awa);
  }
}
