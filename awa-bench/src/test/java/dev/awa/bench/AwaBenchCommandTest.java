package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.bench.scenario.CeilingScenario;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command line: every scenario is a subcommand and run options apply to each. */
class AwaBenchCommandTest {

  @Test
  void everyRegisteredScenarioIsASubcommand() {
    CommandLine cl = AwaBench.commandLine();

    for (Scenario s : Scenarios.all()) {
      assertThat(cl.getSubcommands()).containsKey(s.name());
    }
  }

  @Test
  void parsesScenarioAndRunOptions() {
    CommandLine cl = AwaBench.commandLine();

    ParseResult parsed =
        cl.parseArgs(
            "ceiling",
            "--jobs",
            "20000,200000",
            "--threads",
            "8",
            "--repeats",
            "1",
            "--output",
            "out");

    AwaBench bench = cl.getCommand();
    assertThat(bench.repeats).isEqualTo(1);
    assertThat(bench.output).isEqualTo(Path.of("out"));
    CeilingScenario ceiling = (CeilingScenario) parsed.subcommand().commandSpec().userObject();
    assertThat(ceiling.description()).contains("8 threads");
  }
}
