package dev.awa.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.core.JobState;
import dev.awa.core.NewJob;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import dev.awa.web.AwaDashboard;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code awa.dashboard.*}: off unless enabled, a dashboard over the application's client answering
 * HTTP with the configured access rules, a taken port failing start-up naming the property, and
 * backing off for the application's own dashboard (bad values: {@link PropertyValidationTest}).
 */
@AwaTest
class DashboardAutoConfigurationTest {
  private static final String TOKEN = "0123456789abcdef-token";
  private static final HttpClient http = HttpClient.newHttpClient();

  private final TestDatabase db;

  DashboardAutoConfigurationTest(TestDatabase db) {
    this.db = db;
  }

  @Test
  void offByDefault() {
    Contexts.runner(db)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(AwaRuntime.class);
              assertThat(ctx)
                  .doesNotHaveBean(AwaDashboardLifecycle.class)
                  .doesNotHaveBean(AwaDashboard.class);
            });
  }

  @Test
  void offWithoutAwaWebOnTheClasspath() {
    Contexts.runner(db)
        .withClassLoader(new FilteredClassLoader(AwaDashboard.class))
        .withPropertyValues("awa.dashboard.enabled=true", "awa.dashboard.port=0")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(AwaRuntime.class);
              assertThat(ctx).doesNotHaveBean(AwaDashboardLifecycle.class);
            });
  }

  @Test
  void servesTheApplicationsDatabaseReadOnlyBehindTheToken() {
    Contexts.runner(db)
        .withPropertyValues(
            "awa.dashboard.enabled=true",
            "awa.dashboard.port=0",
            "awa.dashboard.read-only=true",
            "awa.dashboard.token=" + TOKEN)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              AwaDashboardLifecycle lifecycle = ctx.getBean(AwaDashboardLifecycle.class);
              assertThat(lifecycle.isRunning()).isTrue();
              assertThat(lifecycle.getPhase()).isGreaterThan(AwaLifecycle.PHASE);
              assertThat(ctx.getBean(AwaRuntime.class).isRunning()).isTrue();
              AwaDashboard dashboard = lifecycle.dashboard().orElseThrow();
              assertThat(dashboard.port()).isPositive();
              assertThat(dashboard.url().getHost()).isEqualTo("127.0.0.1");
              assertThat(dashboard.readOnly()).isTrue();
              URI session = dashboard.url().resolve("/api/session");

              assertThat(get(session, null).statusCode()).isEqualTo(401);
              assertThat(get(session, "Bearer wrong-token-wrong-token").statusCode())
                  .isEqualTo(401);
              HttpResponse<String> ok = get(session, "Bearer " + TOKEN);
              assertThat(ok.statusCode()).isEqualTo(200);
              assertThat(ok.body()).contains("\"readOnly\":true").contains("\"actor\":\"token\"");

              // The jobs the application's client enqueues are the ones the dashboard lists.
              long id =
                  ctx.getBean(AwaClient.class)
                      .enqueue(NewJob.builder("dash_probe").queue("nowhere").build())
                      .id();
              HttpResponse<String> jobs =
                  get(dashboard.url().resolve("/api/jobs?kind=dash_probe"), "Bearer " + TOKEN);
              assertThat(jobs.statusCode()).isEqualTo(200);
              assertThat(jobs.body()).contains("\"id\":" + id);

              // Read-only: an action is refused before its body is read.
              HttpResponse<String> retry =
                  http.send(
                      HttpRequest.newBuilder(dashboard.url().resolve("/api/jobs/" + id + "/cancel"))
                          .header("Authorization", "Bearer " + TOKEN)
                          .POST(HttpRequest.BodyPublishers.noBody())
                          .build(),
                      HttpResponse.BodyHandlers.ofString());
              assertThat(retry.statusCode()).isEqualTo(403);
              assertThat(ctx.getBean(AwaClient.class).operator().getJob(id).orElseThrow().state())
                  .isEqualTo(JobState.AVAILABLE);
            });
  }

  @Test
  void basicAuthFromPropertiesAndClosedWithTheContext() {
    URI[] session = new URI[1];
    Contexts.runner(db)
        .withPropertyValues(
            "awa.dashboard.enabled=true",
            "awa.dashboard.port=0",
            "awa.dashboard.username=ops",
            "awa.dashboard.password=s3cret-pass")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              AwaDashboard dashboard =
                  ctx.getBean(AwaDashboardLifecycle.class).dashboard().orElseThrow();
              assertThat(dashboard.readOnly()).isFalse();
              session[0] = dashboard.url().resolve("/api/session");
              assertThat(get(session[0], null).statusCode()).isEqualTo(401);
              String basic =
                  Base64.getEncoder()
                      .encodeToString("ops:s3cret-pass".getBytes(StandardCharsets.UTF_8));
              HttpResponse<String> ok = get(session[0], "Basic " + basic);
              assertThat(ok.statusCode()).isEqualTo(200);
              assertThat(ok.body()).contains("\"actor\":\"ops").contains("\"readOnly\":false");
            });
    // The context closed: the port no longer accepts connections.
    assertThatThrownBy(() -> get(session[0], null)).isInstanceOf(ConnectException.class);
  }

  @Test
  void backsOffForTheApplicationsOwnDashboard() {
    Contexts.runner(db)
        .withUserConfiguration(OwnDashboard.class)
        .withPropertyValues("awa.dashboard.enabled=true", "awa.dashboard.port=0")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed().hasSingleBean(AwaDashboard.class);
              assertThat(ctx).doesNotHaveBean(AwaDashboardLifecycle.class);
              AwaDashboard own = ctx.getBean(AwaDashboard.class);
              assertThat(own.readOnly()).isTrue();
              assertThat(get(own.url().resolve("/api/session"), null).statusCode()).isEqualTo(200);
            });
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnDashboard {
    @Bean
    AwaDashboard ownDashboard(DataSource dataSource) {
      return AwaDashboard.builder(dataSource).port(0).readOnly(true).start();
    }
  }

  @Test
  void aTakenPortFailsStartUpNamingThePort() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Contexts.runner(db)
          .withPropertyValues(
              "awa.dashboard.enabled=true", "awa.dashboard.port=" + taken.getLocalPort())
          .run(
              ctx ->
                  StartupFailures.assertNames(
                      ctx.getStartupFailure(),
                      "awa.dashboard.port",
                      "cannot listen on 127.0.0.1:" + taken.getLocalPort()));
    }
  }

  private static HttpResponse<String> get(URI uri, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
