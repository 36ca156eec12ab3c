/**
 * The {@code awa} command line: migrate, status, jobs, cron, queues, the dashboard, demo and bench.
 *
 * <p>Exports nothing: it is a tool. The runnable {@code awa-cli/target/awa.jar} is shaded and runs
 * on the class path; this descriptor is what the compiler and the module-path tests check.
 */
module dev.awa.cli {
  requires dev.awa.core;
  requires dev.awa.maintenance;
  requires dev.awa.metrics;
  requires dev.awa.web;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.zaxxer.hikari;
  requires info.picocli;
  requires jdk.httpserver;
  requires micrometer.registry.prometheus;
  requires org.postgresql.jdbc;
  requires org.slf4j;
  // awa demo starts zonky's embedded PostgreSQL (module name derived from the jar name).
  requires embedded.postgres;
  requires dev.awa.bench;

  // picocli injects options and parameters into the command classes' private fields; Jackson writes
  // the package-private records of awa status and awa cron list.
  opens dev.awa.cli to
      info.picocli,
      com.fasterxml.jackson.databind;
}
