package dev.awa.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.awa.core.AwaClient;
import dev.awa.core.JobRow;
import dev.awa.testing.AwaTest;
import dev.awa.testing.TestDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every endpoint, filter and action of the JSON API against a real PostgreSQL. */
@AwaTest
class DashboardApiTest {
  static final String XSS = "<script>alert('x')</script>";

  static AwaDashboard dashboard;
  static Http http;
  static Http csrf;
  static AwaClient client;
  static Fixtures fx;
  final TestDatabase db;

  DashboardApiTest(TestDatabase db) {
    this.db = db;
  }

  @BeforeAll
  static void start(TestDatabase db) {
    client = AwaClient.create(db.dataSource());
    fx = new Fixtures(client);
    dashboard = AwaDashboard.builder(db.dataSource()).port(0).start();
    http = new Http(dashboard.url(), Map.of());
    String token = http.get("/api/session").json().get("csrfToken").asText();
    csrf = http.with(Map.of("X-Awa-Csrf", token));
  }

  @AfterAll
  static void stop() {
    dashboard.close();
  }

  @BeforeEach
  void clean() {
    db.truncateJobs();
    db.update("TRUNCATE awa.queue_meta, awa.cron_jobs, awa.runtime_instances, awa.leader_history");
  }

  @Test
  void overviewCountsEveryStatePerQueue() {
    fx.available("mail", "send");
    fx.available("mail", "send");
    fx.completed("mail", "send");
    fx.failed("mail", "send", "boom");
    fx.scheduled("reports", "build");
    client.operator().pauseQueue("reports");

    JsonNode o = http.get("/api/overview").json();
    JsonNode mail = queue(o, "mail");
    assertThat(mail.get("counts").get("available").asLong()).isEqualTo(2);
    assertThat(mail.get("counts").get("completed").asLong()).isEqualTo(1);
    assertThat(mail.get("counts").get("failed").asLong()).isEqualTo(1);
    assertThat(mail.get("paused").asBoolean()).isFalse();
    assertThat(mail.get("lagSeconds").isNumber()).isTrue();
    assertThat(mail.get("completedRecent").asLong()).isEqualTo(1);
    assertThat(mail.get("failedRecent").asLong()).isEqualTo(1);
    JsonNode reports = queue(o, "reports");
    assertThat(reports.get("counts").get("scheduled").asLong()).isEqualTo(1);
    assertThat(reports.get("paused").asBoolean()).isTrue();
    assertThat(reports.get("lagSeconds").isNull()).isTrue();

    long completed = 0;
    for (JsonNode p : o.get("throughput")) {
      completed += p.get("completed").asLong();
    }
    assertThat(o.get("throughput")).hasSize(DashboardQueries.THROUGHPUT_MINUTES);
    assertThat(completed).isEqualTo(1);
    // No maintenance leader runs in this test: the banner says so.
    assertThat(o.get("health").get("leader").isNull()).isTrue();
    assertThat(o.get("health").get("problems").get(0).asText()).contains("No maintenance leader");
    assertThat(http.get("/").body())
        .contains("id=\"health-banner\"")
        .contains("No maintenance leader");
  }

  @Test
  void jobsFilterByQueueKindStateTagAndId() {
    JobRow a = fx.available("mail", "send", "vip");
    JobRow b = fx.available("mail", "digest");
    JobRow c = fx.failed("billing", "charge", "card declined");
    JobRow d = fx.scheduled("billing", "charge");

    assertThat(ids("/api/jobs")).containsExactly(d.id(), c.id(), b.id(), a.id());
    assertThat(ids("/api/jobs?order=oldest")).containsExactly(a.id(), b.id(), c.id(), d.id());
    assertThat(ids("/api/jobs?queue=mail")).containsExactly(b.id(), a.id());
    assertThat(ids("/api/jobs?kind=charge")).containsExactly(d.id(), c.id());
    assertThat(ids("/api/jobs?state=failed")).containsExactly(c.id());
    assertThat(ids("/api/jobs?state=scheduled")).containsExactly(d.id());
    assertThat(ids("/api/jobs?tag=vip")).containsExactly(a.id());
    assertThat(ids("/api/jobs?id=" + b.id())).containsExactly(b.id());
    assertThat(ids("/api/jobs?queue=billing&state=available")).isEmpty();
    assertThat(ids("/api/jobs?queue=nope")).isEmpty();
  }

