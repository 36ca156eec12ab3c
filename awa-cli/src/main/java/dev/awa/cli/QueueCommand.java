package dev.awa.cli;

import java.sql.Connection;
import java.sql.SQLException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Base of {@code queues pause} and {@code queues resume}: the queue argument and the check that the
 * queue exists, so a typo ({@code awa queues pause mial}) fails with exit code 5 instead of quietly
 * recording a paused queue nobody uses. {@code --create} records a queue that does not exist yet,
 * e.g. to pause it before its first job or worker arrives.
 */
abstract class QueueCommand extends DatabaseCommand {
  @Parameters(paramLabel = "QUEUE", description = "Queue name.")
  String queue;

  @Option(
      names = "--create",
      description =
          "Act on the queue even if no job, worker, schedule or pause flag has ever named it.")
  boolean create;

  @Override
  final int run(Database db) throws SQLException {
    if (!create && queue != null && !queue.isBlank()) {
      try (Connection c = db.dataSource().getConnection()) {
        if (!StatusQueries.queueKnown(c, queue)) {
          throw new CliException(
              ExitCodes.NOT_FOUND,
              "queue "
                  + queue
                  + " not found: no job, worker, schedule or pause flag names it"
                  + " (--create to "
                  + verb()
                  + " it anyway)");
        }
      }
    }
    apply(db);
    out().printf("queue %s %s%n", queue, verb() + "d");
    return ExitCodes.OK;
  }

  /** {@code pause} or {@code resume}. */
  abstract String verb();

  /** Pauses or resumes {@link #queue}. */
  abstract void apply(Database db);
}
