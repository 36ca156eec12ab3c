package dev.awa.spring;

import dev.awa.core.AwaClient;
import dev.awa.web.AwaDashboard;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The awa-web dashboard when {@code awa.dashboard.enabled=true} and {@code dev.awa:awa-web} is on
 * the classpath (the starter declares it optional): over the application's {@link AwaClient} and
 * its DataSource, started and stopped by {@link AwaDashboardLifecycle}. Backs off when the
 * application defines its own {@link AwaDashboard} (or lifecycle) bean. Guide: docs/spring-boot.md.
 */
@AutoConfiguration(after = AwaAutoConfiguration.class)
@ConditionalOnClass(AwaDashboard.class)
@ConditionalOnProperty(prefix = "awa.dashboard", name = "enabled", havingValue = "true")
@ConditionalOnBean(AwaClient.class)
@EnableConfigurationProperties(AwaProperties.class)
public class AwaDashboardAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean({AwaDashboard.class, AwaDashboardLifecycle.class})
  AwaDashboardLifecycle awaDashboardLifecycle(AwaClient client, AwaProperties props) {
    AwaProperties.Dashboard d = props.getDashboard();
    return new AwaDashboardLifecycle(
        DashboardFactory.builder(client, d), d.getBind() + ":" + d.getPort());
  }
}
