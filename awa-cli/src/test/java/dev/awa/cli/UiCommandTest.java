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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code awa ui}: serves the dashboard on the given database until stopped. */
@AwaTest
class UiCommandTest {
  @Test
  void servesTheDashboardUntilStopped(TestDatabase db) throws Exception {
    UiCommand ui = new UiCommand();
    StringWriter out = new StringWriter();
    CommandLine cmd = new CommandLine(ui);
    cmd.setOut(new PrintWriter(out, true));
    AtomicInteger exit = new AtomicInteger(-1);
    Thread thread =
        new Thread(
            () -> exit.set(cmd.execute(Cli.urlOption(db), "--port", "0", "--read-only")),
            "awa-ui-test");
    thread.setDaemon(true);
    thread.start();
    Pattern printed =
        Pattern.compile("awa dashboard: (http://127\\.0\\.0\\.1:\\d+/) \\(read-only\\)");
    await().atMost(Duration.ofSeconds(30)).until(() -> printed.matcher(out.toString()).find());
    Matcher m = printed.matcher(out.toString());
    assertThat(m.find()).isTrue();
    URI url = URI.create(m.group(1));

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> session =
        http.send(
            HttpRequest.newBuilder(url.resolve("/api/session")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(session.body()).contains("\"readOnly\":true");
    HttpResponse<String> overview =
        http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(overview.body()).contains("<h1>Overview</h1>");

    ui.stop();
    thread.join(Duration.ofSeconds(10).toMillis());
    assertThat(exit.get()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void rejectsABadPortOrAddress(TestDatabase db) {
    Cli.Result port = Cli.run("ui", Cli.urlOption(db), "--port", "70000");
    assertThat(port.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(port.errorLine()).contains("--port");
    Cli.Result bind =
        Cli.run("ui", Cli.urlOption(db), "--port", "0", "--bind", "no.such.host.invalid");
    assertThat(bind.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bind.errorLine()).contains("bind");
  }
}
