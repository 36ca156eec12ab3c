package dev.awa.cli;

import picocli.CommandLine.Command;

/** {@code awa queues pause QUEUE}: workers stop claiming from the queue until it is resumed. */
@Command(
    name = "pause",
    description = "Stop workers claiming from a queue (running jobs finish; new jobs still queue).")
final class QueuesPauseCommand extends QueueCommand {
  @Override
  String verb() {
    return "pause";
  }

  @Override
  void apply(Database db) {
    db.client().operator().pauseQueue(queue);
  }
}
