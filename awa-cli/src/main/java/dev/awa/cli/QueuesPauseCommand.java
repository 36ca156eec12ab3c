package dev.awa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code awa queues pause QUEUE}: workers stop claiming from the queue until it is resumed. */
@Command(
    name = "pause",
    description = "Stop workers claiming from a queue (running jobs finish; new jobs still queue).")
final class QueuesPauseCommand extends DatabaseCommand {
  @Parameters(paramLabel = "QUEUE", description = "Queue name.")
  String queue;

  @Override
  int run(Database db) {
    db.client().pauseQueue(queue);
    out().printf("queue %s paused%n", queue);
    return ExitCodes.OK;
  }
}
