package dev.awa.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Human-readable times and durations for the pages (the JSON API keeps ISO-8601 instants). */
final class Fmt {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Fmt() {}

  static String time(Instant t) {
    return t == null ? "–" : TIME.format(t);
  }

  static String seconds(Double s) {
    if (s == null) {
      return "–";
    }
    if (s < 1) {
      return Math.round(s * 1000) + " ms";
    }
    if (s < 120) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    if (s < 7200) {
      return Math.round(s / 60) + " min";
    }
    return Math.round(s / 3600) + " h";
  }

  static String millis(Double ms) {
    return ms == null ? "–" : seconds(ms / 1000.0);
  }

  static String ago(Double seconds) {
    return seconds == null ? "never" : seconds(Math.max(0, seconds)) + " ago";
  }
}
