package dev.awa.cli;

import dev.awa.maintenance.CronAdmin;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code awa cron pause|resume|trigger|delete NAME}: one {@link CronAdmin} call on a named
 * schedule; exit code 5 when no schedule has that name.
 */
abstract class CronActionCommand extends DatabaseCommand {
  @Parameters(paramLabel = "NAME", description = "Schedule name (see 'awa cron list').")
  String name;

  @Override
  final int run(Database db) {
    String done = act(new CronAdmin(db.dataSource()));
    if (done == null) {
      throw new CliException(
          ExitCodes.NOT_FOUND, "schedule " + name + " not found (see 'awa cron list')");
    }
    out().println(done);
    return ExitCodes.OK;
  }

  /** Does the action; the line to print, or null when the schedule does not exist. */
  abstract String act(CronAdmin admin);

  @Command(name = "pause", description = "Stop firing a schedule until it is resumed.")
  static final class Pause extends CronActionCommand {
    @Override
    String act(CronAdmin admin) {
      return admin.pause(name) ? "schedule " + name + " paused" : null;
    }
  }

  @Command(
      name = "resume",
      description = "Fire a paused schedule again, from now on (missed fires are not replayed).")
  static final class Resume extends CronActionCommand {
    @Override
    String act(CronAdmin admin) {
      return admin.resume(name) ? "schedule " + name + " resumed" : null;
    }
  }

  @Command(
      name = "trigger",
      description = "Enqueue the schedule's job now, even while paused; its timing is unchanged.")
  static final class Trigger extends CronActionCommand {
    @Override
    String act(CronAdmin admin) {
      OptionalLong id = admin.triggerNow(name);
      return id.isPresent() ? "schedule " + name + " triggered: job " + id.getAsLong() : null;
    }
  }

  @Command(
      name = "delete",
      description =
          "Delete a schedule. A running service that still declares it recreates it at its next"
              + " cron_sync.")
  static final class Delete extends CronActionCommand {
    @Override
    String act(CronAdmin admin) {
      return admin.delete(name) ? "schedule " + name + " deleted" : null;
    }
  }
}
