package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.Migrations;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import org.junit.jupiter.api.Test;

@AwaTest(migrate = false)
class MigrateCommandTest {

  @Test
  void migratesAnEmptyDatabaseOnceAndThenUnlocksTheOtherCommands(TestDatabase db) {
    Cli.Result before = Cli.run("status", Cli.urlOption(db));
    assertThat(before.exitCode()).isEqualTo(ExitCodes.SCHEMA);
    assertThat(before.errorLine()).contains("not installed").contains("awa migrate");

    Cli.Result first = Cli.run("migrate", Cli.urlOption(db));
    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).contains("applied ").contains("0 -> " + Migrations.LATEST_VERSION);
    assertThat(Migrations.currentVersion(db.dataSource())).isEqualTo(Migrations.LATEST_VERSION);

    Cli.Result second = Cli.run("migrate", Cli.urlOption(db));
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).contains("already at version " + Migrations.LATEST_VERSION);

    assertThat(Cli.run("status", Cli.urlOption(db)).exitCode()).isZero();
  }

  @Test
  void sqlOptionPrintsTheSchemaThatPostgresAccepts(TestDatabase db) throws Exception {
    // No --database-url: printing the SQL must not need a database.
    Cli.Result result = Cli.run("migrate", "--sql");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).isEqualTo(Migrations.sql(0));

    try (TestDatabase fresh = db.server().createDatabase("cli_sql");
        var c = fresh.openConnection();
        var st = c.createStatement()) {
      st.execute(result.out());
      assertThat(Cli.run("status", Cli.urlOption(fresh)).exitCode()).isZero();
    }
  }

  @Test
  void refusesADatabaseMigratedByANewerAwa(TestDatabase db) {
    try (TestDatabase newer = db.server().createDatabase("cli_newer")) {
      Migrations.migrate(newer.dataSource());
      newer.update("INSERT INTO awa.schema_version (version, description) VALUES (999, 'future')");

      Cli.Result migrate = Cli.run("migrate", Cli.urlOption(newer));
      assertThat(migrate.exitCode()).isEqualTo(ExitCodes.SCHEMA);
      assertThat(migrate.errorLine()).contains("version 999").contains("upgrade Awa");

      Cli.Result list = Cli.run("jobs", "list", Cli.urlOption(newer));
      assertThat(list.exitCode()).isEqualTo(ExitCodes.SCHEMA);
      assertThat(list.errorLine()).contains("newer than this code supports");
      assertThat(newer.queryLong("SELECT max(version) FROM awa.schema_version")).isEqualTo(999L);
    }
  }
}
