package dev.awa.cli;

import dev.awa.core.JobRow;

/** Looks jobs up for the job commands and turns "no such job" into exit code 5. */
final class Jobs {
  private Jobs() {}

  static JobRow require(Database db, long id) {
    return db.client()
        .operator()
        .getJob(id)
        .orElseThrow(() -> new CliException(ExitCodes.NOT_FOUND, "job " + id + " not found"));
  }
}
