package dev.awa.maintenance;

import java.time.Duration;

/** Range checks of maintenance settings: a typed exception naming the option and its limits. */
final class Limits {
  /** Shortest interval of any branch. */
  static final Duration MIN_INTERVAL = Duration.ofMillis(10);

  /** Longest interval of any branch. */
  static final Duration MAX_INTERVAL = Duration.ofHours(24);

  private Limits() {}

  static Duration range(String option, Duration d, Duration min, Duration max) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
      throw new InvalidMaintenanceConfigException(
          option, "must be between " + min + " and " + max + ", was " + d);
    }
    return d;
  }

  static int range(String option, int n, int min, int max) {
    if (n < min || n > max) {
      throw new InvalidMaintenanceConfigException(
          option, "must be between " + min + " and " + max + ", was " + n);
    }
    return n;
  }
}
