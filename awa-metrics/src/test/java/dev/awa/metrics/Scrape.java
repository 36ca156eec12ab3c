package dev.awa.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of Prometheus text exposition, the way an operator's scrape sees them. */
final class Scrape {
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final String text;

  private Scrape(String text) {
    this.text = text;
  }

  static Scrape of(PrometheusMeterRegistry registry) {
    return new Scrape(registry.scrape());
  }

  String text() {
    return text;
  }

  /**
   * The sum of every sample of {@code name} whose labels include {@code labels} (alternating keys
   * and values); empty when there is none.
   */
  OptionalDouble value(String name, String... labels) {
    Map<String, String> wanted = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      wanted.put(labels[i], labels[i + 1]);
    }
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int brace = line.indexOf('{');
      int space = line.indexOf(' ');
      String sampleName =
          brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
      if (!sampleName.equals(name)) {
        continue;
      }
      Map<String, String> have = new HashMap<>();
      String rest = line;
      if (brace >= 0 && brace < space) {
        int close = line.lastIndexOf('}');
        Matcher m = LABEL.matcher(line.substring(brace + 1, close));
        while (m.find()) {
          have.put(m.group(1), m.group(2));
        }
        rest = line.substring(close + 1);
      } else {
        rest = line.substring(space);
      }
      if (have.entrySet().containsAll(wanted.entrySet())) {
        sum += Double.parseDouble(rest.trim().split("\\s+")[0]);
        found = true;
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /** As {@link #value}, with 0 when the series is missing. */
  double valueOrZero(String name, String... labels) {
    return value(name, labels).orElse(0);
  }
}
