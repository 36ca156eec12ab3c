package dev.awa.cli;

import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import java.sql.Connection;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code awa jobs list}: jobs from both tables, newest first, filtered. */
@Command(name = "list", description = "List jobs, newest first.")
final class JobsListCommand extends DatabaseCommand {
  @Option(names = "--queue", paramLabel = "QUEUE", description = "Only jobs of this queue.")
  String queue;

  @Option(names = "--kind", paramLabel = "KIND", description = "Only jobs of this kind.")
  String kind;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      converter = JobStateConverter.class,
      description =
          "Only jobs in this state: scheduled, retryable, available, running, waiting_external,"
              + " completed, failed, cancelled.")
  JobState state;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "" + JobFilter.DEFAULT_LIMIT,
      description = "At most N jobs, 1 to " + JobFilter.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "Print a JSON array instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    // Validate before connecting, so a typo is reported as usage even without a database.
    if (limit < 1 || limit > JobFilter.MAX_LIMIT) {
      throw new ParameterException(
          spec.commandLine(),
          "--limit must be between 1 and " + JobFilter.MAX_LIMIT + ", was " + limit);
    }
    return super.call();
  }

  @Override
  int run(Database db) throws Exception {
    List<JobRow> jobs;
    try (Connection c = db.dataSource().getConnection()) {
      jobs = StatusQueries.listJobs(c, new JobFilter(queue, kind, state, limit));
    }
    if (json) {
      JsonOutput.print(out(), jobs.stream().map(JsonOutput::job).toList());
      return ExitCodes.OK;
    }
    if (jobs.isEmpty()) {
      out().println("no jobs match");
      return ExitCodes.OK;
    }
    Table table =
        new Table("ID", "QUEUE", "KIND", "STATE", "ATTEMPT", "PRIORITY", "RUN AT", "CREATED")
            .rightAlign(0, 4, 5);
    for (JobRow j : jobs) {
      table.row(
          j.id(),
          j.queue(),
          j.kind(),
          j.state().dbName(),
          j.attempt() + "/" + j.maxAttempts(),
          j.priority(),
          Formats.instant(j.runAt()),
          Formats.instant(j.createdAt()));
    }
    table.print(out());
    return ExitCodes.OK;
  }
}
