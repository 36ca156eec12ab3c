package dev.awa.core;

import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Measures no-op throughput of one runtime; not a test (nothing is asserted about time). Run with
 * {@code AWA_MEASURE=1 mvn -B verify -pl awa-core -am -Dtest=ThroughputMeasure
 * -Dsurefire.failIfNoSpecifiedTests=false}; figures go to the log and into docs/workers.md.
 */
@AwaTest
@Tag("measure")
@EnabledIfEnvironmentVariable(named = "AWA_MEASURE", matches = "1|true")
class ThroughputMeasure {
  static final int JOBS = Integer.getInteger("awa.measure.jobs", 100_000);

  @ParameterizedTest
  @ValueSource(ints = {16, 64})
  void noopThroughput(int workers, TestDatabase db) {
    db.truncateJobs();
    AwaRuntime rt =
        AwaRuntime.builder(db.newDataSource(12, "awa-measure-" + workers))
            .queue("measure", workers)
            .register("noop", ctx -> JobResult.completed())
            .build();
    rt.client().enqueueMany(Collections.nCopies(JOBS, RuntimeTesting.job("noop", "measure")));
    db.update("VACUUM ANALYZE awa.jobs");
    long t0 = System.nanoTime();
    rt.start();
    try {
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> db.countJobs("completed") == JOBS);
    } finally {
      System.out.println("MEASURE stats " + rt.stats());
      rt.close();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "MEASURE workers=%d jobs=%d seconds=%.2f throughput=%.0f jobs/s%n",
        workers, JOBS, seconds, JOBS / seconds);
  }
}
