package dev.awa.web;

import dev.awa.core.AwaClient;
import dev.awa.core.JobError;
import dev.awa.core.JobRow;
import dev.awa.core.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Jobs in known states, made through the real client API (enqueue, claim, complete or fail), so the
 * rows look exactly like the ones a runtime leaves.
 */
final class Fixtures {
  private final AwaClient client;

  Fixtures(AwaClient client) {
    this.client = client;
  }

  JobRow available(String queue, String kind, String... tags) {
    return client.enqueue(NewJob.builder(kind).queue(queue).tags(tags).build());
  }

  JobRow availableWithArgs(String queue, String kind, Object args) {
    return client.enqueue(NewJob.builder(kind).queue(queue).args(args).build());
  }

  JobRow scheduled(String queue, String kind) {
    return client.enqueue(NewJob.builder(kind).queue(queue).runIn(Duration.ofHours(1)).build());
  }

  JobRow completed(String queue, String kind) {
    JobRow job = available(queue, kind);
    client.leases().complete(claim(job));
    return client.operator().getJob(job.id()).orElseThrow();
  }

  JobRow failed(String queue, String kind, String message) {
    JobRow job = client.enqueue(NewJob.builder(kind).queue(queue).maxAttempts(1).build());
    client
        .leases()
        .fail(
            claim(job), new JobError(1, Instant.now(), "java.lang.IllegalStateException", message));
    return client.operator().getJob(job.id()).orElseThrow();
  }

  JobRow running(String queue, String kind) {
    JobRow job = available(queue, kind);
    claim(job);
    return client.operator().getJob(job.id()).orElseThrow();
  }

  /** Claims {@code job}; any other job of its queue claimed on the way is handed back. */
  private JobRow claim(JobRow job) {
    List<JobRow> claimed =
        client.leases().claim(job.queue(), 1000, Duration.ofMinutes(5), "fixtures");
    JobRow mine = null;
    List<JobRow> others = new java.util.ArrayList<>();
    for (JobRow r : claimed) {
      if (r.id() == job.id()) {
        mine = r;
      } else {
        others.add(r);
      }
    }
    client.leases().handBack(others);
    if (mine == null) {
      throw new IllegalStateException("job " + job.id() + " was not claimable");
    }
    return mine;
  }
}
