package dev.awa.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.maintenance.MaintenanceService;
import dev.awa.spring.AwaDashboardLifecycle;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import dev.awa.web.AwaDashboard;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application on the test database (@AwaTest, registered before Spring's extension so
 * the database outlives the context): transactional enqueue both ways, the bean workers, 2,000
 * orders through the controller, health, the dashboard.
 */
@AwaTest
// Observability on: Boot turns metrics export (Prometheus) off in tests by default.
@AutoConfigureObservability
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class ExampleAppTest {
  private static TestDatabase db;

  @Autowired ApplicationContext ctx;

  @BeforeAll
  static void database(TestDatabase database) {
    db = database;
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> db.jdbcUrl());
    registry.add("spring.datasource.username", () -> db.user() == null ? "" : db.user());
    registry.add("spring.datasource.password", () -> db.password() == null ? "" : db.password());
    for (String p : TestApps.properties(db)) {
      if (p.startsWith("awa.")) {
        String[] kv = p.split("=", 2);
        registry.add(kv[0], () -> kv[1]);
      }
    }
  }

  @BeforeEach
  void workersAreIdle() {
    // Each test starts from a database where every earlier job has finished.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                db.queryLong(
                        "SELECT count(*) FROM awa.jobs WHERE state IN ('available', 'running')"
                            + " AND kind <> 'order_report'")
                    == 0L);
  }

  @Test
  void theDashboardShowsTheQueuesOfTheApplication() throws Exception {
    AwaDashboard dashboard = ctx.getBean(AwaDashboardLifecycle.class).dashboard().orElseThrow();
    assertThat(new Http(ctx).postOrder("lamp", 1).statusCode()).isEqualTo(201);
    HttpResponse<String> overview =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(dashboard.url().resolve("/api/overview")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.body()).contains("\"queue\":\"mail\"");
  }

  @Test
  void aDeclinedOrderLeavesNeitherTheOrderNorItsJobs() throws Exception {
    long jobsBefore = db.queryLong("SELECT count(*) FROM awa.jobs");
    long ordersBefore = db.queryLong("SELECT count(*) FROM orders");
    HttpResponse<String> response = new Http(ctx).postOrder("piano", 500);
    assertThat(response.statusCode()).isEqualTo(402);
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs")).isEqualTo(jobsBefore);
    assertThat(db.queryLong("SELECT count(*) FROM orders")).isEqualTo(ordersBefore);
  }

  @Test
  void aCommittedOrderIsWorkedExactlyOnceByTheBeanWorkers() throws Exception {
    HttpResponse<String> response = new Http(ctx).postOrder("book", 2);
    assertThat(response.statusCode()).isEqualTo(201);
    long orderId = Long.parseLong(response.body().replaceAll("\\D", ""));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                db.queryLong(
                        "SELECT count(*) FROM awa.jobs WHERE state = 'completed'"
                            + " AND (args->>'orderId')::bigint = ?",
                        orderId)
                    == 2L);
    assertThat(db.queryLong("SELECT count(*) FROM receipts WHERE order_id = ?", orderId))
        .isEqualTo(1);
    assertThat(db.queryStrings("SELECT reserved::text FROM orders WHERE id = ?", orderId))
        .containsExactly("true");
    // The receipt names the job that sent it, and that job ran one attempt.
    assertThat(
            db.queryLong(
                "SELECT attempt FROM awa.jobs j JOIN receipts r ON r.job_id = j.id"
                    + " WHERE r.order_id = ?",
                orderId))
        .isEqualTo(1);
  }

  @Test
  void twoThousandOrdersThroughTheControllerAllComplete() throws Exception {
    int orders = 2_000;
    long ordersBefore = db.queryLong("SELECT count(*) FROM orders");
    Http http = new Http(ctx);
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < orders; i++) {
        int n = i;
        statuses.add(clients.submit(() -> http.postOrder("item-" + n, 1 + n % 10).statusCode()));
      }
      for (Future<Integer> s : statuses) {
        assertThat(s.get()).isEqualTo(201);
      }
    } finally {
      clients.shutdown();
    }
    assertThat(db.queryLong("SELECT count(*) FROM orders") - ordersBefore).isEqualTo(orders);
    await()
        .atMost(Duration.ofMinutes(3))
        .until(
            () ->
                db.queryLong(
                        "SELECT count(*) FROM awa.jobs WHERE state <> 'completed'"
                            + " AND kind IN ('send_receipt', 'reserve_stock')")
                    == 0L);
    // Every order: one receipt, stock reserved; no job ran twice.
    assertThat(
            db.queryLong(
                "SELECT count(*) FROM (SELECT order_id FROM receipts GROUP BY order_id"
                    + " HAVING count(*) <> 1) twice"))
        .isZero();
    assertThat(db.queryLong("SELECT count(*) FROM orders WHERE NOT reserved")).isZero();
    assertThat(db.queryLong("SELECT count(*) FROM receipts"))
        .isEqualTo(db.queryLong("SELECT count(*) FROM orders"));
  }

  @Test
  void healthIsUpWithTheLeaderHere() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ctx.getBean(MaintenanceService.class).isLeader());
    HttpResponse<String> health = new Http(ctx).get("/actuator/health/awa");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body())
        .contains("\"status\":\"UP\"")
        .contains("\"leader\":\"here\"")
        .contains("\"runtime\":\"running\"");
    HttpResponse<String> info = new Http(ctx).get("/actuator/info");
    assertThat(info.body()).contains("\"mail\"").contains("send_receipt");
    assertThat(new Http(ctx).postOrder("lamp", 1).statusCode()).isEqualTo(201);
    // The names of docs/metrics.md: AwaMetrics is bound to Boot's Prometheus registry.
    HttpResponse<String> prometheus = new Http(ctx).get("/actuator/prometheus");
    assertThat(prometheus.body())
        .contains("awa_maintenance_leader 1.0")
        .contains("awa_job_enqueued_total{kind=\"send_receipt\",queue=\"mail\"}")
        .contains("awa_job_in_flight");
  }
}
