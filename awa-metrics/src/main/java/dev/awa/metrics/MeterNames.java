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

  /** Gauge of handlers running in this process, tag queue. */
  public static final String JOB_IN_FLIGHT = "awa.job.in_flight";

  /** Gauge of jobs per queue and state, from queue_stats. */
  public static final String QUEUE_DEPTH = "awa.queue.depth";

  /** Gauge (seconds): age of the oldest available job per queue, from queue_stats. */
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
}
