package dev.awa.spring;

import dev.awa.metrics.AwaMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link AwaMetrics} bound to the application's {@link MeterRegistry} when there is one (Actuator
 * with any registry, or a registry bean of the application). The client, the runtime and the
 * maintenance service report through it, so the meters are those of docs/metrics.md, under the same
 * Prometheus names.
 */
@AutoConfiguration(
    before = AwaAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass({MeterRegistry.class, AwaMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
public class AwaMetricsAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  AwaMetrics awaMetrics(MeterRegistry registry) {
    return AwaMetrics.bind(registry);
  }
}
