package dev.awa.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

@AwaTest
class ConnectionErrorsTest {
  /** Port 1 (tcpmux) is privileged and unused here, so the connection is refused at once. */
  private static final String UNREACHABLE = "jdbc:postgresql://127.0.0.1:1/awa?user=awa";

  @Test
  void unreachableServerIsOneLineWithExitCode3(TestDatabase db) {
    for (List<String> command :
        List.of(List.of("status"), List.of("migrate"), List.of("jobs", "list"))) {
      String[] args = concat(command, "--database-url=" + UNREACHABLE);
      Cli.Result result = Cli.run(args);
      assertThat(result.exitCode()).as("%s", command).isEqualTo(ExitCodes.DATABASE_UNAVAILABLE);
      assertThat(result.errorLine())
          .isEqualTo(
              "awa: cannot connect to 127.0.0.1:1/awa: connection refused"
                  + " (is PostgreSQL running and listening there?)");
    }
  }

  @Test
  void verboseAddsTheStackTrace(TestDatabase db) {
    Cli.Result result = Cli.run("--verbose", "status", "--database-url=" + UNREACHABLE);
    assertThat(result.exitCode()).isEqualTo(ExitCodes.DATABASE_UNAVAILABLE);
    assertThat(result.err())
        .startsWith("awa: cannot connect")
        .contains("\tat ")
        .contains("Connection refused");

    Cli.Result afterSubcommand = Cli.run("status", "--verbose", "--database-url=" + UNREACHABLE);
    assertThat(afterSubcommand.err()).contains("\tat ");
  }

  @Test
  void unknownUserIsALoginRefusal(TestDatabase db) {
    String url = Cli.urlOnSameServer(db, db.name(), "awa_no_such_role");
    Cli.Result result = Cli.run("status", "--database-url=" + url);
    assertThat(result.exitCode()).isEqualTo(ExitCodes.DATABASE_UNAVAILABLE);
    // Trust auth (embedded) says the role does not exist; password auth says the password failed.
    assertThat(result.errorLine())
        .startsWith("awa: cannot connect to ")
        .containsPattern("awa_no_such_role|wrong password");
  }

  @Test
  void unknownDatabaseIsALoginRefusal(TestDatabase db) {
    String url = Cli.urlOnSameServer(db, "awa_no_such_database", user(db));
    Cli.Result result = Cli.run("jobs", "list", "--database-url=" + url);
    assertThat(result.exitCode()).isEqualTo(ExitCodes.DATABASE_UNAVAILABLE);
    assertThat(result.errorLine())
        .endsWith("login refused: database \"awa_no_such_database\" does not exist");
  }

  @Test
  void libpqStyleUrlConnectsAndBadSchemesAreUsageErrors(TestDatabase db) {
    // The same database written as postgresql://user@host:port/db must reach it.
    URI jdbc = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    String libpq =
        "postgresql://"
            + user(db)
            + (db.password() == null ? "" : ":" + db.password())
            + "@"
            + jdbc.getHost()
            + ":"
            + jdbc.getPort()
            + "/"
            + db.name();
    Cli.Result ok = Cli.run("status", "--database-url", libpq);
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("Queues");

    Cli.Result mysql = Cli.run("status", "--database-url", "mysql://root:hunter2@db/app");
    assertThat(mysql.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(mysql.errorLine()).contains("unsupported database URL").doesNotContain("hunter2");
  }

  @Test
  void missingUrlIsAUsageError(TestDatabase db) {
    assumeTrue(System.getenv(DatabaseOptions.ENV) == null, "AWA_DATABASE_URL is set");
    Cli.Result result = Cli.run("status");
    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.errorLine()).contains("--database-url").contains("AWA_DATABASE_URL");
  }

  /** The user the test server expects: in the URL's query or given separately. */
  private static String user(TestDatabase db) {
    if (db.user() != null) {
      return db.user();
    }
    String query = URI.create(db.jdbcUrl().substring("jdbc:".length())).getQuery();
    for (String pair : query.split("&")) {
      if (pair.startsWith("user=")) {
        return pair.substring("user=".length());
      }
    }
    throw new IllegalStateException("no user in " + db.jdbcUrl());
  }

  private static String[] concat(List<String> head, String last) {
    String[] all = head.toArray(new String[head.size() + 1]);
    all[head.size()] = last;
    return all;
  }
}
