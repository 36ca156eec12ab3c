package dev.awa.web;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Who may look and who may act. Authentication is optional (a bearer token, or basic-auth
 * credentials); secrets are compared as SHA-256 digests with {@link MessageDigest#isEqual}, which
 * takes the same time wherever the first difference is. Browsers cannot send a bearer header on
 * navigation, so {@code /login?token=...} turns a valid token into an HttpOnly, SameSite=Strict
 * cookie.
 *
 * <p>Every state-changing request must carry {@value #CSRF_HEADER} with this process's random token
 * (pages carry it in a meta tag that only same-origin script can read; no CORS header is ever sent)
 * and, when the browser sends an {@code Origin}, it must be this server's.
 */
final class Access {
  static final String CSRF_HEADER = "X-Awa-Csrf";
  static final String TOKEN_COOKIE = "awa_token";

  private final byte[] tokenDigest;
  private final String basicUser;
  private final byte[] basicDigest;
  private final String csrfToken;

  Access(String bearerToken, String basicUser, String basicPassword) {
    this.tokenDigest = bearerToken == null ? null : sha256(bearerToken);
    this.basicUser = basicUser;
    this.basicDigest = basicUser == null ? null : sha256(basicUser + ":" + basicPassword);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.csrfToken = HexFormat.of().formatHex(random);
  }

  String csrfToken() {
    return csrfToken;
  }

  boolean usesBasic() {
    return basicDigest != null;
  }

  boolean usesToken() {
    return tokenDigest != null;
  }

  /**
   * The authenticated actor's name, {@code anonymous} when no authentication is configured, or null
   * when credentials are missing or wrong.
   */
  String authenticate(HttpExchange ex) {
    if (tokenDigest == null && basicDigest == null) {
      return "anonymous";
    }
    String header = ex.getRequestHeaders().getFirst("Authorization");
    if (tokenDigest != null) {
      String presented = null;
      if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        presented = header.substring(7).strip();
      }
      if (presented != null && matchesToken(presented)) {
        return "token";
      }
      String fromCookie = cookie(ex, TOKEN_COOKIE);
      if (fromCookie != null
          && MessageDigest.isEqual(
              fromCookie.getBytes(StandardCharsets.UTF_8),
              cookieValue().getBytes(StandardCharsets.UTF_8))) {
        return "token";
      }
    }
    if (basicDigest != null && header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
      String decoded;
      try {
        decoded =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return null;
      }
      if (MessageDigest.isEqual(basicDigest, sha256(decoded))) {
        return basicUser;
      }
    }
    return null;
  }

  /**
   * The session cookie's value: the token's digest, so the cookie never holds the token itself and
   * has only cookie-safe characters.
   */
  String cookieValue() {
    return HexFormat.of().formatHex(tokenDigest);
  }

  boolean matchesToken(String presented) {
    return tokenDigest != null && MessageDigest.isEqual(tokenDigest, sha256(presented));
  }

  /** Throws 403 unless the request carries this process's CSRF token and a same-origin Origin. */
  void checkCsrf(HttpExchange ex) {
    String presented = ex.getRequestHeaders().getFirst(CSRF_HEADER);
    if (presented == null
        || !MessageDigest.isEqual(
            presented.getBytes(StandardCharsets.UTF_8),
            csrfToken.getBytes(StandardCharsets.UTF_8))) {
      throw new HttpError(
          403, "csrf", "missing or wrong " + CSRF_HEADER + " header (GET /api/session gives it)");
    }
    String origin = ex.getRequestHeaders().getFirst("Origin");
    String host = ex.getRequestHeaders().getFirst("Host");
    if (origin != null
        && host != null
        && !List.of("http://" + host, "https://" + host).contains(origin)) {
      throw new HttpError(403, "csrf", "cross-origin request refused (Origin " + origin + ")");
    }
  }

  static String cookie(HttpExchange ex, String name) {
    List<String> headers = ex.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String part : header.split(";")) {
        String p = part.strip();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
