package dev.awa.maintenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code cron_sync} (hygiene loop): upserts the schedules this process declares (additive; see
 * docs/cron.md). Registered only when the process declares periodic jobs.
 */
final class CronSyncBranch implements MaintenanceBranch {
  /** The branch name. */
  static final String NAME = "cron_sync";

  /** Default interval: 60 s. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  private final Duration interval;
  private final List<PeriodicJob> declared;
  private final ObjectMapper mapper;
  private final Duration statementTimeout;
  private final Clock clock;

  /**
   * @param clock the clock a new schedule starts from, or null for the database clock
   */
  CronSyncBranch(
      Duration interval,
      List<PeriodicJob> declared,
      ObjectMapper mapper,
      Duration statementTimeout,
      Clock clock) {
    this.interval = interval;
    this.declared = List.copyOf(declared);
    this.mapper = mapper;
    this.statementTimeout = statementTimeout;
    this.clock = clock;
    CronSync.checkStorable(this.declared, mapper);
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
  public void run(BranchContext context) throws Exception {
    new CronSync(context.dataSource(), declared, mapper, statementTimeout)
        .sync(clock == null ? null : clock.instant());
  }
}
