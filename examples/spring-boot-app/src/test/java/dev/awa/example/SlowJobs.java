package dev.awa.example;

import dev.awa.core.JobContext;
import dev.awa.spring.AwaWorker;
import java.util.concurrent.CountDownLatch;

/**
 * Test-only workers (registered as an extra source, not scanned): {@code slow} blocks until its
 * handler is interrupted, as a job that outlives the shutdown drain does.
 */
public class SlowJobs {
  private final CountDownLatch never = new CountDownLatch(1);

  @AwaWorker(kind = "slow", queue = "slow")
  public void slow(JobContext ctx) throws InterruptedException {
    never.await();
  }
}
