package dev.awa.spring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.AwaClient;
import dev.awa.core.AwaListener;
import dev.awa.core.AwaRuntime;
import dev.awa.core.internal.ProcessIdentity;
import dev.awa.maintenance.MaintenanceListener;
import dev.awa.maintenance.MaintenanceService;
import dev.awa.maintenance.PeriodicJob;
import dev.awa.metrics.AwaMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Awa from the application's {@link DataSource}: the schema migration, {@link AwaClient}, {@link
 * AwaEnqueuer}, {@link AwaRuntime} with the context's workers, {@link MaintenanceService} and the
 * {@link AwaLifecycle} that starts and stops them. Every bean backs off when the application
 * defines its own of the same type. Properties: {@link AwaProperties}; guide: docs/spring-boot.md.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration",
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration",
      "org.springframework.boot.jackson2.autoconfigure.Jackson2AutoConfiguration"
    })
@ConditionalOnClass(AwaClient.class)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(AwaProperties.class)
public class AwaAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(AwaAutoConfiguration.class);

  /** Boot's property for the graceful-shutdown phase timeout. */
  static final String SHUTDOWN_PHASE_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(
      prefix = "awa",
      name = "migrate-on-start",
      havingValue = "true",
      matchIfMissing = true)
  AwaSchemaInitializer awaSchemaInitializer(DataSource dataSource) {
    return new AwaSchemaInitializer(dataSource);
  }

  @Bean
  @ConditionalOnMissingBean
  AwaClient awaClient(
      DataSource dataSource,
      ObjectProvider<ObjectMapper> mapper,
      ObjectProvider<AwaMetrics> metrics,
      ObjectProvider<AwaSchemaInitializer> schema) {
    // The schema first: nothing may enqueue into a database that is not migrated yet.
    schema.ifAvailable(s -> {});
    AwaClient.Builder b = AwaClient.builder(dataSource);
    // Several mappers and none primary: keep awa-core's rather than guess.
    mapper.ifUnique(b::objectMapper);
    AwaListener listener = metrics.getIfAvailable();
    if (listener != null) {
      b.listener(listener);
    }
    return b.build();
  }

  @Bean
  @ConditionalOnMissingBean
  AwaEnqueuer awaEnqueuer(AwaClient client) {
    return new AwaEnqueuer(client);
  }

  @Bean
  @ConditionalOnMissingBean(AwaRuntime.class)
  @ConditionalOnProperty(
      prefix = "awa.runtime",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  RuntimeLayout awaRuntimeLayout(AwaProperties props, ConfigurableListableBeanFactory beans) {
    Map<String, WorkerRegistration> workers = WorkerScanner.scan(beans);
    List<String> unnamed = WorkerScanner.unnamedWorkerBeans(beans, workers);
    if (!unnamed.isEmpty()) {
      log.warn(
          "Worker beans {} have no kind and will not run: annotate them with @AwaWorker or"
              + " declare a WorkerRegistration",
          unnamed);
    }
    return new RuntimeLayout(
        RuntimeFactory.queues(props.getRuntime(), props.getQueues(), workers.values()), workers);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(
      prefix = "awa.runtime",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  AwaRuntime awaRuntime(
      DataSource dataSource,
      AwaClient client,
      AwaProperties props,
      RuntimeLayout layout,
      Environment environment,
      ObjectProvider<AwaMetrics> metrics) {
    String instanceId =
        props.getRuntime().getInstanceId() != null
            ? props.getRuntime().getInstanceId()
            : defaultInstanceId();
    AwaRuntime runtime =
        RuntimeFactory.build(
            dataSource,
            client,
            props.getRuntime(),
            instanceId,
            layout.queues(),
            layout.workers().values(),
            budget(environment, props));
    metrics.ifAvailable(m -> m.bindRuntime(runtime));
    return runtime;
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnProperty(
      prefix = "awa.maintenance",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  MaintenanceService awaMaintenanceService(
      DataSource dataSource,
      AwaProperties props,
      Environment environment,
      ObjectProvider<AwaRuntime> runtime,
      ObjectProvider<ObjectMapper> mapper,
      ObjectProvider<AwaMetrics> metrics,
      ObjectProvider<PeriodicJob> periodicJobs,
      ObjectProvider<AwaSchemaInitializer> schema) {
    schema.ifAvailable(s -> {});
    // One instance id per process: the runtime's row is also the one flagged as leader.
    AwaRuntime rt = runtime.getIfAvailable();
    String instanceId =
        rt != null
            ? rt.instanceId()
            : props.getRuntime().getInstanceId() != null
                ? props.getRuntime().getInstanceId()
                : defaultInstanceId();
    MaintenanceListener listener = metrics.getIfAvailable();
    return MaintenanceFactory.build(
        dataSource,
        props,
        instanceId,
        mapper.getIfUnique(),
        listener != null ? listener : MaintenanceListener.NOOP,
        periodicJobs.orderedStream().toList(),
        budget(environment, props));
  }

  @Bean
  @ConditionalOnMissingBean
  AwaLifecycle awaLifecycle(
      ObjectProvider<AwaRuntime> runtime, ObjectProvider<MaintenanceService> maintenance) {
    return new AwaLifecycle(runtime.getIfAvailable(), maintenance.getIfAvailable());
  }

  /** The shutdown split from Boot's phase timeout and the awa properties. */
  static ShutdownBudget budget(Environment environment, AwaProperties props) {
    Duration phase =
        Binder.get(environment)
            .bind(SHUTDOWN_PHASE_PROPERTY, Duration.class)
            .orElse(ShutdownBudget.DEFAULT_PHASE);
    return ShutdownBudget.of(
        phase, props.getRuntime().getDrainTimeout(), props.getMaintenance().getShutdownTimeout());
  }

  /**
   * A new id per application context (two contexts in one JVM are two applications, each with its
   * own runtime_instances row); shared by the context's runtime and maintenance service.
   */
  private static String defaultInstanceId() {
    return ProcessIdentity.newInstanceId();
  }
}
