package dev.awa.cli;

import picocli.CommandLine.Command;

/** {@code awa demo}: placeholder until the worker runtime and maintenance service are merged. */
@Command(
    name = "demo",
    description = "Run a live demo on an embedded PostgreSQL (not available yet in this build).")
final class DemoCommand extends NotAvailableYet {
  @Override
  String waitingFor() {
    return "the worker runtime and maintenance modules";
  }
}
