package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.Migrations;
import org.junit.jupiter.api.Test;

/** Commands that never reach a database: help, version, the placeholder and option checks. */
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
  void demoRejectsBadOptionsBeforeStartingAnything() {
    Cli.Result duration = Cli.run("demo", "--duration", "soon");
    assertThat(duration.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(duration.errorLine()).contains("'soon' is not a duration");

    Cli.Result zero = Cli.run("demo", "--duration", "0s");
    assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(zero.errorLine()).isEqualTo("awa: --duration must be between 1ms and 24h");

    Cli.Result port = Cli.run("demo", "--metrics-port", "70000");
    assertThat(port.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(port.errorLine()).isEqualTo("awa: --metrics-port must be between 0 and 65535");
  }

  @Test
  void durationsReadTheWayPeopleTypeThem() {
    DurationConverter converter = new DurationConverter();
    assertThat(converter.convert("30s")).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(converter.convert("1m")).isEqualTo(java.time.Duration.ofMinutes(1));
    assertThat(converter.convert("500ms")).isEqualTo(java.time.Duration.ofMillis(500));
    assertThat(converter.convert("7")).isEqualTo(java.time.Duration.ofSeconds(7));
    assertThat(converter.convert("PT2M")).isEqualTo(java.time.Duration.ofMinutes(2));
  }
}