  @Test
  void keysetPagesVisitEveryJobOnce() {
    List<Long> enqueued = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      enqueued.add(i % 3 == 0 ? fx.scheduled("q", "k").id() : fx.available("q", "k").id());
    }
    for (String order : List.of("newest", "oldest")) {
      List<Long> seen = new ArrayList<>();
      String path = "/api/jobs?limit=5&order=" + order;
      int pages = 0;
      while (path != null) {
        JsonNode page = http.get(path).json();
        page.get("jobs").forEach(j -> seen.add(j.get("id").asLong()));
        JsonNode next = page.get("nextCursor");
        path =
            next.isNull() ? null : "/api/jobs?limit=5&order=" + order + "&cursor=" + next.asLong();
        pages++;
      }
      assertThat(pages).isEqualTo(5);
      assertThat(new HashSet<>(seen)).hasSize(23).containsExactlyInAnyOrderElementsOf(enqueued);
      List<Long> sorted = new ArrayList<>(seen);
      sorted.sort(order.equals("newest") ? java.util.Comparator.reverseOrder() : null);
      assertThat(seen).isEqualTo(sorted);
    }
  }

  @Test
  void badParametersAre400NamingTheField() {
    assertBad(http.get("/api/jobs?limit=0"), "limit");
    assertBad(http.get("/api/jobs?limit=201"), "limit");
    assertBad(http.get("/api/jobs?limit=ten"), "limit");
    assertBad(http.get("/api/jobs?state=exploded"), "state");
    assertBad(http.get("/api/jobs?id=-3"), "id");
    assertBad(http.get("/api/jobs?cursor=abc"), "cursor");
    assertBad(http.get("/api/jobs?order=sideways"), "order");
    assertBad(http.get("/api/jobs?queue=" + "q".repeat(201)), "queue");
    assertBad(http.get("/api/jobs?queue=a&queue=b"), "queue");
    assertBad(http.get("/api/jobs/abc"), "id");
    Http.Response page = http.get("/jobs?state=%3Cscript%3E");
    assertThat(page.status()).isEqualTo(400);
    assertThat(page.body()).contains("&lt;script&gt;").doesNotContain("<script>");
    assertThat(http.get("/api/jobs?x=" + "y".repeat(5000)).status()).isEqualTo(414);
    assertThat(http.get("/api/nope").status()).isEqualTo(404);
    assertThat(http.get("/api/jobs/999999").status()).isEqualTo(404);
    assertThat(http.method("DELETE", "/api/jobs/1").status()).isEqualTo(405);
    assertThat(http.post("/jobs", "{}").status()).isEqualTo(405);
  }

  @Test
  void jobDetailShowsArgsErrorsTimelineAndUniqueKey() {
    JobRow failed =
        fx.failed("mail", "send", "first line\n\tat dev.awa.Example.run(Example.java:1)");
    JsonNode j = http.get("/api/jobs/" + failed.id()).json();
    assertThat(j.get("state").asText()).isEqualTo("failed");
    assertThat(j.get("errors").get(0).get("message").asText()).contains("Example.java:1");
    assertThat(j.get("errors").get(0).get("error_class").asText())
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(j.get("finalizedAt").asText()).endsWith("Z");
    assertThat(j.get("callbackState").asText()).isEqualTo("none");

    JobRow unique =
        client.enqueue(
            dev.awa.core.NewJob.builder("send")
                .queue("mail")
                .args(Map.of("to", "a@example.com"))
                .uniqueKey("mail:a")
                .build());
    JsonNode u = http.get("/api/jobs/" + unique.id()).json();
    assertThat(u.get("uniqueKey").asText()).isEqualTo("mail:a");
    assertThat(u.get("args").get("to").asText()).isEqualTo("a@example.com");
    String html = http.get("/jobs/" + unique.id()).body();
    assertThat(html).contains("mail:a").contains("&quot;to&quot; : &quot;a@example.com&quot;");
    assertThat(http.get("/jobs/" + failed.id()).body()).contains("Example.java:1");
  }

  @Test
  void scriptInArgsAndErrorsIsEscapedInJsonAndHtml() {
    JobRow job = fx.availableWithArgs("mail", "send", Map.of("name", XSS));
    JobRow failed = fx.failed("mail", XSS, XSS);
    for (long id : List.of(job.id(), failed.id())) {
      Http.Response api = http.get("/api/jobs/" + id);
      assertThat(api.body()).doesNotContain("<script>").contains("\\u003Cscript\\u003E");
      Http.Response page = http.get("/jobs/" + id);
      assertThat(page.body()).doesNotContain(XSS).contains("&lt;script&gt;alert(&#39;x&#39;)");
    }
    assertThat(http.get("/api/jobs/" + job.id()).json().get("args").get("name").asText())
        .isEqualTo(XSS);
    assertThat(http.get("/jobs").body()).doesNotContain(XSS).contains("&lt;script&gt;");
    assertThat(http.get("/api/jobs").body()).doesNotContain("<script>");
    assertThat(http.get("/").headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'");
  }

  @Test
  void retryCancelAndDeleteAreFencedAndIdempotent() {
    JobRow failed = fx.failed("mail", "send", "boom");
    JsonNode r = csrf.post("/api/jobs/" + failed.id() + "/retry", "").json();
    assertThat(r.get("applied").asBoolean()).isTrue();
    assertThat(state(failed.id())).isEqualTo("available");
    JsonNode again = csrf.post("/api/jobs/" + failed.id() + "/retry", "").json();
    assertThat(again.get("applied").asBoolean()).isFalse();
    assertThat(again.get("message").asText()).contains("only finished jobs");

    // delete refuses a job that is not terminal
    JsonNode notDeleted = csrf.post("/api/jobs/" + failed.id() + "/delete", "").json();
    assertThat(notDeleted.get("applied").asBoolean()).isFalse();
    assertThat(state(failed.id())).isEqualTo("available");

    JsonNode cancel = csrf.post("/api/jobs/" + failed.id() + "/cancel", "").json();
    assertThat(cancel.get("applied").asBoolean()).isTrue();
    assertThat(state(failed.id())).isEqualTo("cancelled");
    assertThat(
            csrf.post("/api/jobs/" + failed.id() + "/cancel", "").json().get("applied").asBoolean())
        .isFalse();

    JobRow scheduled = fx.scheduled("mail", "later");
    assertThat(
            csrf.post("/api/jobs/" + scheduled.id() + "/cancel", "")
                .json()
                .get("applied")
                .asBoolean())
        .isTrue();
    assertThat(state(scheduled.id())).isEqualTo("cancelled");

    JsonNode deleted = csrf.post("/api/jobs/" + failed.id() + "/delete", "").json();
    assertThat(deleted.get("applied").asBoolean()).isTrue();
    assertThat(client.operator().getJob(failed.id())).isEmpty();
    assertThat(csrf.post("/api/jobs/" + failed.id() + "/delete", "").status()).isEqualTo(404);
    assertThat(csrf.post("/api/jobs/999999/retry", "").status()).isEqualTo(404);
    assertThat(csrf.post("/api/jobs/" + failed.id() + "/explode", "").status()).isEqualTo(404);
  }

  @Test
  void bulkActionsOnSelectedIds() {
    JobRow a = fx.failed("mail", "send", "x");
    JobRow b = fx.failed("mail", "send", "y");
    JobRow c = fx.available("mail", "send");
    JsonNode r =
        csrf.post(
                "/api/jobs/bulk/retry", "{\"ids\":[" + a.id() + "," + b.id() + "," + c.id() + "]}")
            .json();
    assertThat(r.get("affected").asLong()).isEqualTo(2);
    assertThat(state(a.id())).isEqualTo("available");
    JsonNode cancelled =
        csrf.post("/api/jobs/bulk/cancel", "{\"ids\":[" + a.id() + "," + b.id() + "]}").json();
    assertThat(cancelled.get("affected").asLong()).isEqualTo(2);
    JsonNode deleted =
        csrf.post("/api/jobs/bulk/delete", "{\"ids\":[" + a.id() + "," + c.id() + "]}").json();
    assertThat(deleted.get("affected").asLong()).isEqualTo(1);
    assertThat(client.operator().getJob(a.id())).isEmpty();
    assertThat(client.operator().getJob(c.id())).isPresent();

    assertBad(csrf.post("/api/jobs/bulk/retry", "{\"ids\":[]}"), "ids");
    assertBad(csrf.post("/api/jobs/bulk/retry", "{\"ids\":[\"1; drop\"]}"), "ids");
    assertBad(csrf.post("/api/jobs/bulk/retry", "not json"), "body");
    assertBad(csrf.post("/api/jobs/bulk/retry", "[1,2]"), "body");
    assertThat(csrf.post("/api/jobs/bulk/retry", "{\"ids\":[" + "1,".repeat(9000) + "1]}").status())
        .isEqualTo(413);
  }

  @Test
  void retryAllAndDiscardAllFailedStopAtTheConfirmedCount() {
    List<Long> mailFailed = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mailFailed.add(fx.failed("mail", "send", "boom " + i).id());
    }
    JobRow otherKind = fx.failed("mail", "digest", "other");
    JobRow otherQueue = fx.failed("billing", "send", "other");

    JsonNode count = http.get("/api/failed/count?queue=mail&kind=send").json();
    assertThat(count.get("count").asLong()).isEqualTo(5);
    assertThat(count.get("capped").asBoolean()).isFalse();
    assertThat(http.get("/api/failed/count").json().get("count").asLong()).isEqualTo(7);

    assertBad(csrf.post("/api/failed/retry", "{\"queue\":\"mail\"}"), "expected");
    assertBad(csrf.post("/api/failed/retry", "{\"queue\":\"mail\",\"expected\":0}"), "expected");
    assertBad(csrf.post("/api/failed/retry", "{\"queue\":7,\"expected\":1}"), "queue");

    JsonNode r =
        csrf.post("/api/failed/retry", "{\"queue\":\"mail\",\"kind\":\"send\",\"expected\":3}")
            .json();
    assertThat(r.get("affected").asLong()).isEqualTo(3);
    assertThat(db.countJobs("failed")).isEqualTo(4);
    assertThat(state(otherKind.id())).isEqualTo("failed");
    assertThat(state(otherQueue.id())).isEqualTo("failed");

    JsonNode d =
        csrf.post("/api/failed/discard", "{\"queue\":\"mail\",\"kind\":\"send\",\"expected\":10}")
            .json();
    assertThat(d.get("affected").asLong()).isEqualTo(2);
    assertThat(db.countJobs("failed")).isEqualTo(2);
    assertThat(db.countJobs("available")).isEqualTo(3);
  }

  @Test
  void pauseAndResumeQueue() {
    fx.available("mail", "send");
    assertThat(csrf.post("/api/queues/mail/pause", "").json().get("applied").asBoolean()).isTrue();
    assertThat(db.queryLong("SELECT count(*) FROM awa.queue_meta WHERE queue = 'mail' AND paused"))
        .isEqualTo(1);
    assertThat(client.leases().claim("mail", 10, java.time.Duration.ofMinutes(1), "t")).isEmpty();
    assertThat(queue(http.get("/api/overview").json(), "mail").get("paused").asBoolean()).isTrue();
    csrf.post("/api/queues/mail/resume", "");
    assertThat(client.leases().claim("mail", 10, java.time.Duration.ofMinutes(1), "t")).hasSize(1);
    // Queue names travel percent-encoded in the path.
    assertThat(csrf.post("/api/queues/a%20b%2Fc/pause", "").json().get("target").asText())
        .isEqualTo("a b/c");
    assertBad(csrf.post("/api/queues/" + "q".repeat(201) + "/pause", ""), "queue");
  }

  @Test
  void periodicJobsListPauseResumeTrigger() {
    db.update(
        "INSERT INTO awa.cron_jobs (name, expression, time_zone, kind, queue, last_fire_at)"
            + " VALUES ('nightly', '0 0 3 * * *', 'Europe/Paris', 'report', 'reports', now())");
    JsonNode list = http.get("/api/cron").json().get("schedules");
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("timeZone").asText()).isEqualTo("Europe/Paris");
    assertThat(list.get(0).get("nextFireAt").isNull()).isFalse();
    assertThat(http.get("/cron").body()).contains("nightly").contains("0 0 3 * * *");

    csrf.post("/api/cron/nightly/pause", "");
    assertThat(http.get("/api/cron").json().get("schedules").get(0).get("paused").asBoolean())
        .isTrue();
    csrf.post("/api/cron/nightly/resume", "");
    assertThat(http.get("/api/cron").json().get("schedules").get(0).get("paused").asBoolean())
        .isFalse();
    JsonNode t = csrf.post("/api/cron/nightly/trigger", "").json();
    assertThat(t.get("message").asText()).contains("enqueued as job");
    assertThat(db.queryLong("SELECT count(*) FROM awa.jobs WHERE kind = 'report'")).isEqualTo(1);
    assertThat(csrf.post("/api/cron/missing/trigger", "").status()).isEqualTo(404);
    assertThat(csrf.post("/api/cron/missing/pause", "").status()).isEqualTo(404);
  }

  @Test
  void stateChangesNeedTheCsrfTokenAndSameOrigin() {
    JobRow failed = fx.failed("mail", "send", "boom");
    Http.Response none = http.post("/api/jobs/" + failed.id() + "/retry", "");
    assertThat(none.status()).isEqualTo(403);
    assertThat(none.json().get("error").asText()).isEqualTo("csrf");
    Http.Response wrong =
        http.with(Map.of("X-Awa-Csrf", "0".repeat(64)))
            .post("/api/jobs/" + failed.id() + "/retry", "");
    assertThat(wrong.status()).isEqualTo(403);
    Http.Response crossOrigin =
        csrf.with(Map.of("Origin", "http://evil.example"))
            .post("/api/jobs/" + failed.id() + "/retry", "");
    assertThat(crossOrigin.status()).isEqualTo(403);
    assertThat(state(failed.id())).isEqualTo("failed");
    String sameOrigin = "http://127.0.0.1:" + dashboard.port();
    assertThat(
            csrf.with(Map.of("Origin", sameOrigin))
                .post("/api/jobs/" + failed.id() + "/retry", "")
                .status())
        .isEqualTo(200);
  }

  @Test
  void readOnlyRefusesAndHidesEveryAction(TestDatabase db) {
    JobRow failed = fx.failed("mail", "send", "boom");
    try (AwaDashboard ro = AwaDashboard.builder(db.dataSource()).port(0).readOnly(true).start()) {
      Http roHttp = new Http(ro.url(), Map.of());
      String token = roHttp.get("/api/session").json().get("csrfToken").asText();
      assertThat(roHttp.get("/api/session").json().get("readOnly").asBoolean()).isTrue();
      Http roCsrf = roHttp.with(Map.of("X-Awa-Csrf", token));
      for (String path :
          List.of(
              "/api/jobs/" + failed.id() + "/retry",
              "/api/jobs/" + failed.id() + "/delete",
              "/api/jobs/bulk/retry",
              "/api/failed/retry",
              "/api/failed/discard",
              "/api/queues/mail/pause",
              "/api/cron/x/trigger")) {
        Http.Response r = roCsrf.post(path, "{\"ids\":[1],\"expected\":1}");
        assertThat(r.status()).as(path).isEqualTo(403);
        assertThat(r.json().get("error").asText()).isEqualTo("read_only");
      }
      assertThat(state(failed.id())).isEqualTo("failed");
      for (String page : List.of("/", "/jobs", "/jobs/" + failed.id(), "/cron")) {
        assertThat(roHttp.get(page).body())
            .as(page)
            .doesNotContain("data-action")
            .doesNotContain("failed-action");
      }
    }
    assertThat(http.get("/jobs/" + failed.id()).body()).contains("data-action");
  }

  @Test
  void bearerTokenIsRequiredWhenConfigured(TestDatabase db) {
    String token = "s3cret-token-0123456789";
    try (AwaDashboard secured =
        AwaDashboard.builder(db.dataSource()).port(0).bearerToken(token).start()) {
      Http anon = new Http(secured.url(), Map.of());
      assertThat(anon.get("/api/overview").status()).isEqualTo(401);
      assertThat(anon.get("/").status()).isEqualTo(401);
      assertThat(anon.get("/").body()).doesNotContain("Exception");
      Http bad = anon.with(Map.of("Authorization", "Bearer " + token + "x"));
      assertThat(bad.get("/api/overview").status()).isEqualTo(401);
      Http good = anon.with(Map.of("Authorization", "Bearer " + token));
      assertThat(good.get("/api/overview").status()).isEqualTo(200);
      assertThat(good.get("/api/session").json().get("actor").asText()).isEqualTo("token");

      // Browser login: the token becomes a cookie holding its digest, not the token.
      assertThat(anon.get("/login?token=wrong").status()).isEqualTo(401);
      Http.Response login = anon.get("/login?token=" + token);
      assertThat(login.status()).isEqualTo(303);
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain(token);
      Http browser = anon.with(Map.of("Cookie", cookie.substring(0, cookie.indexOf(';'))));
      assertThat(browser.get("/").status()).isEqualTo(200);
      assertThat(anon.with(Map.of("Cookie", "awa_token=forged")).get("/").status()).isEqualTo(401);
    }
  }

  @Test
  void basicAuthNamesTheActor(TestDatabase db) {
    try (AwaDashboard secured =
        AwaDashboard.builder(db.dataSource()).port(0).basicAuth("ops", "correct-horse").start()) {
      Http anon = new Http(secured.url(), Map.of());
      Http.Response r = anon.get("/api/overview");
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Basic");
      assertThat(anon.with(Map.of("Authorization", basic("ops", "wrong-horse"))).get("/").status())
          .isEqualTo(401);
      assertThat(anon.with(Map.of("Authorization", "Basic !!!")).get("/").status()).isEqualTo(401);
      Http ops = anon.with(Map.of("Authorization", basic("ops", "correct-horse")));
      assertThat(ops.get("/api/session").json().get("actor").asText()).isEqualTo("ops");
    }
  }

  @Test
  void staticAssetsComeFromTheJar() {
    Http.Response js = http.get("/static/awa.js");
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
    assertThat(js.body())
        .contains("X-Awa-Csrf")
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(http.get("/static/awa.css").status()).isEqualTo(200);
    assertThat(http.get("/static/..%2Fawa.js").status()).isEqualTo(404);
    assertThat(http.get("/static/AwaDashboard.class").status()).isEqualTo(404);
    assertThat(http.get("/").body()).doesNotContain("https://").doesNotContain("http://");
  }

  @Test
  void maintenanceShowsBranchesLayoutAndLeader(TestDatabase db) throws Exception {
    try (dev.awa.maintenance.MaintenanceService m =
        dev.awa.maintenance.MaintenanceService.builder(db.dataSource())
            .electionInterval(java.time.Duration.ofMillis(200))
            .interval(
                dev.awa.maintenance.MaintenanceService.REFRESH_ADMIN_METADATA,
                java.time.Duration.ofMillis(200))
            .build()
            .start()) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(() -> http.get("/api/maintenance").json().get("branches").size() >= 5);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .until(
              () ->
                  http.get("/api/maintenance")
                      .json()
                      .get("health")
                      .get("leader")
                      .asText()
                      .equals(m.instanceId()));
      JsonNode mt = http.get("/api/maintenance").json();
      assertThat(mt.get("layout").asText()).isEqualTo("SPLIT");
      Set<String> branches = new HashSet<>();
      mt.get("branches").forEach(b -> branches.add(b.get("branch").asText()));
      assertThat(branches).contains("promote_scheduled", "rescue_stale_heartbeats");
      // The leader records each branch's interval and percentiles over its recent runs (V3).
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonNode promote = branch(http.get("/api/maintenance").json(), "promote_scheduled");
                assertThat(promote.get("recentRuns").asInt()).isPositive();
                assertThat(promote.get("intervalMs").asDouble()).isPositive();
                assertThat(promote.get("durationP99Ms").asDouble())
                    .isGreaterThanOrEqualTo(promote.get("durationP50Ms").asDouble());
                assertThat(promote.get("latenessP99Ms").isNumber()).isTrue();
              });
      assertThat(mt.get("leaders").get(0).get("current").asBoolean()).isTrue();
      assertThat(mt.get("leaders").get(0).get("instanceId").asText()).isEqualTo(m.instanceId());
      String html = http.get("/maintenance").body();
      assertThat(html)
          .contains("promote_scheduled")
          .contains("SPLIT")
          .doesNotContain("health-banner");
    }
  }

  // ---------------------------------------------------------------- helpers

  private static String basic(String user, String password) {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static JsonNode branch(JsonNode maintenance, String name) {
    for (JsonNode b : maintenance.get("branches")) {
      if (b.get("branch").asText().equals(name)) {
        return b;
      }
    }
    throw new AssertionError("no branch " + name + " in " + maintenance);
  }

  private static JsonNode queue(JsonNode overview, String name) {
    for (JsonNode q : overview.get("queues")) {
      if (q.get("queue").asText().equals(name)) {
        return q;
      }
    }
    throw new AssertionError("no queue " + name + " in " + overview);
  }

  private static List<Long> ids(String path) {
    Http.Response r = http.get(path);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<Long> out = new ArrayList<>();
    r.json().get("jobs").forEach(j -> out.add(j.get("id").asLong()));
    return out;
  }

  private static void assertBad(Http.Response r, String field) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    JsonNode j = r.json();
    assertThat(j.get("error").asText()).isEqualTo("bad_request");
    assertThat(j.get("field").asText()).isEqualTo(field);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private String state(long id) {
    return client.operator().getJob(id).orElseThrow().state().dbName();
  }
}
