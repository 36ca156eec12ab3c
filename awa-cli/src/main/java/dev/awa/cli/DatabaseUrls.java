package dev.awa.cli;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * Turns what users paste into a JDBC URL: {@code jdbc:postgresql://...} as is, and the libpq form
 * {@code postgresql://user:pass@host:port/db?params} (also {@code postgres://}) converted, because
 * that is what most hosting dashboards and {@code DATABASE_URL} variables hold.
 */
final class DatabaseUrls {
  private static final String JDBC_PREFIX = "jdbc:postgresql:";

  private DatabaseUrls() {}

  /**
   * The JDBC URL for {@code url}.
   *
   * @throws CliException with {@link ExitCodes#USAGE} when the URL is not a PostgreSQL URL
   */
  static String toJdbc(String url) {
    String trimmed = url.trim();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    if (lower.startsWith(JDBC_PREFIX)) {
      return validated(trimmed);
    }
    for (String scheme : new String[] {"postgresql://", "postgres://"}) {
      if (lower.startsWith(scheme)) {
        return validated(fromLibpq(trimmed.substring(scheme.length())));
      }
    }
    String scheme = scheme(trimmed);
    throw usage(
        (scheme == null
                ? "database URL has no scheme"
                : "unsupported database URL scheme '" + scheme + "'")
            + ": expected jdbc:postgresql://host:port/db or postgresql://user:pass@host:port/db");
  }

  /** The scheme with its colon ({@code mysql:}), or null when there is none; never credentials. */
  private static String scheme(String url) {
    int colon = url.indexOf(':');
    if (colon <= 0 || !url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]{0,29}")) {
      return null;
    }
    return url.substring(0, colon + 1);
  }

  /**
   * Checks what pgjdbc would otherwise reject with a WARNING on the console and a generic "No
   * suitable driver" or "Unable to parse URL" (which looked like an unreachable server): ports, and
   * the percent-encoding of every parameter. The messages name the part, never its value (it may be
   * a password).
   */
  private static String validated(String jdbcUrl) {
    String rest = jdbcUrl.substring(JDBC_PREFIX.length());
    int query = rest.indexOf('?');
    String params = query < 0 ? "" : rest.substring(query + 1);
    String location = query < 0 ? rest : rest.substring(0, query);
    if (location.startsWith("//")) {
      String afterSlashes = location.substring(2);
      int slash = afterSlashes.indexOf('/');
      String hosts = slash < 0 ? afterSlashes : afterSlashes.substring(0, slash);
      for (String host : hosts.split(",", -1)) {
        checkPort(host);
      }
    }
    for (String pair : params.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      checkEscapes("parameter '" + name + "'", eq < 0 ? "" : pair.substring(eq + 1));
    }
    if (org.postgresql.Driver.parseURL(jdbcUrl, new Properties()) == null) {
      throw usage(
          "database URL is not a valid PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
    }
    return jdbcUrl;
  }

  /** {@code host}, {@code host:5432} or {@code [::1]:5432}; the port, if any, in 1-65535. */
  private static void checkPort(String hostAndPort) {
    int close = hostAndPort.lastIndexOf(']');
    int colon = hostAndPort.lastIndexOf(':');
    if (colon < 0 || colon < close) {
      return;
    }
    String port = hostAndPort.substring(colon + 1);
    if (!port.matches("\\d{1,5}")
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65_535) {
      throw usage(
          "database URL port '"
              + (port.length() > 20 ? port.substring(0, 20) + "..." : port)
              + "' is not a number between 1 and 65535");
    }
  }

  /**
   * Fails unless every {@code %} in {@code encoded} starts a two-hex-digit escape; {@code what}
   * names the part ("password", "parameter 'password'") in the message, which never shows it.
   */
  private static void checkEscapes(String what, String encoded) {
    for (int i = encoded.indexOf('%'); i >= 0; i = encoded.indexOf('%', i + 1)) {
      if (!isHex(encoded, i + 1) || !isHex(encoded, i + 2)) {
        throw usage(
            "database URL "
                + what
                + ": bad percent-escape at character "
                + (i + 1)
                + " ('%' must be followed by two hex digits; write %25 for a literal %)");
      }
    }
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }

  private static CliException usage(String message) {
    return new CliException(ExitCodes.USAGE, message);
  }

  /** Converts the part after {@code postgresql://}. */
  private static String fromLibpq(String rest) {
    int pathStart = indexOfAny(rest, '/', '?');
    String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
    String tail = pathStart < 0 ? "" : rest.substring(pathStart);
    // The password may itself contain '@' when not percent-encoded; the host part cannot.
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? null : authority.substring(0, at);
    String hosts = at < 0 ? authority : authority.substring(at + 1);

    int query = tail.indexOf('?');
    String path = query < 0 ? tail : tail.substring(0, query);
    String params = query < 0 ? "" : tail.substring(query + 1);
    String database = path.startsWith("/") ? path.substring(1) : path;

    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(hosts).append('/');
    jdbc.append(database);
    StringBuilder query2 = new StringBuilder(params);
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
      appendParam(query2, "user", decode("user name", user));
      if (colon >= 0) {
        appendParam(query2, "password", decode("password", userInfo.substring(colon + 1)));
      }
    }
    if (query2.length() > 0) {
      jdbc.append('?').append(query2);
    }
    return jdbc.toString();
  }

  /**
   * Where {@code jdbcUrl} points, without user, password or parameters: safe to print in error
   * messages.
   */
  static String describe(String jdbcUrl) {
    String s = jdbcUrl;
    int query = s.indexOf('?');
    if (query >= 0) {
      s = s.substring(0, query);
    }
    int scheme = s.indexOf("//");
    if (scheme >= 0) {
      String afterScheme = s.substring(scheme + 2);
      int slash = afterScheme.indexOf('/');
      String authority = slash < 0 ? afterScheme : afterScheme.substring(0, slash);
      String path = slash < 0 ? "" : afterScheme.substring(slash);
      int at = authority.lastIndexOf('@');
      s = authority.substring(at + 1) + path;
    }
    return s.startsWith(JDBC_PREFIX) ? s.substring(JDBC_PREFIX.length()) : s;
  }

  private static void appendParam(StringBuilder query, String name, String value) {
    if (query.length() > 0) {
      query.append('&');
    }
    query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private static String decode(String what, String s) {
    checkEscapes(what, s);
    // URLDecoder turns '+' into a space, which percent-encoded userinfo never means.
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static int indexOfAny(String s, char a, char b) {
    int i = s.indexOf(a);
    int j = s.indexOf(b);
    if (i < 0) {
      return j;
    }
    return j < 0 ? i : Math.min(i, j);
  }
}
