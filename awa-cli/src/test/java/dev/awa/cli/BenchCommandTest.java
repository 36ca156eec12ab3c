package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@AwaTest
class BenchCommandTest {

  @Test
  void benchRunsAScenarioThroughTheCli(TestDatabase db, @TempDir Path out) throws Exception {
    Cli.Result result =
        Cli.run(
            "bench",
            "--repeats",
            "1",
            "--warmup-runs",
            "0",
            "--output",
            out.toString(),
            "--database-url",
            db.jdbcUrl(),
            "enqueue",
            "--single-jobs",
            "50",
            "--batch-jobs",
            "500");
    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    String json = Files.readString(out.resolve("enqueue.json"));
    assertThat(json).contains("single_jobs_per_s").contains("copy_jobs_per_s");
  }

  @Test
  void anUnknownScenarioIsAUsageError() {
    Cli.Result result = Cli.run("bench", "no-such-scenario");
    assertThat(result.exitCode()).isNotZero();
  }
}
