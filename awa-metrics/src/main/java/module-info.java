/** Awa metrics: Micrometer meters for the runtime and maintenance listener SPIs. */
module dev.awa.metrics {
  requires transitive dev.awa.core;
  requires transitive dev.awa.maintenance;
  requires transitive micrometer.core;
  requires org.slf4j;

  exports dev.awa.metrics;
}
