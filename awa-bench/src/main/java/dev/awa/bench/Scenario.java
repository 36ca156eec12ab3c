package dev.awa.bench;

/**
 * One benchmark. A scenario's settings are its own fields (picocli options, so each scenario is a
 * subcommand of {@link AwaBench}); {@link #run} performs one measured repetition and the {@link
 * BenchRunner} repeats it, aggregates and writes the report.
 *
 * <p>To add a scenario (drain, latency, maintenance-long-horizon): write one class annotated with
 * {@code @Command(name = ...)} that implements this interface, and add an instance to {@link
 * Scenarios#all()}.
 */
public interface Scenario {
  /** Short name used on the command line and as the report file name, e.g. {@code enqueue}. */
  String name();

  /** One sentence saying what is measured, printed at the top of the report. */
  String description();

  /**
   * Runs one repetition. Takes a fresh database from {@code context} for anything it writes, and
   * records every setting, metric and correctness check in the returned result.
   */
  ScenarioResult run(BenchContext context) throws Exception;
}
