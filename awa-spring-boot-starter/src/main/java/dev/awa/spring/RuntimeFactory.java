package dev.awa.spring;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.NewJob;
import dev.awa.core.QueueConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Builds the {@link AwaRuntime} from {@code awa.queues.*} and {@code awa.runtime.*} and the
 * declared workers. Each property goes through the awa-core builder, whose rejections are reported
 * under the property's name.
 */
final class RuntimeFactory {
  private RuntimeFactory() {}

  /**
   * The queues to work: every {@code awa.queues.<name>} plus every queue a worker names, or only
   * {@code default} when there are none.
   */
  static List<QueueConfig> queues(
      AwaProperties.Runtime runtime,
      Map<String, AwaProperties.Queue> configured,
      Iterable<WorkerRegistration> workers) {
    Map<String, AwaProperties.Queue> all = new LinkedHashMap<>(configured);
    for (WorkerRegistration w : workers) {
      all.putIfAbsent(w.queue(), new AwaProperties.Queue());
    }
    if (all.isEmpty()) {
      all.put(NewJob.DEFAULT_QUEUE, new AwaProperties.Queue());
    }
    Duration defaultDeadline =
        runtime.getDefaultDeadline() != null
            ? runtime.getDefaultDeadline()
            : QueueConfig.DEFAULT_DEADLINE;
    PropertyCheck.get(
        "awa.runtime.default-concurrency",
        Map.of(),
        () -> QueueConfig.of(NewJob.DEFAULT_QUEUE, runtime.getDefaultConcurrency()));
    List<QueueConfig> queues = new ArrayList<>();
    for (Map.Entry<String, AwaProperties.Queue> e : all.entrySet()) {
      String name = e.getKey();
      AwaProperties.Queue q = e.getValue();
      String prefix = "awa.queues." + name;
      queues.add(
          PropertyCheck.get(
              prefix,
              Map.of("concurrency", prefix + ".concurrency", "deadline", prefix + ".deadline"),
              () ->
                  new QueueConfig(
                      name,
                      q.getConcurrency() != null
                          ? q.getConcurrency()
                          : runtime.getDefaultConcurrency(),
                      q.getDeadline() != null ? q.getDeadline() : defaultDeadline)));
    }
    return queues;
  }

  /** The runtime (not started) working {@code queues} with {@code workers}. */
  static AwaRuntime build(
      DataSource dataSource,
      AwaClient client,
      AwaProperties.Runtime p,
      String instanceId,
      List<QueueConfig> queues,
      Iterable<WorkerRegistration> workers,
      ShutdownBudget budget) {
    AwaRuntime.Builder b = AwaRuntime.builder(dataSource).client(client);
    String r = "awa.runtime.";
    PropertyCheck.apply(r + "instance-id", () -> b.instanceId(instanceId));
    if (p.getDefaultDeadline() != null) {
      PropertyCheck.apply(r + "default-deadline", () -> b.defaultDeadline(p.getDefaultDeadline()));
    }
    if (p.getPollInterval() != null) {
      PropertyCheck.apply(r + "poll-interval", () -> b.pollInterval(p.getPollInterval()));
    }
    if (p.getClaimBatchSize() != null) {
      PropertyCheck.apply(r + "claim-batch-size", () -> b.claimBatchSize(p.getClaimBatchSize()));
    }
    if (p.getHeartbeatInterval() != null) {
      PropertyCheck.apply(
          r + "heartbeat-interval", () -> b.heartbeatInterval(p.getHeartbeatInterval()));
    }
    if (p.getHeartbeatStaleness() != null) {
      PropertyCheck.apply(
          r + "heartbeat-staleness", () -> b.heartbeatStaleness(p.getHeartbeatStaleness()));
    }
    PropertyCheck.apply(r + "drain-timeout", () -> b.drainTimeout(budget.drain()));
    if (p.getCompleterFlushInterval() != null) {
      PropertyCheck.apply(
          r + "completer-flush-interval",
          () -> b.completerFlushInterval(p.getCompleterFlushInterval()));
    }
    b.listen(p.isListen());
    if (p.getListenerUrl() != null) {
      PropertyCheck.apply(r + "listener-url", () -> b.listenerJdbcUrl(p.getListenerUrl(), null));
    }
    if (p.getUnknownKinds() != null) {
      b.unknownKinds(p.getUnknownKinds());
    }
    for (QueueConfig q : queues) {
      b.queue(q);
    }
    for (WorkerRegistration w : workers) {
      PropertyCheck.apply("worker kind '" + w.kind() + "'", () -> b.register(w.kind(), w.worker()));
    }
    return PropertyCheck.get(
        "awa.runtime",
        Map.of(
            "heartbeatStaleness", r + "heartbeat-staleness",
            "heartbeatInterval", r + "heartbeat-interval",
            "queues", "awa.queues"),
        b::build);
  }
}
