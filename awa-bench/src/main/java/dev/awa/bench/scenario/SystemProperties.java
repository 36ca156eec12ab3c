package dev.awa.bench.scenario;

import java.util.HashMap;
import java.util.Map;

/**
 * Sets and restores the system properties of one A/B variant ({@code name:key=value;key=value}), so
 * two runtime internals can be compared in the same repetition on the same database.
 */
final class SystemProperties {
  private SystemProperties() {}

  /** Applies the variant's properties; returns the previous values (null: was unset). */
  static Map<String, String> apply(String variant) {
    Map<String, String> before = new HashMap<>();
    int colon = variant.indexOf(':');
    if (colon < 0) {
      return before;
    }
    for (String pair : variant.substring(colon + 1).split(";")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--variant: expected key=value, was '" + pair + "'");
      }
      String key = pair.substring(0, eq).trim();
      before.put(key, System.getProperty(key));
      System.setProperty(key, pair.substring(eq + 1).trim());
    }
    return before;
  }

  /** Puts back what {@link #apply} changed. */
  static void restore(Map<String, String> before) {
    before.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }
}
