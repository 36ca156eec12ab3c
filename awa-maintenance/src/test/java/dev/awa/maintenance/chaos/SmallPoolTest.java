package dev.awa.maintenance.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: a runtime with 16 handler slots on a pool of only 2 connections. The LISTEN session
 * holds one of them for good, so claims, acks and heartbeats share the other. It is slower, but
 * never deadlocks and loses nothing, and the runtime says at start that the pool is too small.
 *
 * <p>The maintenance service runs on its own pool of 3 (the leader holds one connection while
 * leading, branches borrow another); the execution log uses the test's shared pool, so handler
 * bookkeeping does not compete for the runtime's two connections.
 */
@AwaTest
@Tag("chaos")
class SmallPoolTest {
  private static final int JOBS = 1_000;

  private final TestDatabase db;

  SmallPoolTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void sixteenWorkersOnTwoConnectionsFinishEverythingAndWarn() throws Exception {
    db.truncateJobs();
    DataSource logPool = db.dataSource();
    Chaos.createExecLog(logPool);
    DataSource tiny = db.newDataSource(2, "chaos-tiny");
    DataSource leaderPool = db.newDataSource(3, "chaos-tiny-leader");
    Set<Long> ids =
        Arrays.stream(Chaos.enqueue(AwaClient.create(logPool), "work", "chaos_tiny", JOBS))
            .boxed()
            .collect(Collectors.toSet());

    String startLog;
    try (MaintenanceService leader = Chaos.maintenance(leaderPool, "tiny-leader").build().start();
        AwaRuntime runtime =
            Chaos.runtime(tiny, "tiny-runtime")
                .queue("chaos_tiny", 16)
                .register("work", Chaos.recording(logPool, "tiny-runtime", Duration.ofMillis(2)))
                .build()) {
      startLog = captureStderr(runtime::start);
      Chaos.awaitAllCompleted(logPool, Duration.ofMinutes(3));
    }
    assertThat(startLog)
        .contains("WARN")
        .contains("allows only 2 connections")
        .contains("uses up to 4");
    Chaos.Outcome o = Chaos.assertExactlyOnce(logPool, ids);
    assertThat(o.jobs()).isEqualTo(JOBS);
  }

  /**
   * Runs {@code action} with System.err teed into a buffer. slf4j-simple looks System.err up on
   * every write, so the runtime's start-up lines land in the buffer (and still on the console).
   */
  private static String captureStderr(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    OutputStream tee =
        new OutputStream() {
          @Override
          public void write(int b) {
            original.write(b);
            buffer.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            original.write(b, off, len);
            buffer.write(b, off, len);
          }
        };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
