package dev.awa.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ShutdownBudgetTest {
  @Test
  void theDrainGetsThePhaseLessAMargin() {
    ShutdownBudget b = ShutdownBudget.of(Duration.ofSeconds(30), null, null);
    assertThat(b.drain()).isEqualTo(Duration.ofSeconds(25));
    assertThat(b.maintenance()).isEqualTo(Duration.ofMillis(625));
    // A quarter of 8 s is the 2 s floor.
    assertThat(ShutdownBudget.of(Duration.ofSeconds(8), null, null).drain())
        .isEqualTo(Duration.ofSeconds(6));
    assertThat(ShutdownBudget.of(Duration.ofSeconds(4), null, null).drain())
        .isEqualTo(Duration.ofSeconds(2));
    // Never more than half the phase as margin.
    ShutdownBudget tiny = ShutdownBudget.of(Duration.ofSeconds(1), null, null);
    assertThat(tiny.drain()).isEqualTo(Duration.ofMillis(500));
    assertThat(tiny.maintenance()).isEqualTo(Duration.ofNanos(62_500_000));
  }

  @Test
  void explicitValuesWinButTheDrainMustFitThePhase() {
    ShutdownBudget b =
        ShutdownBudget.of(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2));
    assertThat(b.drain()).isEqualTo(Duration.ofSeconds(10));
    assertThat(b.maintenance()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(
            () -> ShutdownBudget.of(Duration.ofSeconds(30), Duration.ofSeconds(30), null))
        .isInstanceOf(AwaPropertyException.class)
        .hasMessageContaining("awa.runtime.drain-timeout")
        .hasMessageContaining("spring.lifecycle.timeout-per-shutdown-phase");
  }
}
