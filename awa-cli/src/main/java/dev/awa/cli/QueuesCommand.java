package dev.awa.cli;

import picocli.CommandLine.Command;

/**
 * {@code awa queues}: the group of queue commands (picocli reports a missing subcommand as a usage
 * error).
 */
@Command(
    name = "queues",
    description = "Pause and resume queues.",
    subcommands = {QueuesPauseCommand.class, QueuesResumeCommand.class})
final class QueuesCommand {}
