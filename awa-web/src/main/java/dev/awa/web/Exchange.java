package dev.awa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request and its answer: method, decoded path segments, bounded query and body, and the
 * writers that set the security headers on every response.
 */
final class Exchange {
  /** Largest accepted request body (a bulk action's ids fit many times over). */
  static final int MAX_BODY = 16 * 1024;

  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final HttpExchange ex;
  private final List<String> segments;
  private Params params;
  private final String actor;

  Exchange(HttpExchange ex, String actor) {
    this.ex = ex;
    this.actor = actor;
    this.segments = segments(ex.getRequestURI().getRawPath());
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        try {
          out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw new BadRequestException("path", "is not valid URL encoding");
        }
      }
    }
    return List.copyOf(out);
  }

  HttpExchange raw() {
    return ex;
  }

  String method() {
    return ex.getRequestMethod();
  }

  List<String> segments() {
    return segments;
  }

  String actor() {
    return actor;
  }

  Params params() {
    if (params == null) {
      params = Params.parse(ex.getRequestURI().getRawQuery());
    }
    return params;
  }

  boolean wantsFragment() {
    return ex.getRequestHeaders().getFirst(Layout.FRAGMENT_HEADER) != null;
  }

  /** The JSON body, at most {@value #MAX_BODY} bytes; an empty body is an empty object. */
  JsonNode jsonBody() throws IOException {
    byte[] body = readBody();
    if (body.length == 0) {
      return JsonOut.MAPPER.createObjectNode();
    }
    try {
      JsonNode node = JsonOut.MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new BadRequestException("body", "must be a JSON object");
      }
      return node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new BadRequestException("body", "is not valid JSON");
    }
  }

  private byte[] readBody() throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > MAX_BODY) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw new BadRequestException("Content-Length", "is not a number");
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        throw tooLarge();
      }
      return body;
    }
  }

  private static HttpError tooLarge() {
    return new HttpError(413, "too_large", "request body larger than " + MAX_BODY + " bytes");
  }

  void sendJson(int status, Object value) throws IOException {
    send(status, "application/json; charset=utf-8", JsonOut.MAPPER.writeValueAsBytes(value));
  }

  void sendHtml(int status, String html) throws IOException {
    send(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  void redirect(String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    send(303, "text/plain; charset=utf-8", new byte[0]);
  }

  void send(int status, String contentType, byte[] body) throws IOException {
    var h = ex.getResponseHeaders();
    h.set("Content-Type", contentType);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Content-Security-Policy", CSP);
    if (!h.containsKey("Cache-Control")) {
      h.set("Cache-Control", "no-store");
    }
    boolean head = "HEAD".equals(ex.getRequestMethod());
    ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
    ex.close();
  }
}
