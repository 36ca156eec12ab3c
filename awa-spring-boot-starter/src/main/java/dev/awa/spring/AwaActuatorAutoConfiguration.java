package dev.awa.spring;

import dev.awa.core.AwaClient;
import dev.awa.core.AwaRuntime;
import dev.awa.maintenance.MaintenanceService;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Actuator support when Actuator is on the classpath: the {@code awa} health indicator ({@code
 * management.health.awa.enabled}) and the {@code awa} info contributor ({@code
 * management.info.awa.enabled}).
 */
@AutoConfiguration(after = AwaAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(AwaClient.class)
public class AwaActuatorAutoConfiguration {
  /** The core default of awa.maintenance.election-interval. */
  private static final Duration DEFAULT_ELECTION_INTERVAL = Duration.ofSeconds(5);

  @Bean
  @ConditionalOnMissingBean(name = "awaHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("awa")
  HealthIndicator awaHealthIndicator(
      AwaClient client,
      AwaProperties props,
      ObjectProvider<AwaRuntime> runtime,
      ObjectProvider<MaintenanceService> maintenance) {
    Duration election = props.getMaintenance().getElectionInterval();
    return new AwaHealthIndicator(
        runtime.getIfAvailable(),
        maintenance.getIfAvailable(),
        props.getRuntime().isListen(),
        new LeaderProbe(client.dataSource()),
        election != null ? election : DEFAULT_ELECTION_INTERVAL,
        System::nanoTime);
  }

  @Bean
  @ConditionalOnMissingBean(name = "awaInfoContributor")
  @ConditionalOnEnabledInfoContributor("awa")
  AwaInfoContributor awaInfoContributor(
      ObjectProvider<RuntimeLayout> layout, ObjectProvider<MaintenanceService> maintenance) {
    return new AwaInfoContributor(layout.getIfAvailable(), maintenance.getIfAvailable());
  }
}
