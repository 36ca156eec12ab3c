package dev.awa.web;

import dev.awa.core.JobState;
import dev.awa.core.internal.store.StatusSql.JobListQuery;
import java.util.Locale;

/**
 * Reads one page request of the jobs list from the URL: filters, order and a keyset cursor, as the
 * store's {@link JobListQuery} (the statement is {@code StatusSql.listJobs}, shared with {@code awa
 * jobs list}). Jobs are ordered by id, which follows creation time (one sequence for both job
 * tables), so "newest first" is a backward walk of the primary key and the next page starts after
 * the last id seen: no {@code OFFSET} and no count of the whole table. Parameters: {@code queue},
 * {@code kind}, {@code state}, {@code tag}, {@code id} (each optional), {@code order} ({@code
 * newest}, the default, or {@code oldest}), {@code cursor} (the last id of the previous page) and
 * {@code limit} (page size, 1 to {@link #MAX_LIMIT}).
 */
final class JobQuery {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 200;

  private JobQuery() {}

  /** Reads and checks the parameters; a bad one is a {@link BadRequestException} naming it. */
  static JobListQuery from(Params p) {
    String order = p.text("order");
    boolean newestFirst;
    if (order == null || order.equals("newest")) {
      newestFirst = true;
    } else if (order.equals("oldest")) {
      newestFirst = false;
    } else {
      throw new BadRequestException("order", "must be 'newest' or 'oldest', was '" + order + "'");
    }
    return new JobListQuery(
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
}
