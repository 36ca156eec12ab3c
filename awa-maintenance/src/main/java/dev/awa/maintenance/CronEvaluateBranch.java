package dev.awa.maintenance;

import java.time.Clock;
import java.time.Duration;

/**
 * {@code cron_evaluate}: the once-a-second evaluation, on its own thread ({@link
 * MaintenanceLoop#DEDICATED}) so that a slow hygiene branch cannot delay a fire. It evaluates every
 * schedule in the database, including ones declared by other services, at the database's time.
 */
final class CronEvaluateBranch implements MaintenanceBranch {
  /** The branch name. */
  static final String NAME = "cron_evaluate";

  /** Default interval: 1 s. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

  private final Duration interval;
  private final Duration statementTimeout;
  private final Clock clock;

  /**
   * @param clock the clock deciding which fires are due, or null for the database clock
   */
  CronEvaluateBranch(Duration interval, Duration statementTimeout, Clock clock) {
    this.interval = interval;
    this.statementTimeout = statementTimeout;
    this.clock = clock;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public MaintenanceLoop loop() {
    return MaintenanceLoop.DEDICATED;
  }

  @Override
  public void run(BranchContext context) throws Exception {
    new CronEvaluator(context.dataSource(), statementTimeout)
        .evaluate(clock == null ? null : clock.instant());
  }
}
