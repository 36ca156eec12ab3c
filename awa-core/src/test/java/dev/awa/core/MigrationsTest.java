package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import org.junit.jupiter.api.Test;

@AwaTest
class MigrationsTest {

  @Test
  void migrateIsIdempotentAndVerifies(TestDatabase db) {
    assertThat(Migrations.currentVersion(db.dataSource())).isEqualTo(Migrations.LATEST_VERSION);
    assertThat(Migrations.migrate(db.dataSource())).isZero();
    Migrations.verify(db.dataSource());
  }

  @Test
  void refusesNewerSchemaAndChangesNothing(TestDatabase db) {
    db.update("INSERT INTO awa.schema_version (version, description) VALUES (999, 'future')");
    try {
      assertThatThrownBy(() -> Migrations.migrate(db.dataSource()))
          .isInstanceOf(SchemaVersionException.class)
          .hasMessageContaining("version 999")
          .hasMessageContaining("upgrade Awa");
      assertThatThrownBy(() -> Migrations.verify(db.dataSource()))
          .isInstanceOf(SchemaVersionException.class);
      assertThat(db.queryLong("SELECT max(version) FROM awa.schema_version WHERE version < 999"))
          .isEqualTo((long) Migrations.LATEST_VERSION);
    } finally {
      db.update("DELETE FROM awa.schema_version WHERE version = 999");
    }
  }

  @Test
  void exportedSqlCreatesTheSameSchema(TestDatabase db) throws Exception {
    String sql = Migrations.sql(0);
    assertThat(sql).contains("CREATE TABLE awa.jobs").contains("INSERT INTO awa.schema_version");
    try (TestDatabase fresh = db.server().createDatabase("export")) {
      try (var c = fresh.openConnection();
          var st = c.createStatement()) {
        st.execute(sql);
      }
      assertThat(Migrations.currentVersion(fresh.dataSource()))
          .isEqualTo(Migrations.LATEST_VERSION);
      Migrations.verify(fresh.dataSource());
    }
  }

  @Test
  void unmigratedDatabaseIsReportedClearly(TestDatabase db) throws Exception {
    try (TestDatabase fresh = db.server().createDatabase("bare")) {
      assertThatThrownBy(() -> Migrations.verify(fresh.dataSource()))
          .isInstanceOf(SchemaVersionException.class)
          .hasMessageContaining("not installed");
    }
  }
}
