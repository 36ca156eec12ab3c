package dev.awa.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Calls into the telemetry SPI so that a throwing listener never disturbs the runtime. */
final class Listeners {
  private static final Logger log = LoggerFactory.getLogger(Listeners.class);

  private Listeners() {}

  static void safely(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.warn("AwaListener threw; ignoring", e);
    }
  }
}
