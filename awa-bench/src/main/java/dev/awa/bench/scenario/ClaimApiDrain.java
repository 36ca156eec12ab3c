package dev.awa.bench.scenario;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.LeaseClient;
import dev.awa.core.NewJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * awa-core's claim API without the worker runtime: what a hand-written worker loop would do, {@link
 * LeaseClient#claim} then {@link LeaseClient#completeMany} per batch, over {@code awa.jobs}. Jobs
 * are loaded through {@link AwaClient#enqueueMany} (COPY), as an application would enqueue them.
 */
final class ClaimApiDrain implements DrainPath {
  private static final Duration DEADLINE = Duration.ofMinutes(10);
  private static final int ENQUEUE_BATCH = 10_000;
  private final AwaClient client;
  private final int batchSize;

  ClaimApiDrain(AwaClient client, int batchSize) {
    this.client = client;
    this.batchSize = batchSize;
  }

  @Override
  public String key() {
    return "claim_api";
  }

  @Override
  public String label() {
    return "LeaseClient.claim + completeMany";
  }

  @Override
  public String table() {
    return "awa.jobs";
  }

  @Override
  public long[] load(String queue, int jobs) {
    long[] ids = new long[jobs];
    for (int from = 0; from < jobs; from += ENQUEUE_BATCH) {
      int to = Math.min(jobs, from + ENQUEUE_BATCH);
      List<NewJob> batch = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        batch.add(NewJob.builder("bench").queue(queue).argsJson("{\"n\":" + (i + 1) + "}").build());
      }
      System.arraycopy(client.enqueueMany(batch), 0, ids, from, to - from);
    }
    return ids;
  }

  @Override
  public void drain(String queue, int thread, DrainRecorder r) {
    String workerId = "awa-bench-" + thread;
    while (true) {
      long t0 = System.nanoTime();
      List<JobRow> rows = client.leases().claim(queue, batchSize, DEADLINE, workerId);
      long t1 = System.nanoTime();
      r.claimTook(t1 - t0);
      if (rows.isEmpty()) {
        return;
      }
      for (JobRow row : rows) {
        r.ledger().claimed(row.id());
      }
      for (long id : client.leases().completeMany(rows)) {
        r.ledger().completed(id);
      }
      r.completeTook(System.nanoTime() - t1);
    }
  }
}
