package dev.awa.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A primary and a synchronous streaming replica as two local PostgreSQL server processes, for
 * failover tests. The replica is made with {@code pg_basebackup} from the running primary and is
 * the primary's only synchronous standby ({@code synchronous_standby_names = 'standby1'}, {@code
 * synchronous_commit = on}), so every commit a client saw succeed is on the replica too.
 *
 * <p>Binaries: the embedded zonky PostgreSQL 17 distribution ships only {@code initdb}, {@code
 * pg_ctl} and {@code postgres} (no {@code pg_basebackup}), so the local server binaries under
 * {@code /usr/lib/postgresql/<version>/bin} are used, the newest that has all four. {@link
 * #assumeAvailable()} skips a test with a one-line reason when there are none. PostgreSQL refuses
 * to run as root, so under root (CI) every command runs as the {@code postgres} OS user through
 * {@code runuser}, with the data directories owned by it.
 *
 * <p>{@link #jdbcUrl()} is a multi-host URL with {@code targetServerType=primary}, so clients
 * follow the primary role across {@link #promoteReplica()} and {@link #stopPrimary()}.
 */
public final class ReplicatedPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicatedPostgres.class);
  private static final Path VERSIONS = Path.of("/usr/lib/postgresql");
  private static final List<String> NEEDED =
      List.of("initdb", "pg_ctl", "pg_basebackup", "postgres");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  /** Name of the test database created on the primary. */
  public static final String DATABASE = "awa_failover";

  private final Path bin;
  private final Path dir;
  private final Path primaryData;
  private final Path replicaData;
  private final int primaryPort;
  private final int replicaPort;
  private final boolean asPostgres;
  private final Thread shutdownHook;

  private ReplicatedPostgres(Path bin, Path dir, int primaryPort, int replicaPort) {
    this.bin = bin;
    this.dir = dir;
    this.primaryData = dir.resolve("primary");
    this.replicaData = dir.resolve("replica");
    this.primaryPort = primaryPort;
    this.replicaPort = replicaPort;
    this.asPostgres = "root".equals(System.getProperty("user.name"));
    this.shutdownHook = new Thread(this::stopBoth, "awa-replicated-postgres-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** The newest local server binary directory with initdb, pg_ctl, pg_basebackup and postgres. */
  public static Optional<Path> binaries() {
    if (!Files.isDirectory(VERSIONS)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(VERSIONS)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> NEEDED.stream().allMatch(n -> Files.isExecutable(b.resolve(n))))
          .max(Comparator.comparing(ReplicatedPostgres::versionOf));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int versionOf(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Skips the calling test with a one-line reason when no usable binaries are installed. */
  public static void assumeAvailable() {
    Assumptions.assumeTrue(
        binaries().isPresent(),
        "no local PostgreSQL server binaries with pg_basebackup under /usr/lib/postgresql"
            + " (the embedded distribution has none): failover test skipped");
    if ("root".equals(System.getProperty("user.name"))) {
      Assumptions.assumeTrue(
          Files.isExecutable(Path.of("/usr/sbin/runuser"))
              || Files.isExecutable(Path.of("/sbin/runuser")),
          "running as root without runuser to start PostgreSQL as postgres: test skipped");
      Assumptions.assumeTrue(
          PgBouncer.hasOsUser("postgres"),
          "running as root without a postgres OS user to run PostgreSQL as: test skipped");
    }
  }

  /** Starts the primary, clones the replica from it and waits until replication is synchronous. */
  public static ReplicatedPostgres start() {
    Path bin = binaries().orElseThrow(() -> new IllegalStateException("no server binaries"));
    try {
      Path dir = Files.createTempDirectory("awa-failover-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      ReplicatedPostgres pg = new ReplicatedPostgres(bin, dir, freePort(), freePort());
      try {
        pg.init();
      } catch (RuntimeException | IOException e) {
        pg.close();
        throw e;
      }
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException("could not set up the replicated PostgreSQL", e);
    }
  }

  private void init() throws IOException {
    if (asPostgres) {
      run(List.of("chown", "postgres:", dir.toString()), false);
    }
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            primaryData.toString(),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync"),
        true);
    appendConfig(
        primaryData,
        "port = "
            + primaryPort
            + "\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '"
            + dir
            + "'\nwal_level = replica\nmax_wal_senders = 5\nwal_keep_size = '256MB'"
            + "\nhot_standby = on\nmax_connections = 150\nshared_buffers = '64MB'"
            + "\nfsync = off\nsynchronous_commit = on"
            + "\nsynchronous_standby_names = 'standby1'\nwal_sender_timeout = '5s'\n");
    pgCtl(primaryData, "start", "-w", "-l", dir.resolve("primary.log").toString());
    run(
        List.of(
            bin.resolve("pg_basebackup").toString(),
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(primaryPort),
            "-U",
            "postgres",
            "-D",
            replicaData.toString(),
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync"),
        true);
    // Later lines win: the replica has its own port, follows the primary as standby1 and, once
    // promoted, must not wait for a synchronous standby of its own.
    appendConfig(
        replicaData,
        "port = "
            + replicaPort
            + "\nprimary_conninfo = 'host=127.0.0.1 port="
            + primaryPort
            + " user=postgres application_name=standby1'"
            + "\nsynchronous_standby_names = ''\nwal_receiver_timeout = '5s'\n");
    Path signal = replicaData.resolve("standby.signal");
    Files.writeString(signal, "");
    chown(signal);
    pgCtl(replicaData, "start", "-w", "-l", dir.resolve("replica.log").toString());
    awaitSynchronous();
    try (Connection c = connect(primaryPort, "postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create " + DATABASE, e);
    }
    log.info(
        "replicated PostgreSQL ({}) up: primary 127.0.0.1:{}, synchronous replica 127.0.0.1:{}",
        bin,
        primaryPort,
        replicaPort);
  }

  private void awaitSynchronous() {
    long until = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      try (Connection c = connect(primaryPort, "postgres");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FROM pg_stat_replication"
                      + " WHERE application_name = 'standby1' AND sync_state = 'sync'")) {
        rs.next();
        if (rs.getLong(1) == 1) {
          return;
        }
      } catch (SQLException e) {
        log.debug("replication not visible yet: {}", e.getMessage());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // retry pacing, not a sync
    }
    throw new IllegalStateException(
        "the replica did not become a synchronous standby; logs:\n" + logs());
  }

  /** The primary's port (until the failover). */
  public int primaryPort() {
    return primaryPort;
  }

  /** The replica's port (the primary after {@link #promoteReplica()}). */
  public int replicaPort() {
    return replicaPort;
  }

  /**
   * Multi-host JDBC URL of {@link #DATABASE}: both servers, {@code targetServerType=primary}, short
   * connect timeouts and a one-second host-status recheck so clients find the new primary promptly.
   */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:"
        + primaryPort
        + ",127.0.0.1:"
        + replicaPort
        + "/"
        + DATABASE
        + "?user=postgres&targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2"
        + "&loginTimeout=5";
  }

  /** A direct connection to one server's database. */
  public Connection connect(int port, String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres&connectTimeout=2");
  }

  /** Promotes the replica ({@code pg_ctl promote -w}: returns once it accepts writes). */
  public void promoteReplica() {
    pgCtl(replicaData, "promote", "-w");
  }

  /** Stops the old primary at once, as a crash would ({@code pg_ctl stop -m immediate}). */
  public void stopPrimary() {
    pgCtl(primaryData, "stop", "-m", "immediate", "-w");
  }

  /** Both servers' logs. */
  public String logs() {
    StringBuilder sb = new StringBuilder();
    for (String f : List.of("primary.log", "replica.log")) {
      try {
        sb.append("== ").append(f).append('\n');
        sb.append(Files.readString(dir.resolve(f), StandardCharsets.UTF_8));
      } catch (IOException e) {
        sb.append("(none)\n");
      }
    }
    return sb.toString();
  }

  private void stopBoth() {
    for (Path data : List.of(replicaData, primaryData)) {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        try {
          pgCtl(data, "stop", "-m", "immediate", "-w");
        } catch (RuntimeException e) {
          log.debug("could not stop {}: {}", data, e.getMessage());
        }
      }
    }
  }

  /** Stops both servers and removes their directories. */
  @Override
  public void close() {
    stopBoth();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs anyway.
    }
    PgBouncer.deleteQuietly(dir);
  }

  private void pgCtl(Path data, String... args) {
    List<String> cmd = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D"));
    cmd.add(data.toString());
    cmd.addAll(List.of(args));
    run(cmd, true);
  }

  private void appendConfig(Path data, String lines) throws IOException {
    Path conf = data.resolve("postgresql.conf");
    Files.writeString(
        conf,
        Files.readString(conf, StandardCharsets.UTF_8) + "\n# awa failover test\n" + lines,
        StandardCharsets.UTF_8);
  }

  private void chown(Path p) {
    if (asPostgres) {
      run(List.of("chown", "postgres:", p.toString()), false);
    }
  }

  /** Runs a command (as postgres under root when {@code asServerUser}); fails with its output. */
  private void run(List<String> command, boolean asServerUser) {
    List<String> cmd = new ArrayList<>();
    if (asServerUser && asPostgres) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    try {
      Path out = Files.createTempFile(dir, "cmd-", ".log");
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + String.join(" ", cmd));
      }
      String text = Files.readString(out, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + text);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + cmd, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
