package dev.awa.core;

/**
 * How a runtime learns that jobs are available: {@link AwaRuntime#listenerMode()} and {@link
 * AwaListener#onListenerModeChanged}. Producers always poll at the poll interval; LISTEN only makes
 * them claim sooner.
 */
public enum ListenerMode {
  /** The LISTEN session is up and a self-test NOTIFY came back: wake-ups arrive at once. */
  LISTEN,
  /**
   * No working LISTEN session: the self-test NOTIFY did not come back (a transaction pooler between
   * the runtime and PostgreSQL), or the session is down and being reopened. Producers claim every
   * poll interval and cancels wait for the next heartbeat.
   */
  POLLING,
  /** LISTEN is disabled ({@code listen(false)}), or the runtime is not running. */
  OFF
}
