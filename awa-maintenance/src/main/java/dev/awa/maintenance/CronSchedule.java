package dev.awa.maintenance;

import java.time.Instant;

/**
 * A schedule as stored in {@code awa.cron_jobs}, with its next fire time.
 *
 * @param name schedule name
 * @param cronExpression the expression
 * @param timeZone zone id
 * @param kind kind of the enqueued job
 * @param queue queue of the enqueued job
 * @param missedFirePolicy missed-fire policy
 * @param paused whether evaluation skips it
 * @param lastFireAt the last fire enqueued (or the baseline it started from)
 * @param nextFireAt the next fire after now, or null if it never fires again or is paused
 */
public record CronSchedule(
    String name,
    String cronExpression,
    String timeZone,
    String kind,
    String queue,
    MissedFirePolicy missedFirePolicy,
    boolean paused,
    Instant lastFireAt,
    Instant nextFireAt) {}
