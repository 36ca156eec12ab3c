package dev.awa.bench.scenario;

import dev.awa.bench.BenchContext;
import dev.awa.bench.Scenario;
import dev.awa.bench.ScenarioResult;
import dev.awa.testing.TestDatabase;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Several runtimes (each with its own pool, like separate processes) draining one backlog: each
 * one's share of the jobs and the total against one runtime alone on the same database.
 */
@Command(
    name = "fairness",
    mixinStandardHelpOptions = true,
    description =
        "N runtimes on one database draining one backlog: each runtime's share and the total vs"
            + " one runtime.")
public final class FairnessScenario implements Scenario {
  private static final String QUEUE = "fair";

  @Option(
      names = "--jobs",
      defaultValue = "200000",
      description = "Jobs (default ${DEFAULT-VALUE}).")
  int jobs = 200_000;

  @Option(
      names = "--runtimes",
      defaultValue = "4",
      description = "Runtimes sharing the backlog (default ${DEFAULT-VALUE}).")
  int runtimes = 4;

  @Option(
      names = "--workers",
      defaultValue = "16",
      description = "Slots of each runtime (default ${DEFAULT-VALUE}).")
  int workers = 16;

  @Option(
      names = "--pool-size",
      defaultValue = "10",
      description = "Connections in each runtime's pool (default ${DEFAULT-VALUE}).")
  int poolSize = 10;

  @Override
  public String name() {
    return "fairness";
  }

  @Override
  public String description() {
    return runtimes
        + " runtimes × "
        + workers
        + " slots (each its own pool of "
        + poolSize
        + ") draining "
        + jobs
        + " no-op jobs together, then one runtime alone on the same database: each runtime's"
        + " share (% of the jobs; an equal share is "
        + String.format("%.1f", 100.0 / runtimes)
        + " %) and the total throughput against one runtime.";
  }

  /** Sets the shape (smoke tests). */
  public FairnessScenario shape(int jobs, int runtimes, int workers) {
    this.jobs = jobs;
    this.runtimes = runtimes;
    this.workers = workers;
    return this;
  }

  @Override
  public ScenarioResult run(BenchContext context) throws Exception {
    ScenarioResult result = new ScenarioResult();
    result.setting("jobs", jobs);
    result.setting("runtimes", runtimes);
    result.setting("workers_per_runtime", workers);
    result.setting("pool_size_per_runtime", poolSize);
    try (TestDatabase db = context.freshDatabase("fairness")) {
      DataSource admin = db.newDataSource(4, "awa-bench-fairness");
      RuntimeDrain.Setup setup = RuntimeDrain.Setup.of(workers, poolSize);
      long[] ids = RuntimeDrain.load(admin, QUEUE, jobs);
      RuntimeDrain.Outcome one =
          RuntimeDrain.run(db, context.progress(), "1 runtime", ids, QUEUE, setup);
      MinimalCeiling.checkRuntime(result, admin, one, jobs, "one_runtime");
      ids = RuntimeDrain.load(admin, QUEUE, jobs);
      RuntimeDrain.Outcome many =
          RuntimeDrain.run(
              db, context.progress(), runtimes + " runtimes", ids, QUEUE, setup.runtimes(runtimes));
      MinimalCeiling.checkRuntime(result, admin, many, jobs, runtimes + "_runtimes");
      result.metric("one_runtime_jobs_per_s", "jobs/s", one.jobsPerSecond(), "one runtime alone");
      result.metric(
          "runtimes_jobs_per_s", "jobs/s", many.jobsPerSecond(), runtimes + " runtimes together");
      result.metric(
          "total_vs_one_runtime",
          "×",
          many.jobsPerSecond() / one.jobsPerSecond(),
          runtimes + " runtimes' total throughput / one runtime's, same repetition");
      double equal = 100.0 / runtimes;
      double worst = 0;
      for (int i = 0; i < runtimes; i++) {
        double share = 100.0 * many.perRuntime()[i] / jobs;
        worst = Math.max(worst, Math.abs(share - equal) / equal * 100);
        result.metric("share_runtime_" + (i + 1), "%", share, "runtime " + (i + 1) + "'s jobs");
      }
      result.metric(
          "worst_share_deviation",
          "%",
          worst,
          "largest deviation of a runtime's share from an equal share, relative to it");
    }
    return result;
  }
}
