package dev.awa.maintenance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls into the telemetry SPI so a misbehaving listener cannot break maintenance. */
final class Listeners {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("MaintenanceListener threw; ignoring", e);
    }
  }
}
