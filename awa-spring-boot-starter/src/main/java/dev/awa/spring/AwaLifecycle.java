package dev.awa.spring;

import dev.awa.core.AwaRuntime;
import dev.awa.maintenance.MaintenanceService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the runtime and the maintenance service once every singleton of the context exists (so no
 * worker runs before the application's beans are ready) and stops them in Boot's graceful-shutdown
 * phase: the runtime stops claiming, drains running handlers within the drain timeout, hands back
 * the rest; then the maintenance loops stop and the leader lock is released so another instance
 * takes over at its next election attempt.
 *
 * <p>Its phase is above the web server's graceful-shutdown phase, so it starts after the server and
 * stops before it: requests being served while the workers drain can still enqueue.
 */
public final class AwaLifecycle implements SmartLifecycle {
  /** The lifecycle phase: stops before Boot's web server graceful shutdown. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private static final Logger log = LoggerFactory.getLogger(AwaLifecycle.class);

  private final AwaRuntime runtime;
  private final MaintenanceService maintenance;
  private volatile boolean running;

  /**
   * A lifecycle over either or both ({@code null} when absent, e.g. {@code
   * awa.runtime.enabled=false}).
   */
  public AwaLifecycle(AwaRuntime runtime, MaintenanceService maintenance) {
    this.runtime = runtime;
    this.maintenance = maintenance;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    if (runtime != null && !runtime.isRunning()) {
      runtime.start();
    }
    if (maintenance != null) {
      maintenance.start();
    }
    running = true;
  }

  @Override
  public void stop() {
    shutDown();
  }

  /**
   * Stops on its own thread and reports to Boot's lifecycle processor when done; the processor
   * waits at most {@code spring.lifecycle.timeout-per-shutdown-phase}, which the drain timeout is
   * derived from.
   */
  @Override
  public void stop(Runnable callback) {
    Thread t =
        new Thread(
            () -> {
              try {
                shutDown();
              } finally {
                callback.run();
              }
            },
            "awa-shutdown");
    t.setDaemon(true);
    t.start();
  }

  private synchronized void shutDown() {
    if (!running) {
      return;
    }
    running = false;
    long start = System.nanoTime();
    try {
      if (runtime != null) {
        runtime.close();
      }
    } finally {
      if (maintenance != null) {
        maintenance.close();
      }
    }
    log.info("Awa stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
