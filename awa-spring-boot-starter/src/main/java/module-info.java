/**
 * The Spring Boot starter: auto-configuration of the Awa client, runtime, maintenance, metrics,
 * actuator health and info, and the optional dashboard.
 *
 * <p>Spring's jars have no module descriptors; the names below are their automatic module names. An
 * application on the class path (the usual Spring Boot layout) ignores this descriptor.
 */
module dev.awa.spring {
  requires transitive dev.awa.core;
  requires transitive dev.awa.maintenance;
  requires dev.awa.metrics;
  requires com.fasterxml.jackson.databind;
  requires micrometer.core;
  requires org.slf4j;
  requires spring.aop;
  requires spring.beans;
  requires spring.boot;
  requires spring.boot.autoconfigure;
  requires spring.context;
  requires spring.core;
  requires spring.jdbc;
  requires spring.tx;
  // Optional in the pom: the actuator and the dashboard configurations are conditional on them.
  requires static spring.boot.actuator;
  requires static spring.boot.actuator.autoconfigure;
  requires static dev.awa.web;

  exports dev.awa.spring;

  // Spring instantiates the configurations and their package-private helpers, binds AwaProperties
  // and loads the failure analyzer of META-INF/spring.factories, all by reflection.
  opens dev.awa.spring to
      spring.beans,
      spring.boot,
      spring.context,
      spring.core;
}
