package dev.awa.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.awa.core.AwaClient;
import dev.awa.core.Migrations;
import javax.sql.DataSource;

/**
 * The connection pool of one command run. Opening it makes one connection at once, so an
 * unreachable server or a refused login is reported before the command does anything.
 */
final class Database implements AutoCloseable {
  /** A command makes a handful of sequential statements; two connections are plenty. */
  private static final int POOL_SIZE = 2;

  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final HikariDataSource pool;
  private final String target;

  private Database(HikariDataSource pool, String target) {
    this.pool = pool;
    this.target = target;
  }

  /**
   * Opens a pool on {@code jdbcUrl} and checks a connection can be made.
   *
   * @throws CliException with {@link ExitCodes#DATABASE_UNAVAILABLE} when it cannot
   */
  static Database open(String jdbcUrl) {
    String target = DatabaseUrls.describe(jdbcUrl);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName("awa-cli");
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(0);
    // Fail on the first attempt instead of retrying for connectionTimeout: the user is waiting.
    config.setInitializationFailTimeout(1);
    config.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
    config.addDataSourceProperty("connectTimeout", CONNECT_TIMEOUT_SECONDS);
    config.addDataSourceProperty("ApplicationName", "awa-cli");
    try {
      return new Database(new HikariDataSource(config), target);
    } catch (HikariPool.PoolInitializationException e) {
      throw ConnectionFailures.describe(target, e.getCause() == null ? e : e.getCause());
    }
  }

  /** The pool. */
  DataSource dataSource() {
    return pool;
  }

  /** An Awa client over the pool. */
  AwaClient client() {
    return AwaClient.create(pool);
  }

  /** Where this database is, without credentials. */
  String target() {
    return target;
  }

  /**
   * Checks the schema is the one this tool was built for.
   *
   * @throws dev.awa.core.SchemaVersionException when it is not
   */
  void verifySchema() {
    Migrations.verify(pool);
  }

  @Override
  public void close() {
    pool.close();
  }
}
