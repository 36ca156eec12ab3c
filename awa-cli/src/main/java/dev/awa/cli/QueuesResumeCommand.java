package dev.awa.cli;

import picocli.CommandLine.Command;

/** {@code awa queues resume QUEUE}: workers claim from the queue again, woken at once. */
@Command(name = "resume", description = "Let workers claim from a paused queue again.")
final class QueuesResumeCommand extends QueueCommand {
  @Override
  String verb() {
    return "resume";
  }

  @Override
  void apply(Database db) {
    db.client().operator().resumeQueue(queue);
  }
}
