package dev.awa.web;

import dev.awa.core.JobState;
import java.util.Locale;

/**
 * One page request of the jobs list: filters, order and a keyset cursor. Jobs are ordered by id,
 * which follows creation time (one sequence for both job tables), so "newest first" is a backward
 * walk of the primary key and the next page starts after the last id seen: no {@code OFFSET} and no
 * count of the whole table.
 *
 * @param queue exact queue name, or null
 * @param kind exact kind, or null
 * @param state one state, or null for all
 * @param tag a tag the job must carry, or null
 * @param id one job id, or null
 * @param newestFirst id descending (default) or ascending
 * @param cursor the last id of the previous page (exclusive), or null for the first page
 * @param limit page size, 1 to {@link #MAX_LIMIT}
 */
record JobQuery(
    String queue,
    String kind,
    JobState state,
    String tag,
    Long id,
    boolean newestFirst,
    Long cursor,
    int limit) {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  /** Reads and checks the parameters; a bad one is a {@link BadRequestException} naming it. */
  static JobQuery from(Params p) {
    String order = p.text("order");
    boolean newestFirst;
    if (order == null || order.equals("newest")) {
      newestFirst = true;
    } else if (order.equals("oldest")) {
      newestFirst = false;
    } else {
      throw new BadRequestException("order", "must be 'newest' or 'oldest', was '" + order + "'");
    }
    return new JobQuery(
        p.text("queue"),
        p.text("kind"),
        state(p.text("state")),
        p.text("tag"),
        p.id("id"),
        newestFirst,
        p.id("cursor"),
        p.intInRange("limit", 1, MAX_LIMIT, DEFAULT_LIMIT));
  }

  static JobState state(String s) {
    if (s == null) {
      return null;
    }
    for (JobState js : JobState.values()) {
      if (js.dbName().equals(s.toLowerCase(Locale.ROOT))) {
        return js;
      }
    }
    throw new BadRequestException("state", "unknown state '" + s + "'");
  }

  /** Rows in this state can only be in awa.scheduled_jobs. */
  boolean readsScheduledTable() {
    return state == null || state == JobState.SCHEDULED || state == JobState.RETRYABLE;
  }

  boolean readsJobsTable() {
    return state == null || !(state == JobState.SCHEDULED || state == JobState.RETRYABLE);
  }

  /** The same filter and order, starting after {@code lastId}. */
  JobQuery after(long lastId) {
    return new JobQuery(queue, kind, state, tag, id, newestFirst, lastId, limit);
  }
}
