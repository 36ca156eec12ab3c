package dev.awa.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The query parameters of one request, decoded, with typed and bounded accessors. A parameter that
 * is present but empty counts as absent, so an HTML form's blank field means "no filter".
 */
final class Params {
  /** Longest accepted query string; a longer one is refused before decoding. */
  static final int MAX_QUERY_LENGTH = 4_096;

  /** Longest accepted value of a text parameter (queue and kind names are at most 200). */
  static final int MAX_VALUE_LENGTH = 200;

  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  static Params parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return new Params(Collections.emptyMap());
    }
    if (rawQuery.length() > MAX_QUERY_LENGTH) {
      throw new HttpError(
          414, "uri_too_long", "query string longer than " + MAX_QUERY_LENGTH + " characters");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq), "query");
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
      if (out.putIfAbsent(name, value) != null) {
        throw new BadRequestException(name, "given more than once");
      }
    }
    return new Params(out);
  }

  private static String decode(String s, String field) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(field, "is not valid URL encoding");
    }
  }

  /** The trimmed text value, or null when absent or blank. */
  String text(String name) {
    String v = values.get(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    v = v.strip();
    if (v.length() > MAX_VALUE_LENGTH) {
      throw new BadRequestException(name, "longer than " + MAX_VALUE_LENGTH + " characters");
    }
    return v;
  }

  /** A positive id, or null when absent. */
  Long id(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      long id = Long.parseLong(v);
      if (id < 1) {
        throw new BadRequestException(name, "must be a positive integer, was " + v);
      }
      return id;
    } catch (NumberFormatException e) {
      throw new BadRequestException(name, "must be a positive integer, was '" + v + "'");
    }
  }

  /** An integer within [min, max], or {@code dflt} when absent. */
  int intInRange(String name, int min, int max, int dflt) {
    String v = text(name);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new BadRequestException(
            name, "must be between " + min + " and " + max + ", was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadRequestException(name, "must be an integer, was '" + v + "'");
    }
  }

  boolean has(String name) {
    return text(name) != null;
  }

  /** Every parameter, for building links that keep the current filter. */
  Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }
}
