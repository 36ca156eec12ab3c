package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.Migrations;
import org.junit.jupiter.api.Test;

/** Commands that never reach a database: help, version and the placeholders. */
class CommandSurfaceTest {

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Cli.Result result = Cli.run("--help");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("migrate", "status", "jobs", "queues", "demo", "bench")
        .contains("3 database unreachable or login refused");
  }

  @Test
  void versionNamesTheSchemaVersion() {
    Cli.Result result = Cli.run("--version");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("schema version " + Migrations.LATEST_VERSION);

    // Subcommands inherit --version and --help from the root command.
    assertThat(Cli.run("jobs", "list", "--version").out()).isEqualTo(result.out());
    assertThat(Cli.run("queues", "pause", "--help").out())
        .startsWith("Usage: awa queues pause")
        .contains("Exit codes:");
  }

  @Test
  void demoAndBenchSayTheyAreNotAvailableYet() {
    for (String command : new String[] {"demo", "bench"}) {
      // Options the real commands will take must not turn into parse errors meanwhile.
      Cli.Result result = Cli.run(command, "--duration", "5s");
      assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
      assertThat(result.errorLine())
          .startsWith("awa: 'awa " + command + "' is not available yet in this build");
    }
  }
}
