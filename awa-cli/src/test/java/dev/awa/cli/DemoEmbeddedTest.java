package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code awa demo} end to end as a new user runs it: no database URL, so it starts and removes its
 * own embedded PostgreSQL; with {@code --metrics-port 0} the Prometheus endpoint is scraped while
 * the demo runs. About 15 s on an idle machine (server start, 5 s of load, drain).
 */
class DemoEmbeddedTest {
  private static final Pattern METRICS_URL = Pattern.compile("metrics:\\s+(http://\\S+/metrics)");
  private static final Pattern DATA_DIR = Pattern.compile("data in (\\S+) \\(removed on exit\\)");

  @Test
  void demoOnItsOwnEmbeddedPostgresServesMetricsAndLosesNothing() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = AwaCli.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> run =
        CompletableFuture.supplyAsync(
            () -> cmd.execute("demo", "--duration", "5s", "--metrics-port", "0"));

    // While it runs: the endpoint answers with Awa's meters.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> METRICS_URL.matcher(out.toString()).find() || run.isDone());
    Matcher url = METRICS_URL.matcher(out.toString());
    assertThat(url.find()).as(out + "\n" + err).isTrue();
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              if (run.isDone()) {
                return true; // fail below with the output rather than time out here
              }
              HttpResponse<String> response =
                  http.send(
                      HttpRequest.newBuilder(URI.create(url.group(1))).build(),
                      HttpResponse.BodyHandlers.ofString());
              return response.statusCode() == 200
                  && response.body().contains("awa_job_enqueued_total")
                  && response.body().contains("awa_maintenance_branch_duration");
            });
    assertThat(run).as("demo ended before its metrics were scraped:%n%s%s", out, err).isNotDone();

    int exitCode = run.get(3, TimeUnit.MINUTES);
    assertThat(exitCode).as(out + "\n" + err).isZero();
    DemoCommandTest.assertSummaryShowsCompletedRescuedAndNothingLost(out.toString());

    Matcher dir = DATA_DIR.matcher(out.toString());
    assertThat(dir.find()).isTrue();
    assertThat(Files.exists(Path.of(dir.group(1))))
        .as("temporary data directory removed")
        .isFalse();
  }
}
