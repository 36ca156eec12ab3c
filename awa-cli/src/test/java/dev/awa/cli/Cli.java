package dev.awa.cli;

import dev.awa.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the awa command in-process with captured output, the way main() builds it. */
final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {
    /** The single stderr line, asserting there is exactly one and no stack trace. */
    String errorLine() {
      String trimmed = err.strip();
      if (trimmed.isEmpty() || trimmed.lines().count() != 1) {
        throw new AssertionError("expected exactly one line on stderr, got:\n" + err);
      }
      return trimmed;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = AwaCli.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** The {@code --database-url=...} argument for {@code db}, credentials included. */
  static String urlOption(TestDatabase db) {
    return "--database-url=" + url(db);
  }

  static String url(TestDatabase db) {
    String url = db.jdbcUrl();
    if (db.user() != null) {
      url +=
          (url.contains("?") ? "&" : "?")
              + "user="
              + encode(db.user())
              + "&password="
              + encode(db.password() == null ? "" : db.password());
    }
    return url;
  }

  /** {@code db}'s server with another database and user, for connection failure tests. */
  static String urlOnSameServer(TestDatabase db, String database, String user) {
    String base = db.jdbcUrl();
    int query = base.indexOf('?');
    if (query >= 0) {
      base = base.substring(0, query);
    }
    return base.substring(0, base.lastIndexOf('/') + 1) + database + "?user=" + encode(user);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
