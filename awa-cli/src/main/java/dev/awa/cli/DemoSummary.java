package dev.awa.cli;

import dev.awa.maintenance.BranchStatus;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The table {@code awa demo} prints at the end: where its jobs ended up (read from the database),
 * how each maintenance branch behaved (from the recorded telemetry), and a correctness line that
 * accounts for every enqueued job.
 */
final class DemoSummary {
  /** States in table order: waiting, in progress, finished. */
  private static final String[] STATES = {
    "scheduled",
    "retryable",
    "available",
    "running",
    "waiting_external",
    "completed",
    "failed",
    "cancelled"
  };

  private static final String[] HEADERS = {
    "QUEUE",
    "SCHEDULED",
    "RETRYABLE",
    "AVAILABLE",
    "RUNNING",
    "WAITING",
    "COMPLETED",
    "FAILED",
    "CANCELLED"
  };

  /**
   * The verdict of one run.
   *
   * @param enqueued jobs the demo enqueued itself
   * @param periodic jobs the periodic schedule enqueued
   * @param completed of both, completed
   * @param failed of both, failed for good
   * @param cancelled of both, cancelled
   * @param unfinished of both, not in a final state yet (accounted for, still queued)
   * @param lost enqueued jobs found in neither table
   * @param rescuedByDeadline jobs rescued by {@code rescue_expired_deadlines}
   */
  record Outcome(
      long enqueued,
      long periodic,
      long completed,
      long failed,
      long cancelled,
      long unfinished,
      long lost,
      long rescuedByDeadline) {
    /** Nothing lost and the rescue happened. */
    boolean ok() {
      return lost == 0 && rescuedByDeadline >= 1;
    }
  }

  private final DemoQueries queries;

  DemoSummary(DemoQueries queries) {
    this.queries = queries;
  }

  /** Reads the outcome and prints the summary. */
  Outcome print(
      PrintWriter out,
      List<Long> enqueuedIds,
      List<Long> periodicIds,
      DemoRecorder recorder,
      List<BranchStatus> branches,
      long callbacksResolved,
      Duration ran)
      throws SQLException {
    List<Long> all = new ArrayList<>(enqueuedIds);
    all.addAll(periodicIds);
    Map<String, Map<String, Long>> counts = queries.byQueueAndState(all);

    out.println();
    out.printf("Summary after %s%n%n", Formats.duration(ran));
    out.println("Jobs by queue and state (from the database)");
    Table jobs = new Table(HEADERS).rightAlign(1, 2, 3, 4, 5, 6, 7, 8);
    long[] totals = new long[STATES.length];
    counts.forEach(
        (queue, byState) -> {
          Object[] row = new Object[STATES.length + 1];
          row[0] = queue;
          for (int i = 0; i < STATES.length; i++) {
            long n = byState.getOrDefault(STATES[i], 0L);
            row[i + 1] = n;
            totals[i] += n;
          }
          jobs.row(row);
        });
    Object[] totalRow = new Object[STATES.length + 1];
    totalRow[0] = "total";
    for (int i = 0; i < STATES.length; i++) {
      totalRow[i + 1] = totals[i];
    }
    jobs.row(totalRow);
    jobs.print(out);

    out.println();
    out.println("Maintenance branches (this process's telemetry)");
    Table table =
        new Table("BRANCH", "LOOP", "INTERVAL", "RUNS", "P99 DURATION", "P99 LATENESS", "OVERRUNS")
            .rightAlign(2, 3, 4, 5, 6);
    for (BranchStatus status : branches) {
      DemoRecorder.Branch b = recorder.branchOrNull(status.branch());
      long episodes = Math.max(status.overrunEpisodes(), b == null ? 0 : b.overrunEpisodes());
      table.row(
          status.branch(),
          status.loop(),
          Formats.duration(status.interval()),
          b == null ? 0 : b.runs(),
          b == null ? null : Formats.duration(b.p99Duration()),
          b == null ? null : Formats.duration(b.p99Lateness()),
          episodes);
    }
    table.print(out);

    long completed = totals[5];
    long failed = totals[6];
    long cancelled = totals[7];
    long unfinished = totals[0] + totals[1] + totals[2] + totals[3] + totals[4];
    long lost = enqueuedIds.size() - queries.found(enqueuedIds);
    long rescued = queries.withError(all, "rescue.deadline");
    long flaky = queries.completedOnAttempt(all, DemoWorkers.SYNC_INVENTORY, 3);
    Outcome outcome =
        new Outcome(
            enqueuedIds.size(),
            periodicIds.size(),
            completed,
            failed,
            cancelled,
            unfinished,
            lost,
            rescued);

    out.println();
    out.println("What happened");
    out.printf(
        "  retried:   %d inventory syncs failed twice (simulated 503) and completed on attempt 3%n",
        flaky);
    out.printf(
        "  rescued:   %d job(s) hung past the %s deadline of queue default and were rescued by the"
            + " leader's rescue_expired_deadlines (then retried and completed)%n",
        rescued, Formats.duration(DemoCommand.DEFAULT_QUEUE_DEADLINE));
    out.printf(
        "  callback:  %d card charge(s) parked in waiting_external and completed by the payment"
            + " provider through completeCallback%n",
        callbacksResolved);
    out.printf(
        "  periodic:  %d %s job(s) fired by the cron schedule '%s'%n",
        periodicIds.size(), DemoWorkers.REPORT_SNAPSHOT, DemoCommand.PERIODIC_CRON);
    out.printf(
        "  promoted:  %d scheduled or retryable jobs made available by promote_scheduled%n",
        recorder.promoted());
    out.println();
    out.printf(
        "Correctness: %d enqueued + %d periodic = %d completed + %d failed + %d cancelled"
            + " + %d still queued + %d lost; lost = %d, rescued = %d -> %s%n",
        outcome.enqueued(),
        outcome.periodic(),
        completed,
        failed,
        cancelled,
        unfinished,
        lost,
        lost,
        rescued,
        outcome.ok() ? "OK" : "NOT OK");
    out.flush();
    return outcome;
  }
}
