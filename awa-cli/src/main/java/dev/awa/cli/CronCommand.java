package dev.awa.cli;

import picocli.CommandLine.Command;

/**
 * {@code awa cron}: the group of periodic-job commands over {@code CronAdmin} (picocli reports a
 * missing subcommand as a usage error).
 */
@Command(
    name = "cron",
    description = "List, pause, resume, trigger and delete periodic job schedules.",
    subcommands = {
      CronListCommand.class,
      CronActionCommand.Pause.class,
      CronActionCommand.Resume.class,
      CronActionCommand.Trigger.class,
      CronActionCommand.Delete.class
    })
final class CronCommand {}
