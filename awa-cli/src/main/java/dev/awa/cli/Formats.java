package dev.awa.cli;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How times and durations read in tables: UTC instants to the second, short human durations. */
final class Formats {
  private Formats() {}

  /** {@code 2026-11-27T21:07:18Z}, or null for null. */
  static String instant(Instant at) {
    return at == null ? null : at.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code 850ms}, {@code 12.3s}, {@code 4m05s}, {@code 2h03m}, {@code 3d04h}; null for null. */
  static String seconds(Double seconds) {
    if (seconds == null) {
      return null;
    }
    double s = Math.max(0, seconds);
    if (s < 1) {
      return Math.round(s * 1000) + "ms";
    }
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1fs", s);
    }
    long whole = (long) s;
    if (whole < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
    }
    if (whole < 86_400) {
      return String.format(Locale.ROOT, "%dh%02dm", whole / 3600, (whole % 3600) / 60);
    }
    return String.format(Locale.ROOT, "%dd%02dh", whole / 86_400, (whole % 86_400) / 3600);
  }

  /** {@link #seconds} followed by " ago"; null for null. */
  static String ago(Double seconds) {
    return seconds == null ? null : seconds(seconds) + " ago";
  }

  /** Milliseconds as a duration; null for null. */
  static String millis(Double millis) {
    return millis == null ? null : seconds(millis / 1000.0);
  }

  /**
   * A duration with sub-millisecond precision where it matters: {@code 0.4ms}, {@code 3.2ms},
   * {@code 123ms}, then as {@link #seconds}; null for null.
   */
  static String duration(java.time.Duration d) {
    if (d == null) {
      return null;
    }
    double ms = Math.max(0, d.toNanos()) / 1_000_000.0;
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.1fms", ms);
    }
    return seconds(ms / 1000.0);
  }
}
