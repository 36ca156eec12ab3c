/**
 * awa-bench: the benchmark scenarios behind {@code awa bench} and {@code awa-bench.jar}.
 *
 * <p>A tool: it exports its entry point to the CLI only. The runnable jars are shaded and run on
 * the class path; this descriptor is what the compiler and the module-path tests check.
 */
module dev.awa.bench {
  requires dev.awa.core;
  requires dev.awa.maintenance;
  requires dev.awa.testing;
  requires com.fasterxml.jackson.databind;
  requires com.zaxxer.hikari;
  // HdrHistogram-2.2.2.jar has no module name of its own; this one is derived from the jar name.
  requires HdrHistogram;
  requires info.picocli;
  // MachineInfo reports the machine (ManagementFactory, com.sun.management's OS bean).
  requires java.management;
  requires jdk.management;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.awa.bench to
      dev.awa.cli;

  // picocli injects the scenarios' options; Jackson writes and reads the JSON reports.
  opens dev.awa.bench to
      info.picocli,
      com.fasterxml.jackson.databind;
  opens dev.awa.bench.scenario to
      info.picocli,
      com.fasterxml.jackson.databind;
}
