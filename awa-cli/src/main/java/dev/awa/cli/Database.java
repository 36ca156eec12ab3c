package dev.awa.cli;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.awa.core.AwaClient;
import dev.awa.core.Migrations;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
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
    return open(jdbcUrl, POOL_SIZE, "awa-cli");
  }

  /**
   * Opens a pool of {@code poolSize} connections named {@code applicationName} in {@code
   * pg_stat_activity}; see {@link #open(String)}.
   */
  static Database open(String jdbcUrl, int poolSize, String applicationName) {
    String target = DatabaseUrls.describe(jdbcUrl);
    probe(jdbcUrl, target, applicationName);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setPoolName(applicationName);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(0);
    // probe() already proved the server answers; Hikari's own fail-fast check would sleep a
    // second after a failed attempt before giving up, on every failing command.
    config.setInitializationFailTimeout(-1);
    config.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS * 1000L);
    config.setDataSourceProperties(connectionProperties(applicationName));
    return new Database(new HikariDataSource(config), target);
  }

  /**
   * Makes one plain connection, so a failure surfaces at once as the driver's own exception with
   * its SQLSTATE and cause.
   */
  private static void probe(String jdbcUrl, String target, String applicationName) {
    try (Connection c =
        DriverManager.getConnection(jdbcUrl, connectionProperties(applicationName))) {
      // Connected: the server is reachable and accepts the login.
    } catch (SQLException e) {
      throw ConnectionFailures.describe(target, e);
    }
  }

  private static Properties connectionProperties(String applicationName) {
    Properties p = new Properties();
    p.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
    // Names the session in pg_stat_activity.
    p.setProperty("ApplicationName", applicationName);
    return p;
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
