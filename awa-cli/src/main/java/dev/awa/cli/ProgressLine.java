package dev.awa.cli;

import dev.awa.maintenance.MaintenanceService;
import dev.awa.maintenance.QueueStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The demo's live status: jobs done, jobs/s, queue depths, who leads and the urgent loop's start
 * lateness. On a terminal it is one line rewritten in place every second (carriage return); in a
 * pipe or a log it is a plain line every few seconds, so captured output stays readable.
 */
final class ProgressLine {
  /** Urgent-loop branches: their lateness is what users feel (promotion, rescue). */
  private static final List<String> URGENT =
      List.of(
          MaintenanceService.PROMOTE_SCHEDULED,
          MaintenanceService.RESCUE_STALE_HEARTBEATS,
          MaintenanceService.RESCUE_EXPIRED_DEADLINES,
          MaintenanceService.RESCUE_EXPIRED_CALLBACKS);

  /** Every how many ticks a plain line is printed when the output is not a terminal. */
  private static final int PLAIN_EVERY_TICKS = 5;

  private final PrintWriter out;
  private final boolean terminal;
  private final DemoRecorder recorder;
  private final BooleanSupplier leads;
  private final BooleanSupplier leaderElsewhere;
  private final List<String> queues;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private volatile String phase = "";
  private long ticks;
  private long lastDone;
  private long lastNanos;
  private int lastWidth;

  ProgressLine(
      PrintWriter out,
      boolean terminal,
      DemoRecorder recorder,
      BooleanSupplier leads,
      BooleanSupplier leaderElsewhere,
      List<String> queues,
      LongSupplier nanoTime) {
    this.out = out;
    this.terminal = terminal;
    this.recorder = recorder;
    this.leads = leads;
    this.leaderElsewhere = leaderElsewhere;
    this.queues = List.copyOf(queues);
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
    this.lastNanos = startNanos;
  }

  /** Labels the following lines, e.g. {@code (draining)} once enqueuing has stopped. */
  void phase(String label) {
    this.phase = label;
  }

  /** Called once a second by the demo. */
  synchronized void tick() {
    ticks++;
    long now = nanoTime.getAsLong();
    long done = recorder.completed() + recorder.failed() + recorder.cancelled();
    double seconds = Math.max(1e-3, (now - lastNanos) / 1e9);
    double rate = (done - lastDone) / seconds;
    lastDone = done;
    lastNanos = now;
    String line = render((now - startNanos) / 1_000_000_000L, done, rate);
    if (terminal) {
      // Pad over the previous line's tail; the line never ends, the next tick rewrites it.
      String padded = line + " ".repeat(Math.max(0, lastWidth - line.length()));
      lastWidth = line.length();
      out.print("\r" + padded);
      out.flush();
    } else if (ticks % PLAIN_EVERY_TICKS == 0) {
      out.println(line);
      out.flush();
    }
  }

  /** Ends the live line so what follows starts on a fresh one. */
  synchronized void finish() {
    if (terminal && lastWidth > 0) {
      out.println();
      out.flush();
    }
  }

  /**
   * One line under 100 columns, so the carriage-return rewrite works on a standard terminal: {@code
   * 12s 345 done 31.0/s default a0 r1 s2 w0 email a0 r1 s5 w0 leader here urgent late p99 65ms}.
   * Per queue: available, running, scheduled (incl. retryable), waiting_external.
   */
  private String render(long elapsedSeconds, long done, double rate) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(Locale.ROOT, "%3ds %s %d done  %.1f/s", elapsedSeconds, phase, done, rate));
    QueueStats stats = recorder.lastQueueStats();
    for (String queue : queues) {
      b.append("  ").append(queue);
      if (stats == null) {
        b.append(" -");
      } else {
        b.append(
            String.format(
                Locale.ROOT,
                " a%d r%d s%d w%d",
                stats.count(queue, "available"),
                stats.count(queue, "running"),
                stats.count(queue, "scheduled") + stats.count(queue, "retryable"),
                stats.count(queue, "waiting_external")));
      }
    }
    b.append("  leader ").append(leader());
    Duration lateness = urgentLateness();
    b.append("  urgent late p99 ").append(lateness == null ? "-" : Formats.duration(lateness));
    return b.toString();
  }

  /**
   * {@code here}, {@code elsewhere} (another process is recorded as leader) or {@code electing}: a
   * new leader waits a settle period before it acts, and calling that "elsewhere" sent users
   * looking for a process that did not exist.
   */
  private String leader() {
    if (leads.getAsBoolean()) {
      return "here";
    }
    return leaderElsewhere.getAsBoolean() ? "elsewhere" : "electing";
  }

  /** The worst p99 start lateness of the urgent-loop branches so far. */
  private Duration urgentLateness() {
    Duration worst = null;
    for (String name : URGENT) {
      DemoRecorder.Branch branch = recorder.branchOrNull(name);
      Duration p99 = branch == null ? null : branch.p99Lateness();
      if (p99 != null && (worst == null || p99.compareTo(worst) > 0)) {
        worst = p99;
      }
    }
    return worst;
  }
}
