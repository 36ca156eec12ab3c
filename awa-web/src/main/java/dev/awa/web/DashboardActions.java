package dev.awa.web;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.internal.Jdbc;
import dev.awa.core.internal.store.DashboardSql;
import dev.awa.core.internal.store.DashboardSql.FailedJobFilter;
import dev.awa.core.internal.store.OperatorSql;
import dev.awa.maintenance.CronAdmin;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongPredicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every state-changing action of the dashboard. Job and queue actions go through {@link
 * AwaClient}'s operator API and periodic jobs through {@link CronAdmin}, so they are fenced the
 * same way as everywhere else (retry only matches a finished row, cancel only an unfinished one).
 * Deleting and the failed-job sweeps are the actions the operator API has no method for; their
 * statements are awa-core's {@link OperatorSql#deleteFinishedJob} (matches only terminal rows) and
 * {@link DashboardSql}. Each action is logged to {@value #AUDIT_LOGGER} with who asked.
 */
final class DashboardActions {
  static final String AUDIT_LOGGER = "dev.awa.web.audit";

  /** Jobs per statement of the retry-all/discard-all loops, so no statement holds many locks. */
  static final int BATCH = 500;

  private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);

  private final DataSource dataSource;
  private final AwaClient client;
  private final CronAdmin cron;
  private final int maxBulk;

  DashboardActions(DataSource dataSource, AwaClient client, CronAdmin cron, int maxBulk) {
    this.dataSource = dataSource;
    this.client = client;
    this.cron = cron;
    this.maxBulk = maxBulk;
  }

  int maxBulk() {
    return maxBulk;
  }

  ActionResult retry(long id, String actor) {
    return single(
        "retry",
        id,
        client.operator()::retryJob,
        "is available again",
        "only finished jobs are retried",
        actor);
  }

  ActionResult cancel(long id, String actor) {
    return single(
        "cancel",
        id,
        client.operator()::cancelJob,
        "cancelled",
        "only unfinished jobs are cancelled",
        actor);
  }

  ActionResult delete(long id, String actor) {
    return single(
        "delete",
        id,
        this::deleteQuietly,
        "deleted",
        "only completed, failed or cancelled jobs are deleted",
        actor);
  }

  /** One job action: 404 for an unknown id, otherwise the fenced change and its reason. */
  private ActionResult single(
      String action, long id, LongPredicate change, String done, String refusal, String actor) {
    JobRow job = client.operator().getJob(id).orElseThrow(() -> HttpError.notFound("job " + id));
    boolean applied = change.test(id);
    String message =
        applied
            ? "job " + id + " " + done
            : "job " + id + " is " + job.state().dbName() + ", " + refusal;
    return log(ActionResult.one(action, String.valueOf(id), applied, message), actor);
  }

  /** Retry, cancel or delete each of {@code ids}; unknown ids are counted, not fatal. */
  ActionResult bulk(String action, List<Long> ids, String actor) {
    long applied = 0;
    for (long id : ids) {
      boolean done =
          switch (action) {
            case "retry" -> client.operator().retryJob(id);
            case "cancel" -> client.operator().cancelJob(id);
            case "delete" -> deleteQuietly(id);
            default -> throw new BadRequestException("action", "unknown bulk action " + action);
          };
      if (done) {
        applied++;
      }
    }
    return log(
        new ActionResult(
            "bulk-" + action,
            ids.size() + " jobs",
            applied > 0,
            applied,
            applied + " of " + ids.size() + " selected jobs: " + action + " applied"),
        actor);
  }

  private boolean deleteQuietly(long id) {
    return Jdbc.withConnection(
        dataSource, "dashboard delete", c -> OperatorSql.deleteFinishedJob(c, id));
  }

  /** Failed jobs matching the filter, counted up to {@code maxBulk + 1} (never the whole table). */
  long countFailed(String queue, String kind) {
    return Jdbc.withConnection(
        dataSource,
        "dashboard count failed",
        c -> DashboardSql.countFailedJobs(c, new FailedJobFilter(queue, kind), maxBulk + 1));
  }

  /**
   * Retries failed jobs of the filter, oldest first in batches of {@value #BATCH}, at most {@code
   * expected} (the count the operator confirmed) so jobs that failed after the confirmation are not
   * swept up.
   */
  ActionResult retryFailed(String queue, String kind, long expected, String actor) {
    long limit = Math.min(expected, maxBulk);
    long retried = 0;
    long after = 0;
    while (retried < limit) {
      List<Long> ids = failedIds(queue, kind, after, (int) Math.min(BATCH, limit - retried));
      if (ids.isEmpty()) {
        break;
      }
      for (long id : ids) {
        if (client.operator().retryJob(id)) {
          retried++;
        }
      }
      after = ids.get(ids.size() - 1);
    }
    return log(
        new ActionResult(
            "retry-failed",
            target(queue, kind),
            retried > 0,
            retried,
            retried + " failed jobs retried" + scope(queue, kind)),
        actor);
  }

  /** Deletes failed jobs of the filter in batches, at most {@code expected}. */
  ActionResult discardFailed(String queue, String kind, long expected, String actor) {
    long limit = Math.min(expected, maxBulk);
    FailedJobFilter filter = new FailedJobFilter(queue, kind);
    long deleted = 0;
    while (deleted < limit) {
      int batch = (int) Math.min(BATCH, limit - deleted);
      int n =
          Jdbc.withConnection(
              dataSource,
              "dashboard discard failed",
              c -> DashboardSql.deleteFailedJobs(c, filter, batch));
      deleted += n;
      if (n < batch) {
        break;
      }
    }
    return log(
        new ActionResult(
            "discard-failed",
            target(queue, kind),
            deleted > 0,
            deleted,
            deleted + " failed jobs deleted" + scope(queue, kind)),
        actor);
  }

  private List<Long> failedIds(String queue, String kind, long after, int limit) {
    return Jdbc.withConnection(
        dataSource,
        "dashboard failed ids",
        c -> DashboardSql.failedJobIdsAfter(c, new FailedJobFilter(queue, kind), after, limit));
  }

  ActionResult pauseQueue(String queue, String actor) {
    client.operator().pauseQueue(queue);
    return log(ActionResult.one("pause-queue", queue, true, "queue " + queue + " paused"), actor);
  }

  ActionResult resumeQueue(String queue, String actor) {
    client.operator().resumeQueue(queue);
    return log(ActionResult.one("resume-queue", queue, true, "queue " + queue + " resumed"), actor);
  }

  ActionResult pauseCron(String name, String actor) {
    boolean found = cron.pause(name);
    return log(cronResult("pause-cron", name, found, "paused"), actor);
  }

  ActionResult resumeCron(String name, String actor) {
    boolean found = cron.resume(name);
    return log(cronResult("resume-cron", name, found, "resumed"), actor);
  }

  ActionResult triggerCron(String name, String actor) {
    OptionalLong id = cron.triggerNow(name);
    if (id.isEmpty()) {
      throw HttpError.notFound("periodic job " + name);
    }
    return log(
        ActionResult.one("trigger-cron", name, true, name + " enqueued as job " + id.getAsLong()),
        actor);
  }

  private static ActionResult cronResult(String action, String name, boolean found, String verb) {
    if (!found) {
      throw HttpError.notFound("periodic job " + name);
    }
    return ActionResult.one(action, name, true, name + " " + verb);
  }

  private static String target(String queue, String kind) {
    String s = scope(queue, kind).strip();
    return s.isEmpty() ? "every queue and kind" : s;
  }

  private static String scope(String queue, String kind) {
    return (queue == null ? "" : " in queue " + queue) + (kind == null ? "" : " of kind " + kind);
  }

  private static ActionResult log(ActionResult r, String actor) {
    audit.info(
        "awa dashboard action {} on {} by {}: {} ({})",
        r.action(),
        r.target(),
        actor,
        r.applied() ? "applied" : "not applied",
        r.message());
    return r;
  }
}
