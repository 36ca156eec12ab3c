package dev.awa.spring;

import java.time.Duration;

/**
 * How the graceful-shutdown phase ({@code spring.lifecycle.timeout-per-shutdown-phase}) is split:
 * the runtime drains running handlers for most of it, then hands the rest back, then the
 * maintenance loops stop and the leader lock is released, all before Boot's phase times out.
 *
 * @param phase Boot's timeout per shutdown phase
 * @param drain how long the runtime waits for running handlers
 * @param maintenance how long the maintenance service waits per loop for a running branch body
 */
record ShutdownBudget(Duration phase, Duration drain, Duration maintenance) {
  /** Boot's default of spring.lifecycle.timeout-per-shutdown-phase. */
  static final Duration DEFAULT_PHASE = Duration.ofSeconds(30);

  private static final Duration MIN_MARGIN = Duration.ofSeconds(2);
  private static final Duration MAX_MARGIN = Duration.ofSeconds(5);
  private static final Duration MAX_MAINTENANCE = Duration.ofSeconds(10);

  /**
   * The budget for {@code phase}. Unset values: the drain gets the phase less a margin of a quarter
   * of it, at least 2 s and at most 5 s, and never more than half the phase (30 s: drain 25 s; 8 s:
   * 6 s; 4 s: 2 s). The margin covers the hand-back and the fixed costs of stopping (completer,
   * heartbeats, LISTEN session, the leader's session: about 0.8 s measured on a busy 2-core host).
   * The maintenance service gets an eighth of the margin per wait (it waits per loop, up to three
   * loops, then for the election thread), at most 10 s.
   */
  static ShutdownBudget of(Duration phase, Duration drain, Duration maintenance) {
    Duration margin = min(phase.dividedBy(2), min(MAX_MARGIN, max(MIN_MARGIN, phase.dividedBy(4))));
    Duration d = drain != null ? drain : phase.minus(margin);
    if (d.compareTo(phase) >= 0) {
      throw new AwaPropertyException(
          "awa.runtime.drain-timeout",
          "must be less than spring.lifecycle.timeout-per-shutdown-phase ("
              + phase
              + "), was "
              + d);
    }
    Duration m =
        maintenance != null ? maintenance : min(MAX_MAINTENANCE, phase.minus(d).dividedBy(8));
    return new ShutdownBudget(phase, d, m);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
