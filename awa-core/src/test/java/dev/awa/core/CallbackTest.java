package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@AwaTest
class CallbackTest {

  @Test
  void parkedJobFreesItsSlotAndExactlyOneOfEightResolutionsWins(TestDatabase db) throws Exception {
    String q = "callbacks";
    Map<Long, UUID> handedOut = new ConcurrentHashMap<>();
    try (AwaRuntime rt =
        AwaRuntime.builder(db.dataSource())
            .queue(q, 1)
            .pollInterval(Duration.ofMillis(50))
            .register(
                "external",
                ctx -> {
                  UUID id = ctx.registerCallback(Duration.ofMinutes(5));
                  // The id is stored before it is handed out.
                  assertThat(
                          db.queryStrings(
                              "SELECT callback_id::text FROM awa.jobs WHERE id = ?", ctx.id()))
                      .containsExactly(id.toString());
                  handedOut.put(ctx.id(), id);
                  return JobResult.waitForCallback();
                })
            .build()) {
      rt.start();
      AwaClient client = rt.client();
      // Two jobs on a one-slot queue: the second only runs because the first freed its slot.
      long first = client.enqueue(RuntimeTesting.job("external", q)).id();
      long second = client.enqueue(RuntimeTesting.job("external", q)).id();
      await().atMost(Duration.ofSeconds(20)).until(() -> db.countJobs("waiting_external") == 2);
      assertThat(rt.inFlightCount()).isZero();

      UUID callback = handedOut.get(first);
      int threads = 8;
      CyclicBarrier barrier = new CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<CallbackOutcome>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        results.add(
            pool.submit(
                () -> {
                  barrier.await();
                  // Mixed resolutions (a winning retry would re-run and re-park the job).
                  return n % 2 == 0
                      ? client.callbacks().completeCallback(callback, Map.of("by", n))
                      : client.callbacks().failCallback(callback, "thread " + n);
                }));
      }
      List<CallbackOutcome> outcomes = new ArrayList<>();
      for (Future<CallbackOutcome> f : results) {
        outcomes.add(f.get());
      }
      pool.shutdown();
      assertThat(outcomes).filteredOn(o -> o == CallbackOutcome.RESOLVED).hasSize(1);
      assertThat(outcomes)
          .filteredOn(o -> o == CallbackOutcome.ALREADY_RESOLVED)
          .hasSize(threads - 1);
      assertThat(client.operator().getJob(first).orElseThrow().state())
          .isNotEqualTo(JobState.WAITING_EXTERNAL);

      assertThat(client.callbacks().completeCallback(handedOut.get(second), Map.of("ok", true)))
          .isEqualTo(CallbackOutcome.RESOLVED);
      JobRow done = client.operator().getJob(second).orElseThrow();
      assertThat(done.state()).isEqualTo(JobState.COMPLETED);
      assertThat(done.metadata().path("callback_result").path("ok").asBoolean()).isTrue();
      assertThat(client.callbacks().completeCallback(UUID.randomUUID(), null))
          .isEqualTo(CallbackOutcome.NOT_FOUND);
    }
  }
}
