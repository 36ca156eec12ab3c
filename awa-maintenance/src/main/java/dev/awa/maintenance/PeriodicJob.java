package dev.awa.maintenance;

import dev.awa.core.InvalidJobException;
import dev.awa.core.NewJob;
import dev.awa.core.internal.PgText;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A job declared in code to be enqueued on a cron schedule. Declare it on the maintenance service;
 * the leader upserts it into {@code awa.cron_jobs} ({@code cron_sync}) and enqueues each fire
 * exactly once, even across leader failover.
 *
 * <pre>{@code
 * PeriodicJob.builder("nightly-report", "0 3 * * *")
 *     .timeZone(ZoneId.of("Europe/London"))
 *     .job(NewJob.builder("report").args(new ReportArgs("daily")).queue("reports").build())
 *     .build();
 * }</pre>
 */
public final class PeriodicJob {
  /** Longest schedule name. */
  public static final int MAX_NAME_LENGTH = 200;

  /** Largest catch-up limit. */
  public static final int MAX_CATCH_UP_LIMIT = 1000;

  private final String name;
  private final String cronExpression;
  private final ZoneId timeZone;
  private final NewJob job;
  private final MissedFirePolicy missedFirePolicy;
  private final int catchUpLimit;

  private PeriodicJob(Builder b) {
    this.name = b.name;
    this.cronExpression = b.cronExpression.trim();
    this.timeZone = b.timeZone;
    this.job = b.job;
    this.missedFirePolicy = b.missedFirePolicy;
    this.catchUpLimit = b.catchUpLimit;
  }

  /** Starts a periodic job named {@code name} (unique per database) firing on {@code cron}. */
  public static Builder builder(String name, String cronExpression) {
    return new Builder(name, cronExpression);
  }

  /** The schedule's name, unique per database. */
  public String name() {
    return name;
  }

  /** The cron expression (5 fields, or 6 with seconds first). */
  public String cronExpression() {
    return cronExpression;
  }

  /** The zone in which the expression is evaluated. */
  public ZoneId timeZone() {
    return timeZone;
  }

  /** The job enqueued at each fire (its run-at and unique key are ignored). */
  public NewJob job() {
    return job;
  }

  /** What happens to fires missed during an outage. */
  public MissedFirePolicy missedFirePolicy() {
    return missedFirePolicy;
  }

  /** Most missed fires enqueued per evaluation pass under {@link MissedFirePolicy#CATCH_UP}. */
  public int catchUpLimit() {
    return catchUpLimit;
  }

  /** Builder of {@link PeriodicJob}. */
  public static final class Builder {
    private final String name;
    private final String cronExpression;
    private ZoneId timeZone = ZoneOffset.UTC;
    private NewJob job;
    private MissedFirePolicy missedFirePolicy = MissedFirePolicy.COALESCE;
    private int catchUpLimit = 10;

    private Builder(String name, String cronExpression) {
      this.name = name;
      this.cronExpression = cronExpression;
    }

    /** The zone (default UTC). */
    public Builder timeZone(ZoneId zone) {
      this.timeZone = zone;
      return this;
    }

    /** The zone by id, e.g. {@code Europe/London}. */
    public Builder timeZone(String zoneId) {
      try {
        return timeZone(ZoneId.of(Objects.requireNonNull(zoneId, "timeZone")));
      } catch (DateTimeException | NullPointerException e) {
        throw new InvalidJobException("timeZone", "'" + zoneId + "' is not a known time zone id");
      }
    }

    /** The job to enqueue at each fire. */
    public Builder job(NewJob job) {
      this.job = job;
      return this;
    }

    /** The missed-fire policy (default {@link MissedFirePolicy#COALESCE}). */
    public Builder missedFirePolicy(MissedFirePolicy policy) {
      this.missedFirePolicy = policy;
      return this;
    }

    /** Most missed fires per pass under catch-up, 1 to {@value #MAX_CATCH_UP_LIMIT} (10). */
    public Builder catchUpLimit(int limit) {
      this.catchUpLimit = limit;
      return this;
    }

    /**
     * Validates everything, including the cron expression, and builds.
     *
     * @throws InvalidJobException naming the field and the limit
     */
    public PeriodicJob build() {
      if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
        throw new InvalidJobException(
            "name", "must be non-blank and at most " + MAX_NAME_LENGTH + " characters");
      }
      String nameProblem = PgText.textProblem(name);
      if (nameProblem != null) {
        throw new InvalidJobException("name", nameProblem);
      }
      CronExpressions.parse(cronExpression);
      if (timeZone == null) {
        throw new InvalidJobException("timeZone", "must not be null");
      }
      if (job == null) {
        throw new InvalidJobException("job", "must not be null");
      }
      if (missedFirePolicy == null) {
        throw new InvalidJobException("missedFirePolicy", "must not be null");
      }
      if (catchUpLimit < 1 || catchUpLimit > MAX_CATCH_UP_LIMIT) {
        throw new InvalidJobException(
            "catchUpLimit",
            "must be between 1 and " + MAX_CATCH_UP_LIMIT + ", was " + catchUpLimit);
      }
      return new PeriodicJob(this);
    }
  }
}
