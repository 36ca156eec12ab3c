package dev.awa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code awa queues resume QUEUE}: workers claim from the queue again, woken at once. */
@Command(name = "resume", description = "Let workers claim from a paused queue again.")
final class QueuesResumeCommand extends DatabaseCommand {
  @Parameters(paramLabel = "QUEUE", description = "Queue name.")
  String queue;

  @Override
  int run(Database db) {
    db.client().resumeQueue(queue);
    out().printf("queue %s resumed%n", queue);
    return ExitCodes.OK;
  }
}
