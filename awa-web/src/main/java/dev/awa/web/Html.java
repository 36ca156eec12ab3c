package dev.awa.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;

/**
 * HTML output with escaping as the only way in: {@link #text} escapes, {@link #raw} is for markup
 * the page itself wrote. Every value that comes from the database (args, errors, names) goes
 * through {@link #text} or {@link #attr}, so a job whose args hold {@code <script>} renders it as
 * text.
 */
final class Html {
  private final StringBuilder out = new StringBuilder(8_192);

  /** Escapes the five characters that matter in element content and quoted attributes. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  /** A URL query string from the non-null entries, each part percent-encoded. */
  static String query(Map<String, String> params) {
    StringJoiner j = new StringJoiner("&", "?", "");
    j.setEmptyValue("");
    params.forEach(
        (k, v) -> {
          if (v != null && !v.isEmpty()) {
            j.add(urlEncode(k) + "=" + urlEncode(v));
          }
        });
    return j.toString();
  }

  static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Appends trusted markup written by the page code. */
  Html raw(String markup) {
    out.append(markup);
    return this;
  }

  /** Appends escaped text. */
  Html text(Object value) {
    out.append(escape(value == null ? "" : String.valueOf(value)));
    return this;
  }

  /** Appends {@code name="value"} with the value escaped, preceded by a space. */
  Html attr(String name, Object value) {
    out.append(' ').append(name).append("=\"").append(escape(String.valueOf(value))).append('"');
    return this;
  }

  /** {@code <tag class="cls">text</tag>} with the text escaped. */
  Html el(String tag, String cls, Object value) {
    out.append('<').append(tag);
    if (cls != null) {
      attr("class", cls);
    }
    out.append('>');
    text(value);
    out.append("</").append(tag).append('>');
    return this;
  }

  /** An {@code <a>} with escaped href and text. */
  Html link(String href, Object label) {
    out.append("<a");
    attr("href", href);
    out.append('>');
    text(label);
    out.append("</a>");
    return this;
  }

  /** A button that posts to {@code action} through awa.js (which adds the CSRF header). */
  Html actionButton(String action, String label, String confirm, String cls) {
    out.append("<button type=\"button\"");
    attr("class", "action " + (cls == null ? "" : cls));
    attr("data-action", action);
    if (confirm != null) {
      attr("data-confirm", confirm);
    }
    out.append('>');
    text(label);
    out.append("</button>");
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
