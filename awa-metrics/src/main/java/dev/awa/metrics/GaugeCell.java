package dev.awa.metrics;

/**
 * The mutable value behind one gauge. Micrometer samples gauges through a function on a state
 * object; a plain volatile double is all that is needed because every writer sets a whole value.
 */
final class GaugeCell {
  private volatile double value;

  double get() {
    return value;
  }

  void set(double value) {
    this.value = value;
  }
}
