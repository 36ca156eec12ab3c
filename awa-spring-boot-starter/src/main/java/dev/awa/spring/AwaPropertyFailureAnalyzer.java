package dev.awa.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link AwaPropertyException} the way Boot reports bad configuration: the property, the
 * limit and what to change, instead of a stack trace. Registered in {@code
 * META-INF/spring.factories}.
 */
public final class AwaPropertyFailureAnalyzer
    extends AbstractFailureAnalyzer<AwaPropertyException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, AwaPropertyException cause) {
    return new FailureAnalysis(
        "Invalid Awa configuration: property '" + cause.property() + "' " + cause.reason() + ".",
        "Change '"
            + cause.property()
            + "' in your application properties (see docs/spring-boot.md for every awa.*"
            + " property with its default and range).",
        cause);
  }
}
