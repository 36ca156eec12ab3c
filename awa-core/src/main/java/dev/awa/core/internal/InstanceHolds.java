package dev.awa.core.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Not API. Who in this process holds an {@code awa.runtime_instances} row: the runtime and the
 * maintenance service of one process share one instance id and so one row. Each takes a hold when
 * it starts and releases it at close; the one releasing the last hold removes the row, so the row
 * lives while either runs and is gone once both have closed.
 */
public final class InstanceHolds {
  private static final Map<String, Integer> HOLDS = new HashMap<>();

  private InstanceHolds() {}

  /** Takes a hold on {@code instanceId}'s row. */
  public static synchronized void hold(String instanceId) {
    HOLDS.merge(instanceId, 1, Integer::sum);
  }

  /** Releases a hold; true when it was the last one, so the caller removes the row. */
  public static synchronized boolean release(String instanceId) {
    Integer n = HOLDS.get(instanceId);
    if (n == null || n <= 1) {
      HOLDS.remove(instanceId);
      return true;
    }
    HOLDS.put(instanceId, n - 1);
    return false;
  }
}
