package dev.awa.maintenance;

/** SQL of periodic jobs: the schedule table {@code awa.cron_jobs} and the fire statement. */
final class CronStatements {
  private CronStatements() {}

  /**
   * cron_sync: additive upsert of one declared schedule. Several services may declare different
   * schedules against one database, so nothing undeclared is removed, and the pause flag and the
   * last fire time belong to the database, not to the declaration. A new schedule starts from now
   * (parameter 13) so it never fires retroactively.
   */
  static final String UPSERT =
      "INSERT INTO awa.cron_jobs (name, expression, time_zone, kind, queue, args, priority,"
          + " max_attempts, tags, metadata, missed_fire_policy, catch_up_limit, last_fire_at)"
          + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?)"
          + " ON CONFLICT (name) DO UPDATE SET expression = EXCLUDED.expression,"
          + " time_zone = EXCLUDED.time_zone, kind = EXCLUDED.kind, queue = EXCLUDED.queue,"
          + " args = EXCLUDED.args, priority = EXCLUDED.priority,"
          + " max_attempts = EXCLUDED.max_attempts, tags = EXCLUDED.tags,"
          + " metadata = EXCLUDED.metadata, missed_fire_policy = EXCLUDED.missed_fire_policy,"
          + " catch_up_limit = EXCLUDED.catch_up_limit, updated_at = now()"
          // Skip the write when nothing changed, so a sync every minute creates no dead tuples.
          + " WHERE (awa.cron_jobs.expression, awa.cron_jobs.time_zone, awa.cron_jobs.kind,"
          + " awa.cron_jobs.queue, awa.cron_jobs.args, awa.cron_jobs.priority,"
          + " awa.cron_jobs.max_attempts, awa.cron_jobs.tags, awa.cron_jobs.metadata,"
          + " awa.cron_jobs.missed_fire_policy, awa.cron_jobs.catch_up_limit)"
          + " IS DISTINCT FROM (EXCLUDED.expression, EXCLUDED.time_zone, EXCLUDED.kind,"
          + " EXCLUDED.queue, EXCLUDED.args, EXCLUDED.priority, EXCLUDED.max_attempts,"
          + " EXCLUDED.tags, EXCLUDED.metadata, EXCLUDED.missed_fire_policy,"
          + " EXCLUDED.catch_up_limit)";

  static final String ACTIVE =
      "SELECT name, expression, time_zone, missed_fire_policy, catch_up_limit, last_fire_at,"
          + " created_at FROM awa.cron_jobs WHERE NOT paused ORDER BY name";

  static final String ALL =
      "SELECT name, expression, time_zone, kind, queue, missed_fire_policy, paused,"
          + " last_fire_at, created_at FROM awa.cron_jobs ORDER BY name";

  /**
   * Enqueues one fire in one statement: the compare-and-set on last_fire_at (parameter 3 is the
   * value this evaluator read) admits exactly one of several leaders evaluating the same fire.
   * Parameters: new fire time, name, previous fire time, fire time for the metadata.
   */
  static final String FIRE =
      "WITH advanced AS ("
          + " UPDATE awa.cron_jobs SET last_fire_at = ?, updated_at = now()"
          + " WHERE name = ? AND NOT paused AND last_fire_at IS NOT DISTINCT FROM ?"
          + " RETURNING name, kind, queue, args, priority, max_attempts, tags, metadata)"
          + " INSERT INTO awa.jobs (kind, queue, args, state, priority, max_attempts, tags,"
          + " metadata)"
          + " SELECT kind, queue, args, 'available', priority, max_attempts, tags,"
          + " metadata || jsonb_build_object('awa_cron',"
          + " jsonb_build_object('name', name, 'fire_at', ?::timestamptz))"
          + " FROM advanced RETURNING id";

  /** Trigger now: enqueue from the template without touching last_fire_at, even if paused. */
  static final String TRIGGER =
      "INSERT INTO awa.jobs (kind, queue, args, state, priority, max_attempts, tags, metadata)"
          + " SELECT kind, queue, args, 'available', priority, max_attempts, tags,"
          + " metadata || jsonb_build_object('awa_cron',"
          + " jsonb_build_object('name', name, 'trigger', 'manual'))"
          + " FROM awa.cron_jobs WHERE name = ? RETURNING id";

  static final String PAUSE =
      "UPDATE awa.cron_jobs SET paused = true, updated_at = now() WHERE name = ?";

  /** Resuming does not replay fires missed while paused: the schedule restarts from now. */
  static final String RESUME =
      "UPDATE awa.cron_jobs SET paused = false, updated_at = now(),"
          + " last_fire_at = greatest(coalesce(last_fire_at, ?), ?) WHERE name = ?";

  static final String DELETE = "DELETE FROM awa.cron_jobs WHERE name = ?";
}
