package dev.awa.maintenance.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: a worker process killed with SIGKILL in the middle of a batch. Its attempts stay
 * {@code running} with heartbeats that stop; the leader's heartbeat rescue makes them retryable and
 * a surviving runtime completes them.
 */
@AwaTest
@Tag("chaos")
class KilledWorkerTest {
  private static final int JOBS = 60;
  private static final int CHILD_SLOTS = 8;

  private final TestDatabase db;

  KilledWorkerTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void killedWorkersJobsAreRescuedAndCompletedBySurvivors() throws Exception {
    DataSource ds = db.dataSource();
    db.truncateJobs();
    Chaos.createExecLog(ds);
    AwaClient client = AwaClient.create(ds);
    Set<Long> ids =
        Arrays.stream(Chaos.enqueue(client, "slow", "chaos_kill", JOBS))
            .boxed()
            .collect(Collectors.toSet());

    Process child = startChild();
    try {
      // Killed "mid-batch": a full set of its attempts is running and some already finished.
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () ->
                  Chaos.queryLong(
                              ds,
                              "SELECT count(*) FROM awa.jobs WHERE state = 'running'"
                                  + " AND attempted_by = 'chaos-child'")
                          >= CHILD_SLOTS
                      && db.countJobs("completed") >= 1);
    } finally {
      child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no hand-back
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    long orphaned =
        Chaos.queryLong(
            ds,
            "SELECT count(*) FROM awa.jobs WHERE state = 'running'"
                + " AND attempted_by = 'chaos-child'");
    assertThat(orphaned).isPositive();
    // Of those, the attempts whose handler had started. The rest were claimed ahead (the runtime
    // claims a few jobs before a slot frees) and never ran in the child; they run once, after
    // their rescue, so they cannot count as re-runs.
    long started =
        Chaos.queryLong(
            ds,
            "SELECT count(*) FROM awa.jobs j WHERE state = 'running'"
                + " AND attempted_by = 'chaos-child'"
                + " AND EXISTS (SELECT 1 FROM public.exec_log e WHERE e.job_id = j.id)");
    assertThat(started).isPositive();

    try (MaintenanceService leader = Chaos.maintenance(ds, "survivor-leader").build().start();
        AwaRuntime survivor =
            Chaos.runtime(ds, "survivor")
                .queue("chaos_kill", 8)
                .register("slow", Chaos.recording(ds, "survivor", Duration.ofMillis(50)))
                .build()) {
      survivor.start();
      Chaos.awaitAllCompleted(ds, Duration.ofMinutes(2));
    }
    Chaos.Outcome o = Chaos.assertExactlyOnce(ds, ids);
    // Every attempt the child had started when it died ran again, under a new lease, after a
    // rescue; every attempt it held (started or only claimed) was rescued.
    assertThat(o.rerunJobs()).isGreaterThanOrEqualTo(started);
    assertThat(
            Chaos.queryLong(
                ds, "SELECT count(*) FROM awa.jobs WHERE errors::text LIKE '%presumed dead%'"))
        .isGreaterThanOrEqualTo(orphaned);
  }

  private Process startChild() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        List.of(
            java,
            "-cp",
            childClassPath(),
            ChildWorkerMain.class.getName(),
            db.jdbcUrl(),
            db.user() == null ? "-" : db.user(),
            db.password() == null ? "-" : db.password(),
            "chaos_kill",
            String.valueOf(CHILD_SLOTS),
            "1500");
    File out = File.createTempFile("awa-chaos-child", ".log");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
  }

  /**
   * The child runs on the class path: this JVM's class path, its module path (surefire puts the awa
   * modules and their dependencies there) and the test classes (patched into dev.awa.maintenance,
   * so on neither path).
   */
  private static String childClassPath() throws Exception {
    List<String> parts = new ArrayList<>();
    parts.add(
        Path.of(ChildWorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
    for (String property : List.of("java.class.path", "jdk.module.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isEmpty()) {
        parts.add(value);
      }
    }
    return String.join(File.pathSeparator, parts);
  }
}
