package dev.awa.cli;

import dev.awa.core.AwaListener;
import dev.awa.maintenance.MaintenanceListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.Method;

/**
 * Binds the Awa telemetry SPI to a Micrometer registry for {@code awa demo --metrics-port}.
 *
 * <p>The real binding is {@code dev.awa.metrics.AwaMetrics.bind(MeterRegistry)}, which returns one
 * object implementing both {@link AwaListener} and {@link MaintenanceListener}. It is looked up by
 * name so this build works whether or not {@code awa-metrics} already ships it; without it the
 * demo's own {@link FallbackMeters} serve the same meter names. Once {@code AwaMetrics} is in every
 * build, replace the lookup with the direct call and delete {@link FallbackMeters}.
 *
 * @param runtime the bound runtime listener
 * @param maintenance the bound maintenance listener
 * @param source {@code awa-metrics} or {@code demo fallback meters}, for the startup line
 */
record MetricsBinding(AwaListener runtime, MaintenanceListener maintenance, String source) {
  private static final String AWA_METRICS = "dev.awa.metrics.AwaMetrics";

  /** Binds {@code registry} with awa-metrics when present, the fallback meters otherwise. */
  static MetricsBinding bind(MeterRegistry registry) {
    Object bound = bindWithAwaMetrics(registry);
    if (bound instanceof AwaListener runtime && bound instanceof MaintenanceListener maintenance) {
      return new MetricsBinding(runtime, maintenance, "awa-metrics");
    }
    FallbackMeters fallback = new FallbackMeters(registry);
    return new MetricsBinding(fallback, fallback, "demo fallback meters");
  }

  private static Object bindWithAwaMetrics(MeterRegistry registry) {
    try {
      Class<?> type = Class.forName(AWA_METRICS);
      Method bind = type.getMethod("bind", MeterRegistry.class);
      return bind.invoke(null, registry);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null; // not in this build
    }
  }
}
