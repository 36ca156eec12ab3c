package dev.awa.cli;

import dev.awa.core.DuplicateJobException;
import dev.awa.core.JobRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code awa jobs retry ID}: makes a finished job available again now. */
@Command(
    name = "retry",
    description = {
      "Make a completed, failed or cancelled job available again now.",
      "A job whose attempts are spent gets one more."
    })
final class JobsRetryCommand extends DatabaseCommand {
  @Parameters(paramLabel = "ID", description = "Job id.")
  long id;

  @Override
  int run(Database db) {
    boolean retried;
    try {
      retried = db.client().operator().retryJob(id);
    } catch (DuplicateJobException e) {
      throw new CliException(
          ExitCodes.CONFLICT,
          "job "
              + id
              + " cannot be retried: its unique key '"
              + e.uniqueKey()
              + "' is held by "
              + (e.existingJobId() > 0 ? "job " + e.existingJobId() : "another job"));
    }
    if (retried) {
      JobRow job = Jobs.require(db, id);
      out().printf("job %d is available again on queue %s%n", id, job.queue());
      return ExitCodes.OK;
    }
    // Not retried: read it to say why (it may also have just changed; the message says "is").
    JobRow job = Jobs.require(db, id);
    throw new CliException(
        ExitCodes.CONFLICT,
        "job "
            + id
            + " is "
            + job.state().dbName()
            + "; only completed, failed or cancelled jobs can be retried");
  }
}
