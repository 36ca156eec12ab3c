package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C and SIGTERM on {@code awa demo}, as a user's terminal or a container runtime sends them:
 * the demo runs in a child JVM on its own embedded PostgreSQL and gets a real signal once its first
 * progress line shows it leading and working. It must shut down in order (runtime drains and hands
 * back, maintenance steps down, pool, then the server), print no stack trace or warning, and exit
 * with the signal's conventional code.
 */
class DemoSignalTest {
  private static final Pattern DATA_DIR = Pattern.compile("data in (\\S+) \\(removed on exit\\)");
  private static final Pattern PROGRESS = Pattern.compile("^\\s*\\d+s\\s+\\d+ done.*leader here.*");

  /** The shutdown lines in the order they must appear. */
  private static final List<String> ORDER =
      List.of(
          "interrupted: shutting down in order",
          "  runtime stopped claiming; ",
          "  maintenance stopped, stepped down as leader",
          "  connection pool closed",
          "  embedded PostgreSQL stopped, data directory removed",
          "stopped in ");

  @Test
  void ctrlCShutsDownInOrderWithoutStackTracesAndExits130() throws Exception {
    assumeFalse(
        ignoredByThisJvm(2),
        "SIGINT is ignored here (started in the background), so is the child's");
    runAndSignal("INT", 130);
  }

  @Test
  void sigtermShutsDownInOrderWithoutStackTracesAndExits143() throws Exception {
    assumeFalse(ignoredByThisJvm(15), "SIGTERM is ignored here, so is the child's");
    runAndSignal("TERM", 143);
  }

  private static void runAndSignal(String signal, int expectedExitCode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process demo =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                AwaCli.class.getName(),
                "demo")
            .redirectErrorStream(true)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> readLines(demo, lines), "demo-output");
    reader.setDaemon(true);
    reader.start();
    try {
      // A progress line says "leader here": the runtime works jobs and maintenance leads.
      await()
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> lines.stream().anyMatch(l -> PROGRESS.matcher(l).matches()) || !demo.isAlive());
      assertThat(demo.isAlive()).as("demo ended early:%n%s", String.join("\n", lines)).isTrue();

      long signalled = System.nanoTime();
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(demo.pid())).start();
      assertThat(kill.waitFor()).isZero();
      boolean ended = demo.waitFor(2, TimeUnit.MINUTES);
      Duration took = Duration.ofNanos(System.nanoTime() - signalled);
      reader.join(Duration.ofSeconds(10).toMillis());
      String output = String.join("\n", lines);
      assertThat(ended).as("demo still running after the signal:%n%s", output).isTrue();
      System.out.printf("demo stopped by SIG%s in %s:%n%s%n", signal, took, output);

      assertThat(demo.exitValue()).as(output).isEqualTo(expectedExitCode);
      assertInOrder(lines, output);
      assertThat(output)
          .as("no stack trace, warning or error")
          .doesNotContain("\tat ", "Exception", "WARN", "ERROR", "awa: ");

      Matcher dir = DATA_DIR.matcher(output);
      assertThat(dir.find()).as(output).isTrue();
      assertThat(Files.exists(Path.of(dir.group(1)))).as("data directory removed").isFalse();
    } finally {
      demo.destroyForcibly();
    }
  }

  private static void assertInOrder(List<String> lines, String output) {
    List<Integer> positions = new ArrayList<>();
    for (String expected : ORDER) {
      int at = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith(expected)) {
          at = i;
          break;
        }
      }
      assertThat(at).as("line starting '%s' in:%n%s", expected, output).isNotNegative();
      positions.add(at);
    }
    assertThat(positions).as(output).isSorted();
  }

  private static void readLines(Process process, List<String> lines) {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("(output unreadable: " + e + ")");
    }
  }

  /**
   * Whether this JVM ignores {@code signal} (Linux: the SigIgn mask in /proc/self/status). A child
   * inherits ignored signals and the JVM then installs no handler for them, so the signal could
   * never reach the demo; shells do this for jobs started with {@code &} when job control is off.
   */
  private static boolean ignoredByThisJvm(int signal) throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:")) {
        long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
        return (mask & (1L << (signal - 1))) != 0;
      }
    }
    return false;
  }
}
