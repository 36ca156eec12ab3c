package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed database URLs and option values: exit code 2 and one line on stderr that names the part
 * that is wrong, never a password, before any connection is attempted.
 */
class UsageErrorsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "postgresql://u:p%zz@host/db | database URL password: bad percent-escape at character 2",
        "postgresql://u%4@host/db | database URL user name: bad percent-escape at character 2",
        "postgresql://u:p@host:abc/db | database URL port 'abc' is not a number between 1 and"
            + " 65535",
        "jdbc:postgresql://127.0.0.1:abc/db | database URL port 'abc' is not a number",
        "jdbc:postgresql://127.0.0.1:99999/db | database URL port '99999' is not a number",
        "jdbc:postgresql://h1:5432,h2:x/db | database URL port 'x' is not a number",
        "jdbc:postgresql://127.0.0.1:5432/db?user=me&password=se%zzcret | database URL parameter"
            + " 'password': bad percent-escape at character 3",
        "not-a-url | database URL has no scheme: expected jdbc:postgresql://host:port/db or"
            + " postgresql://user:pass@host:port/db",
        "mysql://root:hunter2@db/app | unsupported database URL scheme 'mysql:'",
      })
  void malformedDatabaseUrlIsOneLineNamingThePart(String url, String expected) {
    for (String command : List.of("status", "migrate")) {
      Cli.Result result = Cli.run(command, "--database-url", url);
      assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.USAGE);
      assertThat(result.errorLine())
          .startsWith("awa: " + expected)
          .doesNotContain("hunter2", "se%zzcret", "p%zz");
    }
  }

  @Test
  void wellFormedUrlsPassValidation() {
    assertThat(DatabaseUrls.toJdbc("postgresql://u:p%40ss@[::1]:5432/db?sslmode=require"))
        .isEqualTo("jdbc:postgresql://[::1]:5432/db?sslmode=require&user=u&password=p%40ss");
    assertThat(DatabaseUrls.toJdbc("jdbc:postgresql://h1:5432,h2/db?password=a%25b"))
        .isEqualTo("jdbc:postgresql://h1:5432,h2/db?password=a%25b");
    assertThat(DatabaseUrls.toJdbc("postgres://host/db")).isEqualTo("jdbc:postgresql://host/db");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "jobs list --limit abc --database-url jdbc:postgresql://h/db | Invalid value for option"
            + " '--limit': 'abc' is not an int",
        "jobs list --state bogus --database-url jdbc:postgresql://h/db | Invalid value for option"
            + " '--state': unknown state 'bogus'",
        "jobs show twelve --database-url jdbc:postgresql://h/db | Invalid value for positional"
            + " parameter at index 0 (ID): 'twelve' is not a long",
        "demo --duration soon | Invalid value for option '--duration'",
        "demo --metrics-port 70000 | --metrics-port must be between 0 and 65535",
        "demo --database-url postgresql://u:p%zz@h/db --duration 1s | database URL password: bad"
            + " percent-escape",
      })
  void malformedOptionValueIsOneLineNamingTheOption(String args, String expected) {
    Cli.Result result = Cli.run(args.split(" "));
    assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.errorLine()).startsWith("awa: " + expected);
  }

  @Test
  void driverLoggingIsOffUnlessVerbose() {
    Logger driver = Logger.getLogger("org.postgresql.Driver");
    try {
      AwaCli.configureLogging(false);
      assertThat(driver.isLoggable(Level.SEVERE)).isFalse();
      AwaCli.configureLogging(true);
      assertThat(driver.isLoggable(Level.WARNING)).isTrue();
    } finally {
      AwaCli.configureLogging(false);
    }
  }

  /**
   * The whole path through {@code main}, in a child JVM as a user runs it: a URL the driver itself
   * would have refused with two lines of java.util.logging WARNING output gives one line and 2.
   */
  @Test
  void mainPrintsOneLineAndNoDriverOutput() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process awa =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                AwaCli.class.getName(),
                "status",
                "--database-url",
                "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&password=%zz&port=x")
            .redirectErrorStream(true)
            .start();
    String output;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(awa.getInputStream(), StandardCharsets.UTF_8))) {
      output = in.lines().collect(Collectors.joining("\n"));
    }
    assertThat(awa.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(awa.exitValue()).as(output).isEqualTo(ExitCodes.USAGE);
    assertThat(output.lines()).as(output).hasSize(1);
    assertThat(output).startsWith("awa: database URL parameter 'password'");
  }
}
