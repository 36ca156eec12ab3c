package dev.awa.bench;

import dev.awa.core.Migrations;
import dev.awa.testing.TestDatabase;
import dev.awa.testing.TestDatabaseServer;

/**
 * What a scenario gets for one repetition: the PostgreSQL server, a way to create a fresh migrated
 * database on it, and progress output.
 */
public final class BenchContext {
  private final TestDatabaseServer server;
  private final Progress progress;
  private final int repetition;

  /**
   * @param server the server every database of this run is created on
   * @param progress where progress lines go
   * @param repetition 1-based number of this repetition
   */
  public BenchContext(TestDatabaseServer server, Progress progress, int repetition) {
    this.server = server;
    this.progress = progress;
    this.repetition = repetition;
  }

  /** Progress output for this repetition. */
  public Progress progress() {
    return progress;
  }

  /** 1-based number of this repetition. */
  public int repetition() {
    return repetition;
  }

  /**
   * Creates a new database with the Awa schema applied. Every repetition starts from an empty
   * database so runs do not inherit each other's bloat; the caller closes (drops) it.
   */
  public TestDatabase freshDatabase(String prefix) {
    TestDatabase db = server.createDatabase("bench_" + prefix);
    try {
      Migrations.migrate(db.dataSource());
      return db;
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }
}
