package dev.awa.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.bench.scenario.CeilingScenario;
import java.io.PrintWriter;
import java.io.StringWriter;
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
  void withoutAScenarioPrintsUsageListingTheScenarios() {
    CommandLine cl = AwaBench.commandLine();
    StringWriter out = new StringWriter();
    cl.setOut(new PrintWriter(out));

    int exit = cl.execute();

    assertThat(exit).isEqualTo(2);
    assertThat(out.toString()).contains("Usage: awa-bench").contains("enqueue").contains("ceiling");
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
