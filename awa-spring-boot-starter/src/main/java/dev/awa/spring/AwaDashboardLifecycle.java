package dev.awa.spring;

import dev.awa.web.AwaDashboard;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * Serves the awa-web dashboard for the lifetime of the application: it binds the port after {@link
 * AwaLifecycle} has started the runtime and the maintenance service, and closes it before they stop
 * (its phase is one above theirs), so the dashboard never shows a process whose workers are not
 * running yet, and operators cannot act while the runtime drains.
 */
public final class AwaDashboardLifecycle implements SmartLifecycle {
  /** One above {@link AwaLifecycle#PHASE}: starts after the runtime, stops before it. */
  public static final int PHASE = AwaLifecycle.PHASE + 1;

  private final AwaDashboard.Builder builder;
  private final String address;
  private volatile AwaDashboard dashboard;

  /**
   * A lifecycle over a configured builder; {@code address} ({@code bind:port}) names it when the
   * port cannot be bound.
   */
  AwaDashboardLifecycle(AwaDashboard.Builder builder, String address) {
    this.builder = builder;
    this.address = address;
  }

  /** The running dashboard (its {@link AwaDashboard#url() url} and port), empty when stopped. */
  public Optional<AwaDashboard> dashboard() {
    return Optional.ofNullable(dashboard);
  }

  @Override
  public synchronized void start() {
    if (dashboard != null) {
      return;
    }
    try {
      dashboard = builder.start();
    } catch (UncheckedIOException e) {
      // Most often the port is taken (by Boot's own server.port, or another instance on the host).
      AwaPropertyException ex =
          new AwaPropertyException(
              DashboardFactory.PREFIX + "port",
              "cannot listen on " + address + " (" + e.getCause().getMessage() + ")");
      ex.initCause(e);
      throw ex;
    }
  }

  @Override
  public synchronized void stop() {
    AwaDashboard d = dashboard;
    dashboard = null;
    if (d != null) {
      d.close();
    }
  }

  @Override
  public boolean isRunning() {
    return dashboard != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
