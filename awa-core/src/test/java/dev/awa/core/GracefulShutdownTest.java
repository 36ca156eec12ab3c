package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

@AwaTest
class GracefulShutdownTest {

  @Test
  void closeDrainsWhatFinishesAndHandsTheRestBackAtOnce(TestDatabase db) {
    String q = "slow";
    CountDownLatch releaseEven = new CountDownLatch(1);
    Set<Long> started = ConcurrentHashMap.newKeySet();
    Set<Long> sawCancel = ConcurrentHashMap.newKeySet();
    AwaRuntime rt =
        AwaRuntime.builder(db.dataSource())
            .queue(q, 100)
            .pollInterval(Duration.ofMillis(50))
            .drainTimeout(Duration.ofSeconds(5))
            .register(
                "slow",
                ctx -> {
                  started.add(ctx.id());
                  if (ctx.id() % 2 == 0) {
                    // Even jobs finish during the drain once the test releases them.
                    releaseEven.await();
                    Thread.sleep(300); // simulated work that outlasts stopClaiming
                    return JobResult.completed();
                  }
                  // Odd jobs are still working when the drain times out.
                  try {
                    new CountDownLatch(1).await();
                  } catch (InterruptedException e) {
                    if (ctx.isCancelled()) {
                      sawCancel.add(ctx.id());
                    }
                    throw e;
                  }
                  return JobResult.completed();
                })
            .build();
    rt.start();
    long[] ids = rt.client().enqueueMany(Collections.nCopies(100, RuntimeTesting.job("slow", q)));
    long evens = java.util.Arrays.stream(ids).filter(id -> id % 2 == 0).count();
    await().atMost(Duration.ofSeconds(30)).until(() -> started.size() == 100);
    assertThat(db.countJobs("running")).isEqualTo(100);

    releaseEven.countDown();
    rt.close();

    // Right after close(), without waiting for any rescue: nothing lost, nothing running.
    assertThat(db.countJobs("completed")).isEqualTo(evens);
    assertThat(db.countJobs("available")).isEqualTo(100 - evens);
    assertThat(db.countJobs("running")).isZero();
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM awa.jobs WHERE state = 'available'"
                    + " AND (id % 2) = 1 AND attempt = 0 AND run_at <= now()"))
        .isEqualTo(100 - evens);
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE errors <> '[]'")).isZero();
    assertThat(sawCancel).hasSize((int) (100 - evens));
  }
}
