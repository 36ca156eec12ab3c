package dev.awa.cli;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
      return trimmed;
    }
    for (String scheme : new String[] {"postgresql://", "postgres://"}) {
      if (lower.startsWith(scheme)) {
        return fromLibpq(trimmed.substring(scheme.length()));
      }
    }
    throw new CliException(
        ExitCodes.USAGE,
        "unsupported database URL (starts with '"
            + scheme(trimmed)
            + "'): expected jdbc:postgresql://host:port/db or postgresql://user:pass@host:port/db");
  }

  /** The URL up to its "//" (or first ':'), never user or password. */
  private static String scheme(String url) {
    int end = url.indexOf("//");
    if (end < 0) {
      end = url.indexOf(':') + 1;
    }
    return url.substring(0, Math.max(0, Math.min(end, 30)));
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
      appendParam(query2, "user", decode(user));
      if (colon >= 0) {
        appendParam(query2, "password", decode(userInfo.substring(colon + 1)));
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

  private static String decode(String s) {
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
