package dev.awa.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaRuntime;
import dev.awa.core.NewJob;
import dev.awa.spring.AwaEnqueuer;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing the application with 50 slow jobs in flight returns within Boot's shutdown phase timeout
 * and leaves no job running: the drain gives up before the phase ends and hands them back.
 */
@AwaTest
class GracefulShutdownTest {
  private static final Duration PHASE = Duration.ofSeconds(4);

  @Test
  void closingWithFiftySlowJobsInFlightHandsThemBackWithinThePhase(TestDatabase db) {
    ConfigurableApplicationContext app =
        TestApps.start(
            db,
            List.of(
                "awa.queues.slow.concurrency=50",
                "spring.lifecycle.timeout-per-shutdown-phase=" + PHASE.toSeconds() + "s"),
            SlowJobs.class);
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      jobs.add(NewJob.builder("slow").queue("slow").build());
    }
    app.getBean(AwaEnqueuer.class).enqueueMany(jobs);
    AwaRuntime runtime = app.getBean(AwaRuntime.class);
    // The claim commits before the runtime registers the attempts: wait for both.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> db.countJobs("running") == 50 && runtime.inFlightCount() == 50);

    long start = System.nanoTime();
    app.close();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    // Awa's stop finished inside the phase: it ran before the pool closed, so its hand-back landed.
    assertThat(runtime.isRunning()).isFalse();
    assertThat(db.countJobs("running")).isZero();
    assertThat(db.countJobs("available")).isEqualTo(50);
    assertThat(db.queryLong("SELECT max(attempt) FROM awa.jobs")).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM awa.runtime_instances")).isZero();
    // Boot waits at most one phase for Awa; the rest of the close (pool, web server) is quick.
    assertThat(took).isLessThan(PHASE.plusSeconds(3));
  }
}
