package dev.awa.core;

import dev.awa.core.internal.JobColumns;
import dev.awa.testing.TestDatabase;
import java.util.Map;

/** Small helpers for runtime tests. */
final class RuntimeTesting {
  private RuntimeTesting() {}

  /**
   * Moves due scheduled and retryable rows into awa.jobs as available: the maintenance leader's
   * promote_scheduled, which is not part of awa-core.
   */
  static int promoteDue(TestDatabase db) {
    return db.queryStrings(
            JobColumns.move(
                "awa.scheduled_jobs",
                "run_at <= now()",
                "awa.jobs",
                Map.of("state", "'available'")))
        .size();
  }

  static NewJob job(String kind, String queue) {
    return NewJob.builder(kind).queue(queue).build();
  }
}
