package dev.awa.cli;

import dev.awa.cli.StatusQueries.MaintenanceBranch;
import dev.awa.cli.StatusQueries.RuntimeInstance;
import dev.awa.core.JobState;
import dev.awa.core.internal.store.StatusSql;
import dev.awa.core.internal.store.StatusSql.QueueSummary;
import java.io.PrintWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code awa status}: queues (counts by state, lag, paused), runtime instances and who leads, and
 * every maintenance branch's last run and overrun state.
 */
@Command(
    name = "status",
    description = "Show queues, runtime instances, the maintenance leader and its branches.")
final class StatusCommand extends DatabaseCommand {
  /** Column order of the queue table; waiting_external is shortened to keep rows narrow. */
  private static final List<JobState> STATE_COLUMNS =
      List.of(
          JobState.AVAILABLE,
          JobState.RUNNING,
          JobState.SCHEDULED,
          JobState.RETRYABLE,
          JobState.WAITING_EXTERNAL,
          JobState.COMPLETED,
          JobState.FAILED,
          JobState.CANCELLED);

  @Option(names = "--json", description = "Print JSON instead of tables.")
  boolean json;

  /** The whole status as one JSON document. */
  record Status(
      List<QueueSummary> queues,
      RuntimeInstance leader,
      List<RuntimeInstance> runtimeInstances,
      List<MaintenanceBranch> maintenanceBranches,
      List<Schedules.Schedule> periodicJobs) {}

  @Override
  int run(Database db) throws Exception {
    Status status;
    try (Connection c = db.dataSource().getConnection()) {
      List<RuntimeInstance> instances = StatusQueries.runtimeInstances(c);
      status =
          new Status(
              StatusSql.queues(c),
              instances.stream().filter(RuntimeInstance::leader).findFirst().orElse(null),
              instances,
              StatusQueries.maintenanceBranches(c),
              Schedules.list(db));
    }
    if (json) {
      JsonOutput.print(out(), status);
    } else {
      printTables(out(), status);
    }
    return ExitCodes.OK;
  }

  private static void printTables(PrintWriter out, Status status) {
    out.println("Queues");
    if (status.queues().isEmpty()) {
      out.println("  (no jobs and no paused queues)");
    } else {
      List<String> headers = new ArrayList<>(List.of("QUEUE", "PAUSED"));
      for (JobState s : STATE_COLUMNS) {
        headers.add(s == JobState.WAITING_EXTERNAL ? "WAITING" : s.name());
      }
      headers.add("LAG");
      Table table = new Table(headers.toArray(String[]::new));
      for (int i = 2; i < headers.size(); i++) {
        table.rightAlign(i);
      }
      for (QueueSummary q : status.queues()) {
        List<Object> row = new ArrayList<>(List.of(q.queue(), q.paused() ? "yes" : "no"));
        Map<String, Long> counts = q.counts();
        STATE_COLUMNS.forEach(s -> row.add(counts.get(s.dbName())));
        row.add(Formats.seconds(q.lagSeconds()));
        table.row(row.toArray());
      }
      table.print(out);
    }

    out.println();
    RuntimeInstance leader = status.leader();
    out.println(
        leader == null
            ? "Leader: none"
            : "Leader: "
                + leader.instanceId()
                + " on "
                + leader.hostname()
                + " since "
                + Formats.instant(leader.leaderSince()));
    out.println();
    out.println("Runtime instances");
    if (status.runtimeInstances().isEmpty()) {
      out.println("  (none registered)");
    } else {
      Table table =
          new Table("INSTANCE", "HOST", "PID", "STARTED", "LAST SEEN", "LEADER").rightAlign(2, 4);
      for (RuntimeInstance r : status.runtimeInstances()) {
        table.row(
            r.instanceId(),
            r.hostname(),
            r.pid(),
            Formats.instant(r.startedAt()),
            Formats.ago(r.lastSeenSecondsAgo()),
            r.leader() ? "yes" : "no");
      }
      table.print(out);
    }

    out.println();
    out.println("Maintenance branches");
    if (status.maintenanceBranches().isEmpty()) {
      out.println("  (none recorded: no maintenance leader has run against this database)");
    } else {
      Table table =
          new Table("BRANCH", "LOOP", "LAST RUN", "DURATION", "STATE", "OVERRUNS", "LAST ERROR")
              .rightAlign(2, 3, 5);
      for (MaintenanceBranch b : status.maintenanceBranches()) {
        table.row(
            b.branch(),
            b.loop(),
            Formats.ago(b.lastRunSecondsAgo()),
            Formats.millis(b.lastDurationMs()),
            b.overrunState(),
            b.overrunEpisodes(),
            b.lastError());
      }
      table.print(out);
    }

    out.println();
    out.println("Periodic jobs");
    Schedules.print(out, status.periodicJobs());
  }
}
