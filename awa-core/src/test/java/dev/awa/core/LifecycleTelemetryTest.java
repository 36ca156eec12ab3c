package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link AwaListener} reports for runtime attempts: {@code onCancelled} once for every way an
 * operator's cancel reaches a runtime attempt (running or waiting in the claim-ahead buffer), and
 * handler time apart from ack time ({@code onCompleted} then {@code onAcknowledged}).
 */
@AwaTest
class LifecycleTelemetryTest {
  private final List<AwaRuntime> runtimes = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Set<Long> started = ConcurrentHashMap.newKeySet();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Map<Long, Duration> cancelledAfter = new ConcurrentHashMap<>();
  private final Map<Long, Duration> handlerTime = new ConcurrentHashMap<>();
  private final Map<Long, Duration> ackTime = new ConcurrentHashMap<>();

  private final AwaListener recorder =
      new AwaListener() {
        @Override
        public void onCompleted(JobRow job, Duration handlerDuration) {
          events.add("completed " + job.id());
          handlerTime.put(job.id(), handlerDuration);
        }

        @Override
        public void onAcknowledged(JobRow job, Duration ackLatency) {
          events.add("acknowledged " + job.id());
          ackTime.put(job.id(), ackLatency);
        }

        @Override
        public void onCancelled(JobRow job, Duration handlerDuration) {
          events.add("cancelled " + job.id());
          cancelledAfter.put(job.id(), handlerDuration);
        }
      };

  @AfterEach
  void closeRuntimes() {
    release.countDown();
    runtimes.forEach(AwaRuntime::close);
  }

  private AwaRuntime runtime(TestDatabase db, String queue, int claimAhead, Duration flush) {
    AwaRuntime rt =
        AwaRuntime.builder(db.dataSource())
            .listener(recorder)
            .queue(queue, 1)
            .claimAhead(claimAhead)
            .completerFlushInterval(flush)
            .register("fast", ctx -> JobResult.completed())
            .register(
                "until_cancelled",
                ctx -> {
                  started.add(ctx.id());
                  while (!ctx.isCancelled()) {
                    LockSupport.parkNanos(1_000_000);
                  }
                  // Returns a completion anyway: the write finds the lease gone.
                  return JobResult.completed();
                })
            .register(
                "block",
                ctx -> {
                  started.add(ctx.id());
                  release.await();
                  return JobResult.completed();
                })
            .build();
    runtimes.add(rt);
    return rt;
  }

  private long count(String event, long id) {
    return events.stream().filter((event + " " + id)::equals).count();
  }

  @Test
  void anOperatorCancelOfARunningJobFiresOnCancelledOnceAndNoCompletion(TestDatabase db) {
    AwaRuntime rt = runtime(db, "tele_running", 0, Duration.ofMillis(1));
    rt.start();
    long id =
        rt.client().enqueue(NewJob.builder("until_cancelled").queue("tele_running").build()).id();
    await().atMost(Duration.ofSeconds(20)).until(() -> started.contains(id));
    assertThat(rt.client().operator().cancelJob(id)).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> count("cancelled", id) == 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> rt.inFlightCount() == 0);
    assertThat(count("cancelled", id)).isEqualTo(1);
    assertThat(count("completed", id)).isZero();
    assertThat(count("acknowledged", id)).isZero();
    assertThat(db.queryStrings("SELECT state FROM awa.jobs WHERE id = ?", id))
        .containsExactly("cancelled");
  }

  @Test
  void anOperatorCancelOfABufferedJobFiresOnCancelledWithNoHandlerTime(TestDatabase db) {
    String q = "tele_buffered";
    AwaRuntime rt = runtime(db, q, 5, Duration.ofMillis(1));
    List<NewJob> jobs = new ArrayList<>();
    // Fast jobs first (priority 1), so the queue learns its handlers are quick and buffers ahead.
    for (int i = 0; i < 50; i++) {
      jobs.add(NewJob.builder("fast").queue(q).priority(1).build());
    }
    for (int i = 0; i < 4; i++) {
      jobs.add(NewJob.builder("block").queue(q).build());
    }
    rt.client().enqueueMany(jobs);
    rt.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> started.size() == 1 && !bufferedBlocks(db, q).isEmpty());
    long id = bufferedBlocks(db, q).get(0);
    assertThat(rt.client().operator().cancelJob(id)).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> count("cancelled", id) == 1);
    assertThat(cancelledAfter.get(id)).isEqualTo(Duration.ZERO);
    release.countDown();
    RuntimeTesting.awaitCompleted(db, q, 53);
    assertThat(started).doesNotContain(id);
    assertThat(count("cancelled", id)).isEqualTo(1);
    assertThat(count("completed", id)).isZero();
  }

  private List<Long> bufferedBlocks(TestDatabase db, String q) {
    return RuntimeTesting.claimedNotStarted(db, q, "block", started);
  }

  @Test
  void onCompletedCarriesHandlerTimeAndOnAcknowledgedTheAckTimeAfterIt(TestDatabase db) {
    String q = "tele_ack";
    // The completer lingers this long for more acks before it writes a lone one.
    Duration flush = Duration.ofMillis(200);
    AwaRuntime rt = runtime(db, q, 0, flush);
    rt.start();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // One at a time, so each ack is a lone one that waits the whole linger.
      long id = rt.client().enqueue(NewJob.builder("fast").queue(q).build()).id();
      ids.add(id);
      await().atMost(Duration.ofSeconds(30)).until(() -> ackTime.containsKey(id));
    }
    for (long id : ids) {
      assertThat(count("completed", id)).isEqualTo(1);
      assertThat(count("acknowledged", id)).isEqualTo(1);
      assertThat(events.indexOf("completed " + id))
          .isLessThan(events.indexOf("acknowledged " + id));
      // The ack waited for the linger; the handler time does not include it.
      assertThat(ackTime.get(id)).isGreaterThanOrEqualTo(flush);
      assertThat(handlerTime.get(id)).isLessThan(ackTime.get(id));
    }
  }
}
