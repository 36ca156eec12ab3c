package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Handlers that sleep 1 ms and 10 ms at 16 and 64 slots: throughput as a percentage of the ideal
 * {@code slots / handler time}, or of the bare-SQL ceiling measured in the same repetition when
 * that is lower.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description =
        "Handler-time sweep: handlers sleeping 1 ms / 10 ms at 16 / 64 slots, as a %% of the ideal"
            + " slots / handler time (or of the ceiling when lower).")
public final class HandlerSweepScenario implements Scenario {
  private static final String QUEUE = "sweep";

  @Option(
      names = "--jobs",
      defaultValue = "20000",
      description = "Jobs per drain (default ${DEFAULT-VALUE}).")
  int jobs = 20_000;

  @Option(
      names = "--handler-ms",
      split = ",",
      defaultValue = "1,10",
      description = "Handler sleep times in ms (default ${DEFAULT-VALUE}).")
  List<Integer> handlerMs = new ArrayList<>(List.of(1, 10));

  @Option(
      names = "--workers",
      split = ",",
      defaultValue = "16,64",
      description = "Slots (default ${DEFAULT-VALUE}).")
  List<Integer> workers = new ArrayList<>(List.of(16, 64));

  @Option(
      names = "--claim-ahead",
      split = ",",
      defaultValue = "default",
      description =
          "Claim-ahead bounds to compare, comma-separated: `default` or a number, e.g."
              + " `default,64` for an A/B in the same run (default ${DEFAULT-VALUE}).")
  List<String> claimAheads = new ArrayList<>(List.of("default"));

  @Option(
      names = "--pool-size",
      defaultValue = "10",
      description = "Connections in the runtime's pool (default ${DEFAULT-VALUE}).")
  int poolSize = 10;

  @Override
  public String name() {
    return "sweep";
  }

  @Override
  public String description() {
    return "AwaRuntime draining "
        + jobs
        + " jobs whose handler sleeps "
        + handlerMs
        + " ms at "
        + workers
        + " slots, as a % of the ideal slots / handler time and of the bare-SQL ceiling (16 threads"
        + " × 100) measured in the same repetition; the bound is the lower of the two.";
  }

  /** Sets jobs, handler times and slot counts (smoke tests). */
  public HandlerSweepScenario shape(int jobs, List<Integer> handlerMs, List<Integer> workers) {
    this.jobs = jobs;
    this.handlerMs = new ArrayList<>(handlerMs);
    this.workers = new ArrayList<>(workers);
    return this;
  }

  /**
   * {@code threads} threads sleeping {@code ms} until {@code total} sleeps are done: the ideal as
   * this machine's scheduler delivers it right now (a loaded machine oversleeps short sleeps).
   */
  private static double sleepLoop(int threads, int ms, int total) throws InterruptedException {
    java.util.concurrent.atomic.AtomicInteger left =
        new java.util.concurrent.atomic.AtomicInteger(total);
    List<Thread> all = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (left.decrementAndGet() >= 0) {
                    Thread.sleep(ms);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      all.add(t);
    }
    for (Thread t : all) {
      t.join();
    }
    return Throughput.jobsPerSecond(total, System.nanoTime() - t0);
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    ScenarioResult result = new ScenarioResult();
    result.setting("jobs", jobs);
    result.setting("handler_ms", handlerMs);
    result.setting("workers", workers);
    result.setting("claim_ahead", claimAheads);
    result.setting("runtime", "one queue, every runtime default, pool of " + poolSize);
    try (TestDatabase db = context.freshDatabase("sweep")) {
      DataSource admin = db.newDataSource(16, "awa-bench-sweep");
      double ceiling = MinimalCeiling.measure(admin, context.progress(), result, jobs, 16, 100, "");
      for (int ms : handlerMs) {
        for (int w : workers) {
          for (String ahead : claimAheads) {
            Integer claimAhead = "default".equals(ahead) ? null : Integer.valueOf(ahead);
            String key =
                "runtime_" + w + "w_" + ms + "ms" + (claimAhead == null ? "" : "_ahead" + ahead);
            long[] ids = RuntimeDrain.load(admin, QUEUE, jobs);
            RuntimeDrain.Outcome d =
                RuntimeDrain.run(
                    db,
                    context.progress(),
                    w + " slots, " + ms + " ms handlers",
                    ids,
                    QUEUE,
                    RuntimeDrain.Setup.of(w, poolSize).handlerSleepMs(ms).claimAhead(claimAhead));
            double ideal = w * 1000.0 / ms;
            double bound = Math.min(ideal, ceiling);
            double sleeping = sleepLoop(w, ms, jobs);
            result.metric(
                key + "_sleep_loop_jobs_per_s",
                "jobs/s",
                sleeping,
                w + " plain threads doing nothing but the same sleep, " + jobs + " sleeps in all");
            result.metric(
                key + "_pct_of_sleep_loop",
                "%",
                100 * d.jobsPerSecond() / Math.min(sleeping, ceiling),
                "as a % of the lower of that sleep loop (what this machine's scheduler allows) and"
                    + " the ceiling");
            result.metric(
                key + "_jobs_per_s", "jobs/s", d.jobsPerSecond(), w + " slots, " + ms + " ms");
            result.metric(
                key + "_pct_of_ideal",
                "%",
                100 * d.jobsPerSecond() / ideal,
                "as a % of the ideal " + w + " / " + ms + " ms = " + Math.round(ideal) + " jobs/s");
            result.metric(
                key + "_pct_of_bound",
                "%",
                100 * d.jobsPerSecond() / bound,
                "as a % of the lower of the ideal and the ceiling of the same repetition");
            MinimalCeiling.checkRuntime(result, admin, d, jobs, key);
          }
        }
      }
    }
    return result;
  }
}
