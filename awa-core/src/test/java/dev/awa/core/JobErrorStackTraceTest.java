package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@AwaTest
class JobErrorStackTraceTest {

  @Test
  void aThrowingHandlersStackTraceIsStoredWithItsAttempt(TestDatabase db) {
    try (AwaRuntime rt =
        AwaRuntime.builder(db.dataSource())
            .queue("traces", 1)
            .pollInterval(Duration.ofMillis(50))
            .register("boom", ctx -> failDeepInside())
            .build()) {
      rt.start();
      long id = rt.client().enqueue(RuntimeTesting.job("boom", "traces")).id();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !rt.client().operator().getJob(id).orElseThrow().errors().isEmpty());
      List<JobError> errors = rt.client().operator().getJob(id).orElseThrow().errors();
      JobError first = errors.get(0);
      assertThat(first.attempt()).isEqualTo(1);
      assertThat(first.errorClass()).isEqualTo(IllegalStateException.class.getName());
      assertThat(first.message()).isEqualTo("ledger is closed");
      assertThat(first.stackTrace())
          .startsWith("java.lang.IllegalStateException: ledger is closed")
          .contains("JobErrorStackTraceTest.failDeepInside")
          .contains("Caused by: java.io.IOException: disk gone");
    }
  }

  private static JobResult failDeepInside() {
    throw new IllegalStateException(
        "ledger is closed", new java.io.UncheckedIOException(new java.io.IOException("disk gone")));
  }

  @Test
  void aLongTraceIsCutToItsBoundAndStaysStorable() {
    String frame = "\tat x.Y.z(Y.java:1)\n";
    String huge = "java.lang.Error: \u0000bad\n" + frame.repeat(2_000) + "\uD800";
    JobError e = new JobError(3, Instant.EPOCH, "java.lang.Error", "bad", huge);
    assertThat(e.stackTrace()).hasSize(JobError.MAX_STACK_TRACE).doesNotContain("\u0000");
    assertThat(e.stackTrace()).startsWith("java.lang.Error: \uFFFDbad");
    // The four-argument form (rescue markers, user loops) records no trace.
    assertThat(new JobError(1, Instant.EPOCH, "rescue.heartbeat", "stale").stackTrace()).isNull();
  }
}
