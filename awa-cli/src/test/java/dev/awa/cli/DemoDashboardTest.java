package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code awa demo} prints the dashboard URL and the dashboard shows the demo's queues. */
@AwaTest
class DemoDashboardTest {
  private static final Pattern URL = Pattern.compile("dashboard: (http://127\\.0\\.0\\.1:\\d+/)");

  @Test
  void demoServesTheDashboardWhileItRuns(TestDatabase db) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cmd = AwaCli.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(new StringWriter(), true));
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> cmd.execute("demo", "--duration", "5s", Cli.urlOption(db)));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> URL.matcher(out.toString()).find() || run.isDone());
    Matcher m = URL.matcher(out.toString());
    assertThat(m.find()).as(out.toString()).isTrue();
    URI url = URI.create(m.group(1));
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (run.isDone()) {
                return true;
              }
              HttpResponse<String> r =
                  http.send(
                      HttpRequest.newBuilder(url.resolve("/api/overview")).build(),
                      HttpResponse.BodyHandlers.ofString());
              return r.statusCode() == 200
                  && r.body().contains("\"queue\":\"default\"")
                  && r.body().contains("\"queue\":\"email\"");
            });
    assertThat(run).as("demo ended before its dashboard answered:%n%s", out).isNotDone();
    assertThat(run.get(3, TimeUnit.MINUTES)).as(out.toString()).isZero();
  }
}
