package dev.awa.web;

import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.core.internal.Jdbc;
import dev.awa.maintenance.CronAdmin;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
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
 * Deleting is the one action the operator API has no method for: a single statement that matches
 * only terminal rows. Each action is logged to {@value #AUDIT_LOGGER} with who asked.
 */
final class DashboardActions {
  static final String AUDIT_LOGGER = "dev.awa.web.audit";

  /** Jobs per statement of the retry-all/discard-all loops, so no statement holds many locks. */
  static final int BATCH = 500;

  private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);

  static final String DELETE_TERMINAL =
      "DELETE FROM awa.jobs WHERE id = ? AND state IN ('completed', 'failed', 'cancelled')"
          + " RETURNING id";

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
        dataSource,
        "dashboard delete",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(DELETE_TERMINAL)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  /** Failed jobs matching the filter, counted up to {@code maxBulk + 1} (never the whole table). */
  long countFailed(String queue, String kind) {
    String sql =
        "SELECT count(*) FROM (SELECT 1 FROM awa.jobs WHERE state = 'failed'"
            + filter(queue, kind)
            + " LIMIT ?) AS capped";
    return Jdbc.withConnection(
        dataSource,
        "dashboard count failed",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bind(ps, 1, queue, kind);
            ps.setInt(i, maxBulk + 1);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
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
    String sql =
        "DELETE FROM awa.jobs WHERE id IN (SELECT id FROM awa.jobs WHERE state = 'failed'"
            + filter(queue, kind)
            + " ORDER BY id LIMIT ?) AND state = 'failed'";
    long deleted = 0;
    while (deleted < limit) {
      int batch = (int) Math.min(BATCH, limit - deleted);
      int n =
          Jdbc.withConnection(
              dataSource,
              "dashboard discard failed",
              c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                  int i = bind(ps, 1, queue, kind);
                  ps.setInt(i, batch);
                  return ps.executeUpdate();
                }
              });
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
    String sql =
        "SELECT id FROM awa.jobs WHERE state = 'failed'"
            + filter(queue, kind)
            + " AND id > ? ORDER BY id LIMIT ?";
    return Jdbc.withConnection(
        dataSource,
        "dashboard failed ids",
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = bind(ps, 1, queue, kind);
            ps.setLong(i++, after);
            ps.setInt(i, limit);
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getLong(1));
              }
            }
            return out;
          }
        });
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

  private static String filter(String queue, String kind) {
    return (queue == null ? "" : " AND queue = ?") + (kind == null ? "" : " AND kind = ?");
  }

  private static int bind(PreparedStatement ps, int i, String queue, String kind)
      throws java.sql.SQLException {
    if (queue != null) {
      ps.setString(i++, queue);
    }
    if (kind != null) {
      ps.setString(i++, kind);
    }
    return i;
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
