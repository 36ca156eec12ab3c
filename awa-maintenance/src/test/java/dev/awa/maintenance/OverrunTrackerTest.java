package dev.awa.maintenance;

import static dev.awa.maintenance.OverrunTracker.Transition.BECAME_DELAYED;
import static dev.awa.maintenance.OverrunTracker.Transition.NONE;
import static dev.awa.maintenance.OverrunTracker.Transition.RECOVERED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The overrun state machine as a pure unit, with injected durations. */
class OverrunTrackerTest {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration SLOW = Duration.ofMillis(1600); // > 1.5x
  private static final Duration FAST = Duration.ofMillis(600); // < 0.7x
  private static final Duration NEUTRAL = Duration.ofMillis(1000);

  @Test
  void threeOverrunsFlipOnceAndCountOneEpisode() {
    OverrunTracker t = new OverrunTracker(INTERVAL);
    assertThat(t.record(SLOW)).isEqualTo(NONE);
    assertThat(t.record(SLOW)).isEqualTo(NONE);
    assertThat(t.state()).isEqualTo(OverrunState.ON_TIME);
    assertThat(t.record(SLOW)).isEqualTo(BECAME_DELAYED);
    assertThat(t.state()).isEqualTo(OverrunState.DELAYED);
    assertThat(t.episodes()).isEqualTo(1);
    // Staying slow is the same episode.
    for (int i = 0; i < 10; i++) {
      assertThat(t.record(SLOW)).isEqualTo(NONE);
    }
    assertThat(t.episodes()).isEqualTo(1);
  }

  @Test
  void onTimeSampleBreaksTheStreakAndNeutralDoesNot() {
    OverrunTracker t = new OverrunTracker(INTERVAL);
    t.record(SLOW);
    t.record(SLOW);
    t.record(FAST); // breaks
    t.record(SLOW);
    t.record(SLOW);
    assertThat(t.state()).isEqualTo(OverrunState.ON_TIME);
    t.record(NEUTRAL); // neither counts nor breaks
    assertThat(t.record(SLOW)).isEqualTo(BECAME_DELAYED);
  }

  @Test
  void recoversAfterThreeOnTimeSamplesAndCountsEachEpisode() {
    OverrunTracker t = new OverrunTracker(INTERVAL);
    for (int episode = 1; episode <= 3; episode++) {
      t.record(SLOW);
      t.record(SLOW);
      assertThat(t.record(SLOW)).isEqualTo(BECAME_DELAYED);
      t.record(FAST);
      t.record(SLOW); // breaks the recovery streak
      t.record(FAST);
      t.record(FAST);
      assertThat(t.state()).isEqualTo(OverrunState.DELAYED);
      assertThat(t.record(FAST)).isEqualTo(RECOVERED);
      assertThat(t.episodes()).isEqualTo(episode);
    }
  }

  @Test
  void cooldownSkipsTicksOnlyWhileDelayed() {
    OverrunTracker t = new OverrunTracker(INTERVAL);
    t.record(SLOW);
    assertThat(t.consumeSkip()).isFalse(); // on time: nothing skipped
    t.record(SLOW);
    t.record(Duration.ofMillis(2500)); // flips; ceil(2 * 2.5) = 5
    assertThat(t.skipRemaining()).isEqualTo(5);
    for (int i = 0; i < 5; i++) {
      assertThat(t.consumeSkip()).isTrue();
    }
    assertThat(t.consumeSkip()).isFalse();
  }

  @Test
  void cooldownIsClamped() {
    assertThat(OverrunTracker.cooldownTicks(Duration.ZERO, INTERVAL)).isEqualTo(1);
    assertThat(OverrunTracker.cooldownTicks(Duration.ofMillis(1600), INTERVAL)).isEqualTo(4);
    assertThat(OverrunTracker.cooldownTicks(Duration.ofHours(1), INTERVAL)).isEqualTo(120);
  }
}
