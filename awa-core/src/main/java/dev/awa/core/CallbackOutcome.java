package dev.awa.core;

/** What resolving a callback did. Exactly one concurrent resolution gets {@link #RESOLVED}. */
public enum CallbackOutcome {
  /** This call resolved the callback. */
  RESOLVED,
  /** The callback exists but was already resolved (or timed out); nothing changed. */
  ALREADY_RESOLVED,
  /** No job has this callback id. */
  NOT_FOUND
}
