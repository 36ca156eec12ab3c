package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runners are started by the buffered work at the handlers' recent duration (adr/0007 "Fifth
 * pass"): after hundreds of no-op jobs the estimate says one runner is enough, so these tests check
 * what the estimate alone would get wrong. A handler that blocks must not hold up the jobs buffered
 * behind it while slots are free, and handlers that all block must still fill every slot.
 */
@AwaTest
class RunnerSharesTest {
  private static final int SLOTS = 4;
  private static final int FAST_FIRST = 300;

  private final List<AwaRuntime> runtimes = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<Long> blocked = ConcurrentHashMap.newKeySet();
  private final Set<Long> completed = ConcurrentHashMap.newKeySet();
  private final AtomicInteger runs = new AtomicInteger();

  @AfterEach
  void closeRuntimes() {
    release.countDown();
    runtimes.forEach(AwaRuntime::close);
  }

  private AwaRuntime runtime(TestDatabase db, String queue) {
    AwaRuntime rt =
        AwaRuntime.builder(db.dataSource())
            .queue(queue, SLOTS)
            .claimAhead(32)
            .drainTimeout(Duration.ofSeconds(20))
            .listener(
                new AwaListener() {
                  @Override
                  public void onCompleted(JobRow job, Duration handlerDuration) {
                    completed.add(job.id());
                  }
                })
            .register(
                "fast",
                ctx -> {
                  runs.incrementAndGet();
                  return JobResult.completed();
                })
            .register(
                "block",
                ctx -> {
                  runs.incrementAndGet();
                  blocked.add(ctx.id());
                  release.await();
                  return JobResult.completed();
                })
            .build();
    runtimes.add(rt);
    return rt;
  }

  private static List<NewJob> fast(String queue, int n, int priority) {
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jobs.add(NewJob.builder("fast").queue(queue).priority(priority).build());
    }
    return jobs;
  }

  @Test
  void jobsBufferedBehindABlockedHandlerRunWhileItBlocks(TestDatabase db) {
    AwaRuntime rt = runtime(db, "behind");
    List<NewJob> jobs = new ArrayList<>(fast("behind", FAST_FIRST, 1));
    jobs.add(NewJob.builder("block").queue("behind").priority(2).build());
    jobs.addAll(fast("behind", 50, 3));
    long[] ids = rt.client().enqueueMany(jobs);
    rt.start();

    // Everything but the blocking job completes while that handler still holds its runner.
    await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == ids.length - 1);
    assertThat(blocked).containsExactly(ids[FAST_FIRST]);
    assertThat(completed).doesNotContain(ids[FAST_FIRST]);

    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == ids.length);
    assertThat(runs.get()).isEqualTo(ids.length);
  }

  @Test
  void blockingHandlersAfterFastOnesStillFillEverySlot(TestDatabase db) {
    AwaRuntime rt = runtime(db, "fill");
    List<NewJob> jobs = new ArrayList<>(fast("fill", FAST_FIRST, 1));
    for (int i = 0; i < SLOTS + 2; i++) {
      jobs.add(NewJob.builder("block").queue("fill").priority(2).build());
    }
    long[] ids = rt.client().enqueueMany(jobs);
    rt.start();

    await().atMost(Duration.ofSeconds(30)).until(() -> blocked.size() == SLOTS);
    await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == FAST_FIRST);
    assertThat(blocked).hasSize(SLOTS);

    release.countDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> completed.size() == ids.length);
    assertThat(blocked).hasSize(SLOTS + 2);
    assertThat(runs.get()).isEqualTo(ids.length);
  }
}
