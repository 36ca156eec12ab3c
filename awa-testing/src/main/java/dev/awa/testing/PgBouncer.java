package dev.awa.testing;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code pgbouncer} process in front of a {@link TestDatabase}, for tests of Awa behind a
 * connection pooler. It listens on a free loopback port, with its own {@code pgbouncer.ini} and
 * auth file in a temporary directory, in {@link PoolMode#SESSION} or {@link PoolMode#TRANSACTION}
 * mode; {@link #close()} stops it and removes the directory.
 *
 * <p>The binary is looked up on {@code PATH}, then at {@code /usr/sbin/pgbouncer} (Debian's
 * package). Tests call {@link #assumeInstalled()} first so that without it they are skipped with a
 * one-line reason. PgBouncer refuses to run as root, so under root (CI) it is started with {@code
 * -u postgres} (or {@code nobody}).
 *
 * <p><b>Prepared statements.</b> In transaction mode consecutive statements of one client may run
 * on different server connections, so pgjdbc's named server-side prepared statements (used from the
 * fifth execution of a statement, {@code prepareThreshold=5}) would be missing ("prepared statement
 * S_1 does not exist"). {@link #jdbcUrl()} therefore carries {@code prepareThreshold=0} in
 * transaction mode. PgBouncer 1.21 and later can track protocol-level prepared statements itself
 * ({@code max_prepared_statements}); {@link #tracksPreparedStatements()} tells whether the
 * installed one can.
 */
public final class PgBouncer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgBouncer.class);
  private static final Path DEBIAN_BINARY = Path.of("/usr/sbin/pgbouncer");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  /** PgBouncer's {@code pool_mode}. */
  public enum PoolMode {
    /** A server connection per client connection, for the client's whole session. */
    SESSION,
    /** A server connection per transaction: LISTEN and session advisory locks do not work. */
    TRANSACTION
  }

  private final PoolMode mode;
  private final Path dir;
  private final Process process;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final String version;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final Thread shutdownHook;

  private PgBouncer(
      PoolMode mode,
      Path dir,
      Process process,
      int port,
      String database,
      String user,
      String password,
      String version) {
    this.mode = mode;
    this.dir = dir;
    this.process = process;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.version = version;
    this.shutdownHook = new Thread(process::destroyForcibly, "awa-pgbouncer-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The pgbouncer binary: on {@code PATH}, else {@code /usr/sbin/pgbouncer}; empty if neither. */
  public static Optional<Path> binary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(d, "pgbouncer");
        if (Files.isExecutable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Files.isExecutable(DEBIAN_BINARY) ? Optional.of(DEBIAN_BINARY) : Optional.empty();
  }

  /** Skips the calling test (JUnit assumption) with a one-line reason when pgbouncer is absent. */
  public static void assumeInstalled() {
    Assumptions.assumeTrue(
        binary().isPresent(),
        "pgbouncer not installed (not on PATH nor at /usr/sbin/pgbouncer): pooler test skipped");
  }

  /** Starts pgbouncer in {@code mode} in front of {@code db}'s server, routing every database. */
  public static PgBouncer start(TestDatabase db, PoolMode mode) {
    Path bin = binary().orElseThrow(() -> new IllegalStateException("pgbouncer is not installed"));
    Map<String, String> target = parse(db);
    Path dir = null;
    try {
      dir = Files.createTempDirectory("awa-pgbouncer-");
      // PgBouncer may run as another user (see runAs): it must read its files.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      int port = freePort();
      String user = target.get("user");
      String password = target.get("password");
      Path auth = dir.resolve("userlist.txt");
      Files.writeString(auth, "\"" + user + "\" \"\"\n", StandardCharsets.UTF_8);
      StringBuilder ini = new StringBuilder();
      ini.append("[databases]\n")
          .append("* = host=")
          .append(target.get("host"))
          .append(" port=")
          .append(target.get("port"))
          .append(" user=")
          .append(user);
      if (password != null) {
        ini.append(" password=").append(password);
      }
      ini.append("\n\n[pgbouncer]\n")
          .append("listen_addr = 127.0.0.1\n")
          .append("listen_port = ")
          .append(port)
          .append('\n')
          .append("unix_socket_dir =\n")
          .append("auth_type = trust\n")
          .append("auth_file = ")
          .append(auth)
          .append('\n')
          .append("pool_mode = ")
          .append(mode.name().toLowerCase(Locale.ROOT))
          .append('\n')
          .append("default_pool_size = 20\n")
          .append("max_client_conn = 500\n")
          .append("admin_users = ")
          .append(user)
          .append('\n')
          // pgjdbc sends extra_float_digits at startup; PgBouncer rejects unknown ones.
          .append("ignore_startup_parameters = extra_float_digits,options\n");
      Path config = dir.resolve("pgbouncer.ini");
      Files.writeString(config, ini.toString(), StandardCharsets.UTF_8);
      for (Path f : List.of(auth, config)) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      }
      List<String> cmd = new ArrayList<>(List.of(bin.toString()));
      runAs().ifPresent(u -> cmd.addAll(List.of("-u", u)));
      cmd.add(config.toString());
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("pgbouncer.log").toFile())
              .start();
      PgBouncer bouncer =
          new PgBouncer(mode, dir, p, port, db.name(), user, password, version(bin));
      bouncer.awaitReady();
      log.info(
          "{} started in {} mode on 127.0.0.1:{} in front of {}:{}",
          bouncer.version,
          bouncer.mode,
          port,
          target.get("host"),
          target.get("port"));
      return bouncer;
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new UncheckedIOException("could not start pgbouncer", e);
    }
  }

  /** PgBouncer will not run as root; under root it switches to this user. */
  private static Optional<String> runAs() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.empty();
    }
    return Optional.of(hasOsUser("postgres") ? "postgres" : "nobody");
  }

  /** Whether {@code /etc/passwd} lists {@code user}. */
  static boolean hasOsUser(String user) {
    try {
      return Files.readAllLines(Path.of("/etc/passwd")).stream()
          .anyMatch(l -> l.startsWith(user + ":"));
    } catch (IOException e) {
      return false;
    }
  }

  private static String version(Path bin) {
    try {
      Process p = new ProcessBuilder(bin.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(5, TimeUnit.SECONDS);
      return out.lines().findFirst().orElse("PgBouncer (unknown version)").trim();
    } catch (IOException e) {
      return "PgBouncer (unknown version)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "PgBouncer (unknown version)";
    }
  }

  /** Host, port, user and password of the database's server, from its JDBC URL. */
  private static Map<String, String> parse(TestDatabase db) {
    URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    Map<String, String> out = new LinkedHashMap<>();
    String host = uri.getHost();
    out.put("host", host == null || host.equals("localhost") ? "127.0.0.1" : host);
    out.put("port", String.valueOf(uri.getPort() < 0 ? 5432 : uri.getPort()));
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getQuery() != null) {
      for (String kv : uri.getQuery().split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          query.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
      }
    }
    String user = db.user() != null ? db.user() : query.getOrDefault("user", "postgres");
    String password = db.password() != null ? db.password() : query.get("password");
    out.put("user", user);
    if (password != null && !password.isEmpty()) {
      out.put("password", password);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Waits for the first successful query through the pooler, or fails with its log. */
  private void awaitReady() {
    long until = System.nanoTime() + START_TIMEOUT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        break;
      }
      try (Connection c = DriverManager.getConnection(jdbcUrl());
          Statement st = c.createStatement()) {
        st.execute("SELECT 1");
        return;
      } catch (SQLException e) {
        last = e;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // retry pacing, not a sync
      }
    }
    String logText = logText();
    close();
    throw new IllegalStateException(
        "pgbouncer did not accept connections within "
            + START_TIMEOUT
            + (last == null ? "" : " (" + last.getMessage() + ")")
            + "; its log:\n"
            + logText);
  }

  /** The pool mode. */
  public PoolMode mode() {
    return mode;
  }

  /** The first line of {@code pgbouncer --version}, e.g. {@code PgBouncer 1.18.0}. */
  public String version() {
    return version;
  }

  /**
   * Whether this PgBouncer (1.21+) can track prepared statements ({@code max_prepared_statements}).
   */
  public boolean tracksPreparedStatements() {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(version);
    if (!m.find()) {
      return false;
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    return major > 1 || (major == 1 && minor >= 21);
  }

  /** The loopback port it listens on. */
  public int port() {
    return port;
  }

  /**
   * JDBC URL of the test database through the pooler, credentials included; in transaction mode
   * with {@code prepareThreshold=0} (see the class comment).
   */
  public String jdbcUrl() {
    StringBuilder url =
        new StringBuilder("jdbc:postgresql://127.0.0.1:")
            .append(port)
            .append('/')
            .append(database)
            .append("?sslmode=disable&user=")
            .append(user);
    if (password != null) {
      url.append("&password=").append(password);
    }
    if (mode == PoolMode.TRANSACTION) {
      url.append("&prepareThreshold=0");
    }
    return url.toString();
  }

  /** A new HikariCP pool of {@code maxSize} connections through the pooler; closed with it. */
  public synchronized DataSource newDataSource(int maxSize, String applicationName) {
    HikariDataSource ds =
        TestDatabase.pool(
            jdbcUrl(),
            null,
            null,
            maxSize,
            applicationName + "-bouncer-" + pools.size(),
            applicationName);
    pools.add(ds);
    return ds;
  }

  /** What pgbouncer wrote so far (its log goes to a file in its directory). */
  public String logText() {
    try {
      return Files.readString(dir.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Closes the pools made here, stops pgbouncer and removes its directory. */
  @Override
  public synchronized void close() {
    for (HikariDataSource ds : pools) {
      ds.close();
    }
    pools.clear();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs anyway.
    }
    deleteQuietly(dir);
  }

  static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
