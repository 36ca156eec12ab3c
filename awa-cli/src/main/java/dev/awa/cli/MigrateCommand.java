package dev.awa.cli;

import dev.awa.core.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code awa migrate}: applies the schema, or prints it with {@code --sql}. */
@Command(
    name = "migrate",
    description = {
      "Bring the Awa schema up to date (idempotent; safe while workers run).",
      "With --sql, print the full schema SQL instead, for Flyway, Liquibase or review."
    })
final class MigrateCommand extends DatabaseCommand {
  @Option(
      names = "--sql",
      description = "Print the SQL of every migration instead of applying it (no database needed).")
  boolean printSql;

  @Override
  public Integer call() throws Exception {
    if (printSql) {
      out().print(Migrations.sql(0));
      out().flush();
      return ExitCodes.OK;
    }
    return super.call();
  }

  @Override
  int run(Database db) {
    int before = Migrations.currentVersion(db.dataSource());
    int applied = Migrations.migrate(db.dataSource());
    if (applied == 0) {
      out().printf("schema already at version %d; nothing to do%n", before);
    } else {
      out()
          .printf(
              "applied %d migration%s to %s: schema version %d -> %d%n",
              applied, applied == 1 ? "" : "s", db.target(), before, Migrations.LATEST_VERSION);
    }
    return ExitCodes.OK;
  }

  @Override
  boolean requiresCurrentSchema() {
    return false;
  }
}
