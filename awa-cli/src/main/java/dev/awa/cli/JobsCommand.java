package dev.awa.cli;

import picocli.CommandLine.Command;

/**
 * {@code awa jobs}: the group of job commands (picocli reports a missing subcommand as a usage
 * error).
 */
@Command(
    name = "jobs",
    description = "List, inspect, retry and cancel jobs.",
    subcommands = {
      JobsListCommand.class,
      JobsShowCommand.class,
      JobsRetryCommand.class,
      JobsCancelCommand.class
    })
final class JobsCommand {}
