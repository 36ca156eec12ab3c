package dev.awa.metrics;

/**
 * Every meter name Awa publishes (dotted; Prometheus renders {@code awa.job.completed} as {@code
 * awa_job_completed_total}). See docs/metrics.md.
 */
public final class MeterNames {
  private MeterNames() {}

  /** Counter, tags queue and kind. */
  public static final String JOB_ENQUEUED = "awa.job.enqueued";

  /** Counter, tags queue and kind. */
  public static final String JOB_CLAIMED = "awa.job.claimed";

  /** Counter, tags queue and kind. */
  public static final String JOB_COMPLETED = "awa.job.completed";

  /** Counter, tags queue and kind. */
  public static final String JOB_RETRIED = "awa.job.retried";

  /** Counter, tags queue and kind. */
  public static final String JOB_FAILED = "awa.job.failed";

  /** Counter, tags queue and kind. */
  public static final String JOB_CANCELLED = "awa.job.cancelled";

  /** Counter, tags queue and kind. */
  public static final String JOB_SNOOZED = "awa.job.snoozed";

  /** Timer of handler time, tags queue, kind and outcome. */
  public static final String JOB_DURATION = "awa.job.duration";

  /** Timer from due (run-at) to claim, tag queue. */
  public static final String JOB_WAIT = "awa.job.wait";

  /**
   * Gauge of attempts the runtimes bound with {@link AwaMetrics#bindRuntime} hold right now (no
   * tags; summed over those runtimes).
   */
  public static final String JOB_IN_FLIGHT = "awa.job.in_flight";

  /**
   * Gauge, tag mode ({@code listen}, {@code polling}): how many runtimes of this process get their
   * wake-ups by LISTEN, and how many fell back to polling (the LISTEN self-test failed, e.g. behind
   * a transaction pooler, or the session is reconnecting).
   */
  public static final String LISTENER_MODE = "awa.runtime.listener.mode";

  /** Gauge of jobs per queue and state, from queue_stats. */
  public static final String QUEUE_DEPTH = "awa.queue.depth";

  /**
   * Gauge (seconds, Prometheus {@code awa_queue_lag_seconds}): age of the oldest due available job
   * per queue, from queue_stats.
   */
  public static final String QUEUE_LAG = "awa.queue.lag";

  /** Timer of maintenance branch bodies, tag branch. */
  public static final String BRANCH_DURATION = "awa.maintenance.branch.duration";

  /** Timer of branch start lateness (actual minus scheduled start), tag branch. */
  public static final String BRANCH_LATENESS = "awa.maintenance.branch.lateness";

  /** Counter of overrun episodes (on-time to delayed flips), tag branch. */
  public static final String BRANCH_OVERRUN = "awa.maintenance.branch.overrun";

  /** Gauge: 1 while this process leads maintenance, else 0. */
  public static final String LEADER = "awa.maintenance.leader";

  /** Counter of rescued jobs, tag kind (heartbeat, deadline, callback_timeout). */
  public static final String RESCUES = "awa.maintenance.rescues";

  /** Counter of scheduled/retryable jobs promoted to available. */
  public static final String PROMOTED = "awa.maintenance.promoted";

  /** Counter of jobs that rescues failed for good (no attempts left), tag kind. */
  public static final String RESCUES_FAILED = "awa.maintenance.rescues.failed";

  /** Counter of branch bodies that threw, tag branch. */
  public static final String BRANCH_ERRORS = "awa.maintenance.branch.errors";

  /** Counter of ticks skipped during an overrun cooldown, tag branch. */
  public static final String BRANCH_SKIPPED = "awa.maintenance.branch.skipped";

  /** Gauge: 1 while the branch is in an overrun episode (delayed), else 0; tag branch. */
  public static final String BRANCH_DELAYED = "awa.maintenance.branch.delayed";

  /** Counter of finished jobs deleted by cleanup, tag state. */
  public static final String CLEANUP_DELETED = "awa.maintenance.cleanup.deleted";

  /** Gauge of rows past retention still present after the last cleanup tick, tag state. */
  public static final String CLEANUP_BACKLOG = "awa.maintenance.cleanup.backlog";

  /** Gauge (seconds): how far past retention the oldest remaining row is, tag state. */
  public static final String CLEANUP_OVERDUE = "awa.maintenance.cleanup.overdue";

  /** Counter of priority raises by priority_aging. */
  public static final String AGED = "awa.maintenance.aged";
}
