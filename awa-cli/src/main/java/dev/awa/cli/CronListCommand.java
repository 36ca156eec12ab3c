package dev.awa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code awa cron list}: every schedule with its next fire and whether anyone works its kind. */
@Command(
    name = "list",
    description =
        "List schedules: expression, zone, kind, queue, paused, last and next fire, and whether"
            + " a live runtime registers the kind.")
final class CronListCommand extends DatabaseCommand {
  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  int run(Database db) throws Exception {
    var schedules = Schedules.list(db);
    if (json) {
      JsonOutput.print(out(), schedules);
    } else {
      Schedules.print(out(), schedules);
    }
    return ExitCodes.OK;
  }
}
