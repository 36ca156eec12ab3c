package dev.awa.cli;

import dev.awa.bench.AwaBench;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code awa bench <scenario> [options]}: runs awa-bench's scenarios from the same jar. Everything
 * after {@code bench} goes to awa-bench's own command line, which has its own execution strategy
 * (picocli ignores a nested command's), hence the delegation rather than a subcommand.
 */
@Command(
    name = "bench",
    description = {
      "Run a benchmark scenario: enqueue, ceiling, drain, latency, sweep, fairness, scale, idle,"
          + " maintenance-long-horizon.",
      "Options are awa-bench's (e.g. --repeats, --database-url, --output); results go to"
          + " target/benchmarks/ unless --output says otherwise. See docs/benchmarks/README.md."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Unmatched List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() {
    CommandLine bench = AwaBench.commandLine();
    bench.setOut(spec.commandLine().getOut());
    bench.setErr(spec.commandLine().getErr());
    return bench.execute(arguments.toArray(String[]::new));
  }
}
