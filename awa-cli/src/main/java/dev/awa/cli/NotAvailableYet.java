package dev.awa.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * Base of commands whose implementation is not in this build yet: one line on stderr, exit code
 * {@link ExitCodes#USAGE}. Any arguments are accepted so scripts get that line, not a parse error.
 * To wire the real command, make its class extend {@link DatabaseCommand} (or implement {@link
 * Callable}) instead of this.
 */
abstract class NotAvailableYet implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Unmatched List<String> ignoredArguments;

  /** What must be merged for the command to exist, for the message. */
  abstract String waitingFor();

  @Override
  public Integer call() {
    spec.commandLine()
        .getErr()
        .printf(
            "awa: '%s' is not available yet in this build (needs %s)%n",
            spec.qualifiedName(" "), waitingFor());
    spec.commandLine().getErr().flush();
    return ExitCodes.USAGE;
  }
}
