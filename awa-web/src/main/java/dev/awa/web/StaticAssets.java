package dev.awa.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The script and stylesheet, read once from the jar ({@code dev/awa/web/static/}). Only the names
 * listed here are served, so no request path ever reaches the class loader.
 */
final class StaticAssets {
  private static final Map<String, String> TYPES =
      Map.of(
          "awa.js", "text/javascript; charset=utf-8",
          "awa.css", "text/css; charset=utf-8");

  private final Map<String, byte[]> content;

  StaticAssets() {
    content = Map.of("awa.js", load("awa.js"), "awa.css", load("awa.css"));
  }

  private static byte[] load(String name) {
    try (InputStream in = StaticAssets.class.getResourceAsStream("static/" + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard asset missing from the jar: " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void serve(Exchange ex, String name) throws IOException {
    byte[] body = content.get(name);
    if (body == null) {
      throw HttpError.notFound("asset");
    }
    ex.raw().getResponseHeaders().set("Cache-Control", "no-cache");
    ex.send(200, TYPES.get(name), body);
  }
}
