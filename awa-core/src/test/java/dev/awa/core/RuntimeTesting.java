package dev.awa.core;

import static org.awaitility.Awaitility.await;

import dev.awa.core.internal.JobColumns;
import dev.awa.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

  /** Jobs of {@code queue} in state {@code completed}. */
  static long completed(TestDatabase db, String queue) {
    return db.queryLong(
        "SELECT count(*) FROM awa.jobs WHERE queue = ? AND state = 'completed'", queue);
  }

  /** Waits until {@code n} jobs of {@code queue} are completed. */
  static void awaitCompleted(TestDatabase db, String queue, long n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> completed(db, queue) == n);
  }

  /**
   * Jobs of {@code kind} in {@code queue} that are running in the database (claimed) but not in
   * {@code started}: claimed into a claim-ahead buffer, handler not started.
   */
  static List<Long> claimedNotStarted(
      TestDatabase db, String queue, String kind, Set<Long> started) {
    List<Long> ids = new ArrayList<>();
    for (String id :
        db.queryStrings(
            "SELECT id FROM awa.jobs WHERE queue = ? AND kind = ? AND state = 'running'",
            queue,
            kind)) {
      if (!started.contains(Long.parseLong(id))) {
        ids.add(Long.parseLong(id));
      }
    }
    return ids;
  }
}
