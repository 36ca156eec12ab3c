package dev.awa.maintenance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The two maintenance branches behind periodic jobs. */
final class CronBranches {
  private CronBranches() {}

  /** Hygiene: upserts the schedules this process declares (additive; see docs/cron.md). */
  static final class Sync implements MaintenanceBranch {
    private final Duration interval;
    private final List<PeriodicJob> declared;
    private final ObjectMapper mapper;
    private final Clock clock;

    Sync(Duration interval, List<PeriodicJob> declared, ObjectMapper mapper, Clock clock) {
      this.interval = interval;
      this.declared = List.copyOf(declared);
      this.mapper = mapper;
      this.clock = clock;
      CronSync.checkStorable(this.declared, mapper);
    }

    @Override
    public String name() {
      return MaintenanceService.CRON_SYNC;
    }

    @Override
    public Duration interval() {
      return interval;
    }

    @Override
    public void run(BranchContext context) {
      new CronSync(context.dataSource(), declared, mapper).sync(clock.instant());
    }
  }

  /**
   * The once-a-second evaluation, on its own thread so that a slow hygiene branch cannot delay a
   * fire. It evaluates every schedule in the database, including ones declared by other services.
   */
  static final class Evaluate implements MaintenanceBranch {
    private final Duration interval;
    private final Duration statementTimeout;
    private final Clock clock;

    Evaluate(Duration interval, Duration statementTimeout, Clock clock) {
      this.interval = interval;
      this.statementTimeout = statementTimeout;
      this.clock = clock;
    }

    @Override
    public String name() {
      return MaintenanceService.CRON_EVALUATE;
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
    public void run(BranchContext context) {
      new CronEvaluator(context.dataSource(), statementTimeout).evaluate(clock.instant());
    }
  }
}
