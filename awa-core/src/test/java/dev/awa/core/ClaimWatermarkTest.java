package dev.awa.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.awa.core.internal.PgTime;
import dev.awa.core.internal.store.LeaseSql;
import dev.awa.core.internal.store.LeaseSql.ClaimKey;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bounded claim (adr/0007 "Third pass"): a claim from the watermark takes only rows at or after
 * it, in claim order, through an index condition; jobs made available behind the mark while a
 * backlog drains are still run exactly once; several runtimes draining with marks run every job
 * once.
 */
@AwaTest
class ClaimWatermarkTest {
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  private final List<AwaRuntime> runtimes = new ArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);

  @AfterEach
  void closeRuntimes() {
    gate.countDown();
    runtimes.forEach(AwaRuntime::close);
  }

  @Test
  void aClaimFromTheMarkTakesOnlyRowsAtOrAfterItInClaimOrderAndTheWholeQueueClaimTheRest(
      TestDatabase db) {
    AwaClient awa = AwaClient.create(db.dataSource());
    Instant base = Instant.now().minusSeconds(60);
    List<Long> ids = new ArrayList<>();
    // Enqueued out of claim order: priorities 3, 1, 2, 4 with run_at spread backwards and ties.
    int[] priorities = {3, 1, 2, 4, 2, 1, 3, 2, 2, 1};
    for (int i = 0; i < priorities.length; i++) {
      ids.add(
          awa.enqueue(
                  NewJob.builder("o")
                      .queue("wm_order")
                      .priority(priorities[i])
                      .runAt(base.minusSeconds(i % 3))
                      .build())
              .id());
    }
    List<JobRow> all = new ArrayList<>();
    for (long id : ids) {
      all.add(awa.operator().getJob(id).orElseThrow());
    }
    all.sort(ClaimOrder.INSTANCE);
    ClaimKey mark = ClaimKey.of(all.get(4));

    List<JobRow> fromMark = awa.leases().claim("wm_order", 100, DEADLINE, "w", mark);
    assertThat(fromMark)
        .extracting(JobRow::id)
        .containsExactlyElementsOf(all.subList(4, all.size()).stream().map(JobRow::id).toList());
    assertThat(fromMark).isSortedAccordingTo(ClaimOrder.INSTANCE);

    List<JobRow> behind = awa.leases().claim("wm_order", 100, DEADLINE, "w", null);
    assertThat(behind)
        .extracting(JobRow::id)
        .containsExactlyElementsOf(all.subList(0, 4).stream().map(JobRow::id).toList());
    assertThat(
            db.queryLong("SELECT count(*) FROM awa.jobs WHERE queue = 'wm_order' AND attempt <> 1"))
        .isZero();
  }

  @Test
  void theBoundedClaimStartsTheIndexScanAtTheMarkPastTheDrainedFront(TestDatabase db)
      throws Exception {
    db.update("ALTER TABLE awa.jobs SET (autovacuum_enabled = false)");
    try {
      AwaClient awa = AwaClient.create(db.dataSource());
      awa.enqueueMany(Collections.nCopies(20_000, RuntimeTesting.job("k", "wm_plan")));
      db.update("ANALYZE awa.jobs");
      // A drain's front: 15,000 rows claimed and completed leave their entries in the index.
      JobRow first = null;
      for (int i = 0; i < 150; i++) {
        List<JobRow> batch = awa.leases().claim("wm_plan", 100, DEADLINE, "w");
        awa.leases().completeMany(batch);
        first = batch.get(batch.size() - 1);
      }
      ClaimKey mark = ClaimKey.of(first);
      String whole = explainClaim(db, LeaseSql.claimSql(32), null);
      String bounded = explainClaim(db, LeaseSql.claimFromMarkSql(32), mark);
      assertThat(bounded)
          .contains("Index Scan using jobs_dequeue_idx")
          .containsPattern("Index Cond: .*ROW\\(priority, run_at, id\\) >= ROW\\(");
      assertThat(dequeueIndexBuffers(bounded)).isLessThan(dequeueIndexBuffers(whole) / 10);
    } finally {
      db.update("ALTER TABLE awa.jobs RESET (autovacuum_enabled)");
    }
  }

  /**
   * EXPLAIN (ANALYZE, BUFFERS) of one claim of the generic plan (the one a cached statement runs),
   * in a transaction that is rolled back.
   */
  private static String explainClaim(TestDatabase db, String claimSql, ClaimKey mark)
      throws Exception {
    StringBuilder sql = new StringBuilder();
    int n = 0;
    for (char ch : claimSql.toCharArray()) {
      if (ch == '?') {
        sql.append('$').append(++n);
      } else {
        sql.append(ch);
      }
    }
    String args =
        mark == null
            ? "'wm_plan', 'wm_plan', 60000, 'w'"
            : "'wm_plan', "
                + mark.priority()
                + ", '"
                + PgTime.text(mark.runAt())
                + "', "
                + mark.id()
                + ", 'wm_plan', 60000, 'w'";
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      try {
        st.execute("SET LOCAL plan_cache_mode = force_generic_plan");
        st.execute("PREPARE wm_claim AS " + sql);
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs =
            st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) EXECUTE wm_claim(" + args + ")")) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        return plan.toString();
      } finally {
        c.rollback();
        st.execute("DEALLOCATE wm_claim");
        c.setAutoCommit(true);
      }
    }
  }

  /** Shared buffers the scan of jobs_dequeue_idx touched (the line after its Index Cond). */
  private static int dequeueIndexBuffers(String plan) {
    Matcher m =
        Pattern.compile(
                "Index Scan using jobs_dequeue_idx[^\\n]*\\n(?:[^\\n]*(?:Cond|Filter)[^\\n]*\\n)*"
                    + "\\s*Buffers: shared hit=(\\d+)(?: read=(\\d+))?")
            .matcher(plan);
    assertThat(m.find()).as(plan).isTrue();
    return Integer.parseInt(m.group(1)) + (m.group(2) == null ? 0 : Integer.parseInt(m.group(2)));
  }

  @Test
  void jobsMadeAvailableBehindTheMarkWhileABacklogDrainsRunExactlyOnce(TestDatabase db) {
    String q = "wm_behind";
    int slots = 4;
    int bulk = 3_000;
    AwaClient awa = AwaClient.create(db.dataSource());
    // Claimed by another worker before the backlog exists, so its key is before every mark.
    long heldId = awa.enqueue(NewJob.builder("other").queue(q).build()).id();
    JobRow held = awa.leases().claim(q, 1, DEADLINE, "other-worker").get(0);
    assertThat(held.id()).isEqualTo(heldId);

    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    AtomicInteger blocked = new AtomicInteger();
    AtomicReference<AwaRuntime> self = new AtomicReference<>();
    AwaRuntime rt =
        AwaRuntime.builder(db.newDataSource(8, "awa-wm-behind"))
            .queue(QueueConfig.of(q, slots))
            .register(
                "bulk",
                ctx -> {
                  runs.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
                  // Once claims start at the mark, every slot waits here until the test has put
                  // jobs behind it.
                  if (self.get().claimsFromMark() > 0 && gate.getCount() > 0) {
                    blocked.incrementAndGet();
                    gate.await();
                  }
                  return JobResult.completed();
                })
            .register(
                "other",
                ctx -> {
                  runs.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
                  return JobResult.completed();
                })
            .build();
    self.set(rt);
    runtimes.add(rt);
    long[] bulkIds = awa.enqueueMany(Collections.nCopies(bulk, RuntimeTesting.job("bulk", q)));
    rt.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> blocked.get() == slots);
    assertThat(rt.claimsFromMark()).isPositive();
    assertThat(RuntimeTesting.completed(db, q)).isLessThan(bulk);

    // Behind the mark: the held job handed back (its original key) and a higher-priority job.
    assertThat(awa.leases().handBack(List.of(held))).containsExactly(heldId);
    long urgentId = awa.enqueue(NewJob.builder("other").queue(q).priority(1).build()).id();
    gate.countDown();

    RuntimeTesting.awaitCompleted(db, q, bulk + 2);
    assertThat(runs).hasSize(bulk + 2);
    assertThat(runs.get(heldId).get()).isEqualTo(1);
    assertThat(runs.get(urgentId).get()).isEqualTo(1);
    for (long id : bulkIds) {
      assertThat(runs.get(id).get()).as("runs of job %d", id).isEqualTo(1);
    }
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE queue = ? AND attempt <> 1", q))
        .isZero();
  }

  @Test
  void threeRuntimesDrainingWithMarksWhileHigherPriorityJobsArriveRunEveryJobOnce(TestDatabase db) {
    String q = "wm_many";
    int backlog = 15_000;
    int waves = 10;
    int perWave = 100;
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    for (int i = 0; i < 3; i++) {
      DataSource pool = db.newDataSource(6, "awa-wm-rt" + i);
      runtimes.add(
          AwaRuntime.builder(pool)
              .instanceId("wm-rt" + i)
              .queue(q, 8)
              .register(
                  "noop",
                  ctx -> {
                    runs.computeIfAbsent(ctx.id(), k -> new AtomicInteger()).incrementAndGet();
                    return JobResult.completed();
                  })
              .build());
    }
    AwaClient awa = runtimes.get(0).client();
    List<NewJob> jobs = new ArrayList<>();
    for (int i = 0; i < backlog; i++) {
      jobs.add(NewJob.builder("noop").queue(q).priority(2 + i % 3).build());
    }
    List<Long> ids = new ArrayList<>();
    for (long id : awa.enqueueMany(jobs)) {
      ids.add(id);
    }
    runtimes.forEach(AwaRuntime::start);
    // While the backlog drains, waves of priority-1 jobs land before every runtime's mark.
    for (int w = 1; w <= waves; w++) {
      long progress = (long) w * backlog / (waves + 2);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> RuntimeTesting.completed(db, q) >= progress);
      for (long id :
          awa.enqueueMany(
              Collections.nCopies(perWave, NewJob.builder("noop").queue(q).priority(1).build()))) {
        ids.add(id);
      }
    }
    int total = backlog + waves * perWave;
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> RuntimeTesting.completed(db, q) == total);
    assertThat(runs).hasSize(total);
    for (long id : ids) {
      assertThat(runs.get(id).get()).as("runs of job %d", id).isEqualTo(1);
    }
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE queue = ? AND attempt <> 1", q))
        .isZero();
    assertThat(runtimes.stream().mapToLong(AwaRuntime::claimsFromMark).sum()).isPositive();
  }
}
