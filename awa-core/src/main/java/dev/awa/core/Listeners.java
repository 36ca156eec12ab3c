package dev.awa.core;

import dev.awa.core.internal.SafeCall;

/**
 * Kept so existing call sites compile: calls into the telemetry SPI through {@link SafeCall}, the
 * one safe-call helper. New code calls {@code SafeCall.run(listener, ...)} directly, which names
 * the listener's class in the log line.
 */
final class Listeners {
  /** What the log line names when the listener is not known here. */
  private static final class AwaListenerCall {}

  private static final Object TARGET = new AwaListenerCall();

  private Listeners() {}

  static void safely(Runnable call) {
    SafeCall.run(TARGET, call);
  }
}
