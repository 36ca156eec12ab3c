package dev.awa.example;

import dev.awa.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The example application on a test database: Boot's own DataSource from spring.datasource.url,
 * fast elections, random ports for the server and the dashboard.
 */
final class TestApps {
  private TestApps() {}

  static List<String> properties(TestDatabase db) {
    List<String> p = new ArrayList<>();
    p.add("spring.datasource.url=" + db.jdbcUrl());
    if (db.user() != null) {
      p.add("spring.datasource.username=" + db.user());
      p.add("spring.datasource.password=" + (db.password() == null ? "" : db.password()));
    }
    p.add("awa.maintenance.election-interval=200ms");
    p.add("awa.maintenance.health-check-interval=100ms");
    p.add("awa.maintenance.health-check-timeout=500ms");
    p.add("awa.runtime.poll-interval=100ms");
    // A free port: several instances (and builds) share the host.
    p.add("awa.dashboard.port=0");
    return p;
  }

  /** Starts an instance of the example with {@code extra} properties and sources. */
  static ConfigurableApplicationContext start(
      TestDatabase db, List<String> extra, Class<?>... sources) {
    List<String> p = properties(db);
    p.add("server.port=0");
    p.addAll(extra);
    List<Class<?>> all = new ArrayList<>(List.of(ExampleApplication.class));
    all.addAll(List.of(sources));
    // As command-line arguments: they win over application.properties, as in production.
    return new SpringApplicationBuilder(all.toArray(Class<?>[]::new))
        .run(p.stream().map(s -> "--" + s).toArray(String[]::new));
  }
}
