package dev.awa.core;

/**
 * What a runtime does with a claimed job whose kind has no registered {@link Worker}. See {@code
 * adr/0004-unknown-job-kinds.md}.
 */
public enum UnknownKindPolicy {
  /**
   * Default. Record an {@code awa.unknown_kind} error naming the kind and this runtime and retry
   * with the normal backoff; the job fails once its attempts are spent. Survives rolling deploys in
   * which an old process claims a kind only the new code knows.
   */
  RETRY,
  /** Record the same error and fail the job at once. */
  FAIL
}
