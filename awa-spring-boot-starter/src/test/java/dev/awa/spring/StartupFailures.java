package dev.awa.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.springframework.boot.diagnostics.FailureAnalysis;

/** Checks a failed start-up the way Boot would report it: the property and its limit. */
final class StartupFailures {
  private StartupFailures() {}

  /** {@code failure} analyses as a rejection of {@code property} stating {@code limit}. */
  static void assertNames(Throwable failure, String property, String limit) {
    assertThat(failure).isNotNull();
    FailureAnalysis analysis = new AwaPropertyFailureAnalyzer().analyze(failure);
    assertThat(analysis).as("analysis of %s", failure).isNotNull();
    assertThat(analysis.getDescription()).contains("'" + property + "'").contains(limit);
    assertThat(analysis.getAction()).contains(property);
    assertThat(((AwaPropertyException) analysis.getCause()).property()).isEqualTo(property);
  }
}
