package dev.awa.bench;

import dev.awa.testing.TestDatabaseServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a benchmark ran: the machine, the JVM and the PostgreSQL server, including the server
 * settings that change the figures most (durability settings in particular: the embedded server
 * runs with fsync off).
 *
 * @param cores processors available to the JVM
 * @param memoryMiB physical memory of the machine
 * @param os operating system name, version and architecture
 * @param jvm JVM vendor, name and version
 * @param postgresVersion {@code SHOW server_version}
 * @param postgresBackend {@code embedded} or {@code url}
 * @param postgresHost host of the server ({@code localhost} for embedded)
 * @param postgresSettings selected server settings, by name
 * @param loadAverageAtStart one-minute load average when the run started (other work on the box)
 */
public record MachineInfo(
    int cores,
    long memoryMiB,
    String os,
    String jvm,
    String postgresVersion,
    String postgresBackend,
    String postgresHost,
    Map<String, String> postgresSettings,
    double loadAverageAtStart) {

  /** Server settings recorded with every result. */
  static final List<String> SETTINGS =
      List.of(
          "fsync",
          "synchronous_commit",
          "full_page_writes",
          "shared_buffers",
          "max_connections",
          "wal_level",
          "max_wal_size");

  /** Probes the running JVM and {@code server}. */
  public static MachineInfo probe(TestDatabaseServer server) {
    var os = ManagementFactory.getOperatingSystemMXBean();
    long memory = 0;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      memory = sun.getTotalMemorySize() / (1024 * 1024);
    }
    String version;
    Map<String, String> settings = new LinkedHashMap<>();
    try (Connection c = server.adminConnection();
        Statement st = c.createStatement()) {
      version = show(st, "server_version");
      for (String name : SETTINGS) {
        settings.put(name, show(st, name));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read server details", e);
    }
    return new MachineInfo(
        Runtime.getRuntime().availableProcessors(),
        memory,
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.vm.vendor")
            + " "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version"),
        version,
        server.backend(),
        hostOf(server),
        settings,
        os.getSystemLoadAverage());
  }

  private static String show(Statement st, String name) throws SQLException {
    try (ResultSet rs = st.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String hostOf(TestDatabaseServer server) {
    try (Connection c = server.adminConnection()) {
      String url = c.getMetaData().getURL();
      return URI.create(url.substring("jdbc:".length())).getHost();
    } catch (SQLException | IllegalArgumentException e) {
      return "unknown";
    }
  }
}
