package dev.awa.spring;

import dev.awa.testing.TestDatabase;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The starter's auto-configurations over a pool of the test database, with fast elections. */
final class Contexts {
  private Contexts() {}

  static ApplicationContextRunner runner(TestDatabase db) {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                AwaMetricsAutoConfiguration.class,
                AwaAutoConfiguration.class,
                AwaActuatorAutoConfiguration.class,
                AwaDashboardAutoConfiguration.class))
        // A pool per context: the context closes it, as Boot closes the application's pool.
        .withBean(DataSource.class, () -> db.newDataSource(10, "awa-spring-test"))
        .withPropertyValues(
            "awa.maintenance.election-interval=100ms",
            "awa.maintenance.health-check-interval=50ms",
            "awa.maintenance.health-check-timeout=500ms",
            "awa.runtime.poll-interval=50ms",
            "spring.lifecycle.timeout-per-shutdown-phase=5s");
  }
}
