package dev.awa.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.awa.core.internal.store.StatusSql;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Reports (does not assert) how long the jobs page takes with 1,000,000 rows in awa.jobs: the first
 * page, a page deep in the keyset, and the common filters, each over HTTP as a browser asks for it.
 * Opt-in because loading the rows takes a while on a shared machine:
 *
 * <pre>
 * mvn -B -pl awa-web -am test -Dtest=JobsPageScaleReport -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dawa.web.scaleReport=true
 * </pre>
 */
@AwaTest
class JobsPageScaleReport {
  static final int ROWS = Integer.getInteger("awa.web.scaleRows", 1_000_000);
  static final int REPEATS = 21;

  @Test
  void jobsPageWithAMillionRows(TestDatabase db) {
    Assumptions.assumeTrue(
        Boolean.getBoolean("awa.web.scaleReport"),
        "scale report skipped: set -Dawa.web.scaleReport=true to run it");
    long loadStart = System.nanoTime();
    // 1 in 50 failed, 1 in 10 available, the rest completed; 8 queues, 20 kinds, 1 in 100 tagged.
    db.update(
        "INSERT INTO awa.jobs (kind, queue, state, args, created_at, run_at, finalized_at, tags,"
            + " errors, attempt)"
            + " SELECT 'kind_' || (g % 20), 'queue_' || (g % 8),"
            + " CASE WHEN g % 50 = 0 THEN 'failed' WHEN g % 10 = 0 THEN 'available'"
            + " ELSE 'completed' END,"
            + " jsonb_build_object('n', g, 'to', 'user' || g || '@example.com'),"
            + " now() - (? - g) * interval '10 ms', now() - (? - g) * interval '10 ms',"
            + " CASE WHEN g % 10 = 0 AND g % 50 <> 0 THEN NULL"
            + " ELSE now() - (? - g) * interval '10 ms' END,"
            + " CASE WHEN g % 100 = 0 THEN ARRAY['vip'] ELSE '{}'::text[] END,"
            + " CASE WHEN g % 50 = 0 THEN jsonb_build_array(jsonb_build_object('attempt', 1,"
            + " 'at', now(), 'error_class', 'java.lang.IllegalStateException', 'message', 'boom'))"
            + " ELSE '[]'::jsonb END, 1"
            + " FROM generate_series(1, ?) AS g",
        ROWS, ROWS, ROWS, ROWS);
    db.update("ANALYZE awa.jobs");
    double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
    long middle = db.queryLong("SELECT min(id) + count(*) / 2 FROM awa.jobs");

    try (AwaDashboard dashboard = AwaDashboard.builder(db.dataSource()).port(0).start()) {
      Http http = new Http(dashboard.url(), Map.of());
      List<String> lines = new ArrayList<>();
      lines.add(
          String.format(
              Locale.ROOT,
              "jobs page with %,d rows in awa.jobs (loaded in %.1f s); %d requests each, 50 per page",
              ROWS,
              loadSeconds,
              REPEATS));
      Map<String, String> cases = new java.util.LinkedHashMap<>();
      cases.put("first page, newest first", "/jobs");
      cases.put("page at the middle (cursor)", "/jobs?cursor=" + middle);
      cases.put("oldest first", "/jobs?order=oldest");
      cases.put("queue=queue_3", "/jobs?queue=queue_3");
      cases.put("state=failed", "/jobs?state=failed");
      cases.put("state=failed, middle", "/jobs?state=failed&cursor=" + middle);
      cases.put("queue + kind", "/jobs?queue=queue_3&kind=kind_3");
      cases.put("tag=vip", "/jobs?tag=vip");
      cases.put("id=" + middle, "/jobs?id=" + middle);
      cases.put("JSON API first page", "/api/jobs");
      cases.put("overview (counts every row)", "/");
      DashboardQueries queries = new DashboardQueries(db.dataSource());
      for (Map.Entry<String, String> c : cases.entrySet()) {
        for (int i = 0; i < 3; i++) {
          http.get(c.getValue()); // warm-up: JIT and the buffer cache, not measured
        }
        double[] ms = new double[REPEATS];
        double[] sql = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
          long t = System.nanoTime();
          Http.Response r = http.get(c.getValue());
          ms[i] = (System.nanoTime() - t) / 1e6;
          assertThat(r.status()).as(c.getValue()).isEqualTo(200);
          if (c.getValue().startsWith("/jobs")) {
            // The statement alone, without HTTP and rendering.
            int q = c.getValue().indexOf('?');
            StatusSql.JobListQuery query =
                JobQuery.from(Params.parse(q < 0 ? null : c.getValue().substring(q + 1)));
            long s = System.nanoTime();
            queries.jobs(query);
            sql[i] = (System.nanoTime() - s) / 1e6;
          }
        }
        Arrays.sort(ms);
        Arrays.sort(sql);
        lines.add(
            String.format(
                Locale.ROOT,
                "  %-30s median %7.1f ms  p95 %7.1f ms  max %7.1f ms%s",
                c.getKey(),
                ms[REPEATS / 2],
                ms[(int) Math.ceil(REPEATS * 0.95) - 1],
                ms[REPEATS - 1],
                sql[REPEATS - 1] > 0
                    ? String.format(
                        Locale.ROOT, "   (statement alone: median %.1f ms)", sql[REPEATS / 2])
                    : ""));
      }
      lines.forEach(System.out::println);
    }
  }
}
