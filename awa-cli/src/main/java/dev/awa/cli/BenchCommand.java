package dev.awa.cli;

import picocli.CommandLine.Command;

/** {@code awa bench}: placeholder until awa-bench is merged; it will delegate there. */
@Command(name = "bench", description = "Run the benchmarks (not available yet in this build).")
final class BenchCommand extends NotAvailableYet {
  @Override
  String waitingFor() {
    return "the awa-bench module";
  }
}
