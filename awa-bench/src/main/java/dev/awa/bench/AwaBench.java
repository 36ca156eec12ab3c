package dev.awa.bench;

import dev.awa.testing.TestDatabaseServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code awa-bench} command: {@code awa-bench <scenario> [scenario options] [run options]}.
 * Every scenario from {@link Scenarios#all()} is a subcommand; the run options here (repetitions,
 * server, output directory) apply to all of them.
 */
@Command(
    name = "awa-bench",
    mixinStandardHelpOptions = true,
    description =
        "Awa benchmarks. Writes <scenario>.json and <scenario>.md to the output directory.",
    subcommandsRepeatable = true)
public final class AwaBench implements Callable<Integer> {
  /** Environment variable naming a PostgreSQL server to benchmark instead of the embedded one. */
  public static final String URL_ENV = "AWA_BENCH_DATABASE_URL";

  @Option(
      names = "--repeats",
      defaultValue = "3",
      scope = ScopeType.INHERIT,
      description = "Repetitions of each scenario (default ${DEFAULT-VALUE}).")
  int repeats;

  @Option(
      names = "--warmup-runs",
      defaultValue = "1",
      scope = ScopeType.INHERIT,
      description = "Discarded repetitions before the measured ones (default ${DEFAULT-VALUE}).")
  int warmupRuns;

  @Option(
      names = "--database-url",
      scope = ScopeType.INHERIT,
      description =
          "JDBC URL of a server whose user may CREATE DATABASE (default: $"
              + URL_ENV
              + ", else embedded PostgreSQL 17).")
  String databaseUrl;

  @Option(
      names = "--output",
      // Under target/ so a casual run never overwrites the committed reports; pass
      // --output docs/benchmarks to update those.
      defaultValue = "target/benchmarks",
      scope = ScopeType.INHERIT,
      description =
          "Directory for the reports (default ${DEFAULT-VALUE}; docs/benchmarks to update the"
              + " committed ones).")
  Path output;

  @Option(
      names = "--no-write",
      scope = ScopeType.INHERIT,
      description = "Print the figures without writing reports.")
  boolean noWrite;

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with every scenario registered (also used by awa-cli's {@code bench}). */
  public static CommandLine commandLine() {
    AwaBench bench = new AwaBench();
    CommandLine cl = new CommandLine(bench);
    for (Scenario s : Scenarios.all()) {
      cl.addSubcommand(s.name(), s);
    }
    // After the subcommands are added: picocli applies it to the commands present at the call.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionStrategy(bench::execute);
    return cl;
  }

  @Spec CommandSpec spec;

  /** Without a scenario: print usage, listing the scenarios. */
  @Override
  public Integer call() {
    // The spec's command line, not a new one from this object: only it has the scenarios,
    // which are added programmatically.
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  private int execute(ParseResult parsed) {
    if (CommandLine.printHelpIfRequested(parsed)) {
      return 0;
    }
    if (!parsed.hasSubcommand()) {
      return call();
    }
    BenchRunner runner =
        new BenchRunner(
            server(),
            repeats,
            warmupRuns,
            noWrite ? null : output,
            new Progress(System.out, "awa-bench"));
    boolean passed = true;
    for (ParseResult sub : parsed.subcommands()) {
      Scenario scenario = (Scenario) sub.commandSpec().userObject();
      try {
        passed &= runner.run(scenario).passed();
      } catch (Exception e) {
        e.printStackTrace();
        return 1;
      }
    }
    return passed ? 0 : 1;
  }

  private TestDatabaseServer server() {
    String url = databaseUrl != null ? databaseUrl : System.getenv(URL_ENV);
    if (url != null && !url.isBlank()) {
      System.setProperty("awa.test.database.url", url);
    } else {
      // Embedded by default, as documented: a blank property also overrides the test suite's
      // AWA_TEST_DATABASE_URL, which may point at a shared server.
      System.setProperty("awa.test.database.url", "");
    }
    System.setProperty("awa.test.skipTestcontainers", "true");
    return TestDatabaseServer.get();
  }
}
