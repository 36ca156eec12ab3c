package dev.awa.cli;

import picocli.CommandLine.Option;

/** The {@code --database-url} option every database command takes. */
final class DatabaseOptions {
  static final String ENV = "AWA_DATABASE_URL";

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description =
          "jdbc:postgresql://host:port/db?user=... or postgresql://user:pass@host:port/db"
              + " (default: $AWA_DATABASE_URL).")
  String url;

  /**
   * The JDBC URL to use.
   *
   * @throws CliException with {@link ExitCodes#USAGE} when neither the option nor the environment
   *     variable is set, or the URL is not a PostgreSQL URL
   */
  String jdbcUrl() {
    String chosen = url != null ? url : System.getenv(ENV);
    if (chosen == null || chosen.isBlank()) {
      throw new CliException(
          ExitCodes.USAGE, "no database given: pass --database-url URL or set " + ENV);
    }
    return DatabaseUrls.toJdbc(chosen);
  }
}
