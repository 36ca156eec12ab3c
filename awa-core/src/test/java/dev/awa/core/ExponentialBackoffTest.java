package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {
  @Test
  void growsAsPowersOfTwoWithAtMostAQuarterJitterAndIsCapped() {
    RetryPolicy p = RetryPolicy.exponential();
    for (int attempt = 1; attempt <= 16; attempt++) {
      long base = (1L << attempt) * 1000;
      for (int i = 0; i < 50; i++) {
        long ms = p.backoff(attempt).toMillis();
        assertThat(ms).isBetween(base, base + base / 4);
      }
    }
    assertThat(p.backoff(17)).isEqualTo(Duration.ofHours(24)); // 2^17 s > 24 h
    assertThat(p.backoff(1000)).isEqualTo(Duration.ofHours(24));
  }
}
