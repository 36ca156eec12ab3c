package dev.awa.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code awa} command: operate an Awa database from a terminal or a script. Build the command
 * line with {@link #commandLine()}, which installs the one-line error reporting and exit codes.
 */
@Command(
    name = "awa",
    // Subcommands inherit --help, --version and the version provider.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Operate an Awa job queue in PostgreSQL.",
    subcommands = {
      MigrateCommand.class,
      StatusCommand.class,
      JobsCommand.class,
      QueuesCommand.class,
      CronCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      UiCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Database: --database-url URL or the AWA_DATABASE_URL variable, either",
      "  jdbc:postgresql://host:port/db?user=me&password=secret or",
      "  postgresql://me:secret@host:port/db",
      "",
      "Exit codes:",
      "  0 ok                          4 schema missing, older or newer than awa",
      "  1 failure                     5 job, queue or schedule not found",
      "  2 bad usage or input          6 job state does not allow the action",
      "  3 database unreachable or login refused"
    })
public final class AwaCli implements Callable<Integer> {
  static final String VERBOSE_OPTION = "--verbose";

  /** Read through the raw arguments by {@link ErrorHandler}; declared here for --help. */
  @Option(
      names = VERBOSE_OPTION,
      scope = ScopeType.INHERIT,
      description = "Show stack traces and library logging.")
  boolean verbose;

  @Spec CommandSpec spec;

  /** Creates the root command object; see {@link #commandLine()}. */
  public AwaCli() {}

  /** {@code awa} without a command: the usage on stderr, as for any other usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** A fully configured command line: one-line error reporting and the documented exit codes. */
  public static CommandLine commandLine() {
    ErrorHandler errors = new ErrorHandler();
    return new CommandLine(new AwaCli())
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
  }

  /**
   * pgjdbc logs through java.util.logging, whose default console handler prints WARNINGs (e.g.
   * "JDBC URL invalid port number") as two lines of its own before the CLI says anything. Held in a
   * field because java.util.logging keeps loggers only weakly: a collected logger forgets its
   * level.
   */
  private static final java.util.logging.Logger DRIVER_LOG =
      java.util.logging.Logger.getLogger("org.postgresql");

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    boolean verbose = false;
    for (String arg : args) {
      if ("--".equals(arg)) {
        break;
      }
      verbose |= VERBOSE_OPTION.equals(arg);
    }
    configureLogging(verbose);
    System.exit(commandLine().execute(args));
  }

  /**
   * Library and driver logging stays off the terminal unless {@code --verbose}: the CLI reports
   * failures itself in one line. Must run before the first SLF4J logger is created.
   */
  static void configureLogging(boolean verbose) {
    if (verbose) {
      // simplelogger.properties says warn (and off for Hikari's connection-failure traces).
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
      System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "info");
      DRIVER_LOG.setLevel(null); // inherit the JUL root: INFO on the console
    } else {
      DRIVER_LOG.setLevel(java.util.logging.Level.OFF);
    }
  }
}
