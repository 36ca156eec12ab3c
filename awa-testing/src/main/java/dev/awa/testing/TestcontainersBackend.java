package dev.awa.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/** Starts PostgreSQL 17 in a container; isolated so a missing Docker engine costs nothing. */
final class TestcontainersBackend {
  private static final Logger log = LoggerFactory.getLogger(TestcontainersBackend.class);

  private TestcontainersBackend() {}

  static TestDatabaseServer tryStart() {
    try {
      if (!DockerClientFactory.instance().isDockerAvailable()) {
        return null;
      }
      PostgreSQLContainer<?> container =
          new PostgreSQLContainer<>("postgres:17-alpine")
              .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=400");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "awa-testcontainers-stop"));
      return TestDatabaseServer.fromContainer(
          container.getJdbcUrl(), container.getUsername(), container.getPassword());
    } catch (RuntimeException | LinkageError e) {
      log.info(
          "Testcontainers unavailable ({}); falling back to embedded PostgreSQL", e.toString());
      return null;
    }
  }
}
