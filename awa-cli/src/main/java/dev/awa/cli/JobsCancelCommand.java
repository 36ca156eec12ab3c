package dev.awa.cli;

import dev.awa.core.JobRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code awa jobs cancel ID}: cancels a job that has not finished. */
@Command(
    name = "cancel",
    description = {
      "Cancel a job that has not finished.",
      "A running handler is told; whatever it writes afterwards is ignored."
    })
final class JobsCancelCommand extends DatabaseCommand {
  @Parameters(paramLabel = "ID", description = "Job id.")
  long id;

  @Override
  int run(Database db) {
    if (db.client().operator().cancelJob(id)) {
      out().printf("job %d cancelled%n", id);
      return ExitCodes.OK;
    }
    JobRow job = Jobs.require(db, id);
    throw new CliException(
        ExitCodes.CONFLICT,
        "job "
            + id
            + " is already "
            + job.state().dbName()
            + "; only unfinished jobs can be cancelled");
  }
}
