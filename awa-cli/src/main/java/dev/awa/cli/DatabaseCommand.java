package dev.awa.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that talk to the database: resolves the URL, opens the pool, checks the
 * schema version, runs the command and closes the pool. Failures propagate to {@link ErrorHandler}.
 */
abstract class DatabaseCommand implements Callable<Integer> {
  @Mixin DatabaseOptions databaseOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    try (Database db = Database.open(databaseOptions.jdbcUrl())) {
      if (requiresCurrentSchema()) {
        db.verifySchema();
      }
      return run(db);
    }
  }

  /** Does the work; returns the exit code. */
  abstract int run(Database db) throws Exception;

  /** Whether the schema must be exactly the version this tool knows; only migrate says no. */
  boolean requiresCurrentSchema() {
    return true;
  }

  /** Where results go (stdout, or what a test captured). */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }
}
