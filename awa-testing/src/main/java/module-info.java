/**
 * Test support for Awa and its users: {@code @AwaTest} (a fresh migrated database per test class),
 * the PostgreSQL server resolver (embedded PostgreSQL 17, a URL, or Testcontainers) and helpers.
 *
 * <p>Testcontainers is not required here: its {@code postgresql} jar splits the package {@code
 * org.testcontainers.containers} with the core jar, so neither can be a module. It is read from the
 * class path (the compiler gets {@code --add-reads dev.awa.testing=ALL-UNNAMED}, see the pom),
 * which is where a test dependency sits in every surefire run.
 */
module dev.awa.testing {
  requires transitive java.sql;
  // AwaTestDatabaseExtension implements JUnit's extension SPI.
  requires transitive org.junit.jupiter.api;
  // TestDatabaseServer.embedded() returns zonky's EmbeddedPostgres (name derived from the jar).
  requires transitive embedded.postgres;
  requires com.zaxxer.hikari;
  requires org.postgresql.jdbc;
  requires org.slf4j;

  exports dev.awa.testing;
}
