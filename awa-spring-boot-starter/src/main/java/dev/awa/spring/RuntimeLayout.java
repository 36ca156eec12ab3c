package dev.awa.spring;

import dev.awa.core.QueueConfig;
import java.util.List;
import java.util.Map;

/**
 * What the starter's runtime works: its queues and the declared workers by kind. Built once from
 * the properties and the context's worker beans; the runtime and the info contributor read it.
 *
 * @param queues the queues with concurrency and deadline
 * @param workers the declared workers by kind
 */
record RuntimeLayout(List<QueueConfig> queues, Map<String, WorkerRegistration> workers) {
  RuntimeLayout {
    queues = List.copyOf(queues);
    workers = Map.copyOf(workers);
  }
}
