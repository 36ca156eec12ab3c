package dev.awa.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * One isolated, throw-away database on the {@link TestDatabaseServer}: a JDBC URL, a shared pooled
 * {@link DataSource}, and helpers that move job timestamps into the past so rescue and promotion
 * tests need no waiting.
 *
 * <p>Close it to drop the database; pools made by {@link #newDataSource} are closed with it.
 */
public final class TestDatabase implements AutoCloseable {
  private final TestDatabaseServer server;
  private final String name;
  private final String url;
  private final String user;
  private final String password;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private HikariDataSource shared;

  TestDatabase(TestDatabaseServer server, String name, String url, String user, String password) {
    this.server = server;
    this.name = name;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** The database name. */
  public String name() {
    return name;
  }

  /** JDBC URL of this database (credentials, if any, come from {@link #user()}). */
  public String jdbcUrl() {
    return url;
  }

  /** User name for {@link #jdbcUrl()}, or null when the URL carries it. */
  public String user() {
    return user;
  }

  /** Password for {@link #jdbcUrl()}, or null when the URL carries it. */
  public String password() {
    return password;
  }

  /** The server this database lives on. */
  public TestDatabaseServer server() {
    return server;
  }

  /** A shared pool of 20 connections for the test class. */
  public synchronized DataSource dataSource() {
    if (shared == null) {
      shared = (HikariDataSource) newDataSource(20, "awa-test");
    }
    return shared;
  }

  /**
   * A new pool of {@code maxSize} connections (a separate "process" in multi-runtime tests). Closed
   * when this database is closed.
   */
  public synchronized DataSource newDataSource(int maxSize, String applicationName) {
    HikariDataSource ds =
        pool(url, user, password, maxSize, applicationName + "-" + pools.size(), applicationName);
    pools.add(ds);
    return ds;
  }

  /** A HikariCP pool as the tests use them: no idle minimum, 30 s to get a connection. */
  static HikariDataSource pool(
      String url,
      String user,
      String password,
      int maxSize,
      String poolName,
      String applicationName) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
      config.setPassword(password);
    }
    config.setMaximumPoolSize(maxSize);
    config.setMinimumIdle(0);
    config.setPoolName(poolName);
    config.addDataSourceProperty("ApplicationName", applicationName);
    config.setConnectionTimeout(30_000);
    return new HikariDataSource(config);
  }

  /** Opens an unpooled connection; the caller closes it. */
  public Connection openConnection() throws SQLException {
    return java.sql.DriverManager.getConnection(url, user, password);
  }

  /** Runs one statement with positional parameters and returns the update count. */
  public int update(String sql, Object... params) {
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("statement failed: " + sql, e);
    }
  }

  /** Runs a query whose first column of the first row is a number; null when no row. */
  public Long queryLong(String sql, Object... params) {
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** Runs a query and returns its first column as strings. */
  public List<String> queryStrings(String sql, Object... params) {
    try (Connection c = dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("query failed: " + sql, e);
    }
  }

  /** Counts the jobs in state {@code state}, wherever that state lives. */
  public long countJobs(String state) {
    return queryLong(
        "SELECT (SELECT count(*) FROM awa.jobs WHERE state = ?)"
            + " + (SELECT count(*) FROM awa.scheduled_jobs WHERE state = ?)",
        state,
        state);
  }

  /** Deletes every job, claim, schedule and runtime row, keeping the schema. */
  public void truncateJobs() {
    update(
        "TRUNCATE awa.jobs, awa.scheduled_jobs, awa.job_unique_claims, awa.queue_meta,"
            + " awa.cron_jobs, awa.runtime_instances, awa.maintenance_branches");
  }

  /** Moves the heartbeat of running job {@code id} {@code by} into the past. */
  public void backdateHeartbeat(long id, Duration by) {
    shift("awa.jobs", "heartbeat_at", "id = ?", by, id);
  }

  /** Moves every running job's heartbeat {@code by} into the past. */
  public void backdateAllHeartbeats(Duration by) {
    shift("awa.jobs", "heartbeat_at", "state = 'running'", by);
  }

  /** Moves the deadline of job {@code id} {@code by} into the past. */
  public void backdateDeadline(long id, Duration by) {
    shift("awa.jobs", "deadline_at", "id = ?", by, id);
  }

  /** Moves the callback timeout of job {@code id} {@code by} into the past. */
  public void backdateCallbackTimeout(long id, Duration by) {
    shift("awa.jobs", "callback_timeout_at", "id = ?", by, id);
  }

  /** Moves the run-at of job {@code id} (scheduled or not) {@code by} into the past. */
  public void backdateRunAt(long id, Duration by) {
    shift("awa.scheduled_jobs", "run_at", "id = ?", by, id);
    shift("awa.jobs", "run_at", "id = ?", by, id);
  }

  /** Moves every scheduled or retryable job's run-at {@code by} into the past. */
  public void backdateAllScheduled(Duration by) {
    shift("awa.scheduled_jobs", "run_at", "true", by);
  }

  private void shift(String table, String column, String where, Duration by, Object... params) {
    Object[] all = new Object[params.length + 1];
    all[0] = by.toMillis();
    System.arraycopy(params, 0, all, 1, params.length);
    update(
        "UPDATE "
            + table
            + " SET "
            + column
            + " = "
            + column
            + " - ? * interval '1 millisecond' WHERE "
            + where,
        all);
  }

  private static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
  }

  /** Closes every pool made here and drops the database. */
  @Override
  public synchronized void close() {
    for (HikariDataSource ds : pools) {
      ds.close();
    }
    pools.clear();
    shared = null;
    server.dropDatabase(name);
  }
}
