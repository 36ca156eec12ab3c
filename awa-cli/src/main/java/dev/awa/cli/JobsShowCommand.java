package dev.awa.cli;

import dev.awa.core.JobRow;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code awa jobs show ID}: every column of one job, args and errors pretty-printed. */
@Command(name = "show", description = "Show one job in full.")
final class JobsShowCommand extends DatabaseCommand {
  @Parameters(paramLabel = "ID", description = "Job id.")
  long id;

  @Option(names = "--json", description = "Print JSON instead of text.")
  boolean json;

  @Override
  int run(Database db) {
    JobRow job = Jobs.require(db, id);
    if (json) {
      JsonOutput.print(out(), JsonOutput.job(job));
      return ExitCodes.OK;
    }
    PrintWriter out = out();
    Table fields = new Table("FIELD", "VALUE");
    fields.row("id", job.id());
    fields.row("kind", job.kind());
    fields.row("queue", job.queue());
    fields.row("state", job.state().dbName());
    fields.row("priority", job.priority());
    fields.row("attempt", job.attempt() + " of " + job.maxAttempts());
    fields.row("run_at", Formats.instant(job.runAt()));
    fields.row("created_at", Formats.instant(job.createdAt()));
    fields.row("attempted_at", Formats.instant(job.attemptedAt()));
    fields.row("attempted_by", job.attemptedBy());
    fields.row("heartbeat_at", Formats.instant(job.heartbeatAt()));
    fields.row("deadline_at", Formats.instant(job.deadlineAt()));
    fields.row("finalized_at", Formats.instant(job.finalizedAt()));
    fields.row("tags", job.tags().isEmpty() ? null : String.join(", ", job.tags()));
    fields.row("unique_key", job.uniqueKey());
    fields.row("run_lease", job.runLease());
    fields.row("callback_id", job.callbackId());
    fields.row("callback_timeout_at", Formats.instant(job.callbackTimeoutAt()));
    fields.print(out);
    out.println();
    out.println("args:");
    out.println(JsonOutput.pretty(job.argsJson()));
    out.println("metadata:");
    out.println(JsonOutput.pretty(job.metadataJson()));
    out.println("errors:");
    out.println(JsonOutput.pretty(job.errorsJson()));
    return ExitCodes.OK;
  }
}
