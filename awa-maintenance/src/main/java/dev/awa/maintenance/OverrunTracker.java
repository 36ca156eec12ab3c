package dev.awa.maintenance;

import java.time.Duration;

/**
 * The overrun state machine of one branch, kept free of clocks and threads so it can be tested with
 * injected durations. Not thread-safe: one branch runs on one loop thread.
 *
 * <p>A body longer than {@value #OVERRUN_RATIO}× the interval is an overrun sample, shorter than
 * {@value #ON_TIME_RATIO}× an on-time sample; anything between is neutral and neither counts nor
 * breaks a streak (hysteresis, so a branch hovering near its interval does not flap). {@value
 * #FLIP_AFTER} consecutive samples of the other kind flip the state. While delayed, each run is
 * followed by a cooldown of {@code clamp(ceil(2·duration/interval), 1, 120)} skipped ticks, so a
 * branch that cannot keep up stops hogging its loop.
 */
final class OverrunTracker {
  static final double OVERRUN_RATIO = 1.5;
  static final double ON_TIME_RATIO = 0.7;
  static final int FLIP_AFTER = 3;
  static final int MAX_COOLDOWN_TICKS = 120;

  /** What a sample changed. */
  enum Transition {
    NONE,
    BECAME_DELAYED,
    RECOVERED
  }

  private final Duration interval;
  private OverrunState state = OverrunState.ON_TIME;
  private int streak;
  private long episodes;
  private int skipRemaining;

  OverrunTracker(Duration interval) {
    this.interval = interval;
  }

  /** Records one body duration and returns the transition it caused. */
  Transition record(Duration duration) {
    double ratio = duration.toNanos() / (double) interval.toNanos();
    boolean overrun = ratio > OVERRUN_RATIO;
    boolean onTime = ratio < ON_TIME_RATIO;
    Transition transition = Transition.NONE;
    if (state == OverrunState.ON_TIME) {
      if (overrun) {
        streak++;
      } else if (onTime) {
        streak = 0;
      }
      if (streak >= FLIP_AFTER) {
        state = OverrunState.DELAYED;
        streak = 0;
        episodes++;
        transition = Transition.BECAME_DELAYED;
      }
    } else {
      if (onTime) {
        streak++;
      } else if (overrun) {
        streak = 0;
      }
      if (streak >= FLIP_AFTER) {
        state = OverrunState.ON_TIME;
        streak = 0;
        transition = Transition.RECOVERED;
      }
    }
    skipRemaining = state == OverrunState.DELAYED ? cooldownTicks(duration, interval) : 0;
    return transition;
  }

  /** Whether the coming tick is part of a cooldown; consumes one skipped tick if so. */
  boolean consumeSkip() {
    if (skipRemaining > 0) {
      skipRemaining--;
      return true;
    }
    return false;
  }

  OverrunState state() {
    return state;
  }

  long episodes() {
    return episodes;
  }

  int skipRemaining() {
    return skipRemaining;
  }

  /** {@code clamp(ceil(2·duration/interval), 1, 120)}. */
  static int cooldownTicks(Duration duration, Duration interval) {
    double ticks = Math.ceil(2.0 * duration.toNanos() / interval.toNanos());
    return (int) Math.max(1, Math.min(MAX_COOLDOWN_TICKS, ticks));
  }
}
