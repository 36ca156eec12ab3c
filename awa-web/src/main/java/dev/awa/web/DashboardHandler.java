package dev.awa.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.awa.core.AwaClient;
import dev.awa.core.InvalidArgumentException;
import dev.awa.core.InvalidJobException;
import dev.awa.core.JobRow;
import dev.awa.core.internal.store.StatusSql.JobListQuery;
import dev.awa.maintenance.CronAdmin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request: authentication first, then pages, assets and the JSON API; state changes
 * only by POST, refused in read-only mode and without the CSRF token. Every failure becomes a
 * status with a short body: 400 names the field, and nothing internal (stack trace, SQL) is ever
 * sent; unexpected exceptions are logged here and answered with a generic 500.
 */
final class DashboardHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(DashboardHandler.class);

  /**
   * Pretty-prints args for the page, where HTML escaping (not JSON escaping) applies: Awa's one
   * default mapper, without {@link JsonOut}'s JSON-level HTML escapes.
   */
  private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN_JSON =
      dev.awa.core.internal.JobJson.MAPPER;

  private static final Set<String> JOB_ACTIONS = Set.of("retry", "cancel", "delete");

  private final DashboardQueries queries;
  private final DashboardActions actions;
  private final AwaClient client;
  private final CronAdmin cron;
  private final Access access;
  private final boolean readOnly;
  private final StaticAssets assets = new StaticAssets();

  DashboardHandler(
      DashboardQueries queries,
      DashboardActions actions,
      AwaClient client,
      CronAdmin cron,
      Access access,
      boolean readOnly) {
    this.queries = queries;
    this.actions = actions;
    this.client = client;
    this.cron = cron;
    this.access = access;
    this.readOnly = readOnly;
  }

  @Override
  public void handle(HttpExchange raw) throws IOException {
    boolean api = raw.getRequestURI().getRawPath().startsWith("/api/");
    Exchange ex = null;
    try {
      if (raw.getRequestURI().getRawPath().equals("/login")) {
        login(raw);
        return;
      }
      String actor = access.authenticate(raw);
      if (actor == null) {
        if (access.usesBasic()) {
          raw.getResponseHeaders()
              .set("WWW-Authenticate", "Basic realm=\"awa\", charset=\"UTF-8\"");
        }
        throw new HttpError(401, "unauthorized", "missing or invalid credentials");
      }
      ex = new Exchange(raw, actor);
      route(ex);
    } catch (BadRequestException e) {
      fail(raw, api, 400, "bad_request", e.field(), e.getMessage());
    } catch (InvalidJobException e) {
      fail(raw, api, 400, "bad_request", e.field(), e.getMessage());
    } catch (InvalidArgumentException e) {
      fail(raw, api, 400, "bad_request", e.argument(), e.getMessage());
    } catch (HttpError e) {
      fail(raw, api, e.status(), e.code(), null, e.getMessage());
    } catch (RuntimeException e) {
      log.error("awa dashboard: {} {} failed", raw.getRequestMethod(), raw.getRequestURI(), e);
      fail(raw, api, 500, "internal", null, "internal error; the server log has the details");
    } finally {
      raw.close();
    }
  }

  private void fail(
      HttpExchange raw, boolean api, int status, String code, String field, String msg)
      throws IOException {
    Exchange out = new Exchange(raw, null);
    if (api) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", code);
      if (field != null) {
        body.put("field", field);
      }
      body.put("message", msg);
      out.sendJson(status, body);
    } else {
      Html h = new Html();
      h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
          .text(status)
          .raw(" · Awa</title><link rel=\"stylesheet\" href=\"/static/awa.css\"></head><body>")
          .raw("<main><h1>")
          .text(status + " " + code.replace('_', ' '))
          .raw("</h1><p class=\"error-message\">")
          .text(msg)
          .raw("</p><p><a href=\"/\">Overview</a></p></main></body></html>");
      out.sendHtml(status, h.toString());
    }
  }

  private void login(HttpExchange raw) throws IOException {
    Exchange ex = new Exchange(raw, "login");
    String token = ex.params().text("token");
    if (!access.usesToken() || token == null || !access.matchesToken(token)) {
      throw new HttpError(401, "unauthorized", "missing or invalid token");
    }
    raw.getResponseHeaders()
        .add(
            "Set-Cookie",
            Access.TOKEN_COOKIE
                + "="
                + access.cookieValue()
                + "; Path=/; HttpOnly; SameSite=Strict");
    ex.redirect("/");
  }

  private void route(Exchange ex) throws IOException {
    List<String> s = ex.segments();
    String method = ex.method();
    boolean get = method.equals("GET") || method.equals("HEAD");
    if (!s.isEmpty() && s.get(0).equals("api")) {
      if (get) {
        apiGet(ex, s);
      } else if (method.equals("POST")) {
        if (readOnly) {
          throw new HttpError(403, "read_only", "this dashboard is read-only");
        }
        access.checkCsrf(ex.raw());
        apiPost(ex, s);
      } else {
        throw new HttpError(405, "method_not_allowed", method + " is not allowed");
      }
      return;
    }
    if (!get) {
      throw new HttpError(405, "method_not_allowed", method + " is not allowed on pages");
    }
    page(ex, s);
  }

  // ---------------------------------------------------------------- pages

  private void page(Exchange ex, List<String> s) throws IOException {
    PageContext ctx = new PageContext(readOnly, access.csrfToken(), ex.actor());
    String path = s.isEmpty() ? "" : s.get(0);
    String main;
    String title;
    String nav;
    long started = System.nanoTime();
    switch (path) {
      case "" -> {
        title = "Overview";
        nav = "/";
        main = OverviewPage.main(queries.overview(), ctx);
      }
      case "jobs" -> {
        nav = "/jobs";
        if (s.size() == 2) {
          long id = pathId(s.get(1));
          JobRow job =
              client.operator().getJob(id).orElseThrow(() -> HttpError.notFound("job " + id));
          title = "Job " + id;
          main = JobDetailPage.main(job, PLAIN_JSON, ctx);
        } else if (s.size() == 1) {
          title = "Jobs";
          JobListQuery q = JobQuery.from(ex.params());
          main = JobsPage.main(queries.jobs(q), q, ctx);
        } else {
          throw HttpError.notFound("page");
        }
      }
      case "maintenance" -> {
        title = "Maintenance";
        nav = "/maintenance";
        main = MaintenancePage.main(queries.maintenance());
      }
      case "cron" -> {
        title = "Periodic jobs";
        nav = "/cron";
        main = CronPage.main(cron.list(), ctx);
      }
      case "static" -> {
        assets.serve(ex, s.size() == 2 ? s.get(1) : "");
        return;
      }
      default -> throw HttpError.notFound("page");
    }
    if (s.size() > 1 && !path.equals("jobs")) {
      throw HttpError.notFound("page");
    }
    long refreshMillis = Layout.refreshMillis((System.nanoTime() - started) / 1_000_000);
    ex.sendHtml(200, ex.wantsFragment() ? main : Layout.page(title, nav, ctx, refreshMillis, main));
  }

  // ---------------------------------------------------------------- API

  private void apiGet(Exchange ex, List<String> s) throws IOException {
    String what = s.size() > 1 ? s.get(1) : "";
    switch (what) {
      case "session" -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("actor", ex.actor());
        m.put("readOnly", readOnly);
        m.put("csrfToken", access.csrfToken());
        m.put("csrfHeader", Access.CSRF_HEADER);
        ex.sendJson(200, m);
      }
      case "overview" -> ex.sendJson(200, queries.overview());
      case "maintenance" -> ex.sendJson(200, queries.maintenance());
      case "cron" -> ex.sendJson(200, Map.of("schedules", cron.list()));
      case "jobs" -> {
        if (s.size() == 3) {
          long id = pathId(s.get(2));
          JobRow job =
              client.operator().getJob(id).orElseThrow(() -> HttpError.notFound("job " + id));
          ex.sendJson(200, JsonOut.job(job));
        } else if (s.size() == 2) {
          Views.JobPage page = queries.jobs(JobQuery.from(ex.params()));
          List<Object> jobs = new ArrayList<>();
          page.jobs().forEach(j -> jobs.add(JsonOut.job(j)));
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("jobs", jobs);
          m.put("nextCursor", page.nextCursor());
          ex.sendJson(200, m);
        } else {
          throw HttpError.notFound("endpoint");
        }
      }
      case "failed" -> {
        if (s.size() != 3 || !s.get(2).equals("count")) {
          throw HttpError.notFound("endpoint");
        }
        String queue = ex.params().text("queue");
        String kind = ex.params().text("kind");
        long n = actions.countFailed(queue, kind);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", Math.min(n, actions.maxBulk()));
        m.put("capped", n > actions.maxBulk());
        m.put("maxBulk", actions.maxBulk());
        ex.sendJson(200, m);
      }
      default -> throw HttpError.notFound("endpoint");
    }
  }

  private void apiPost(Exchange ex, List<String> s) throws IOException {
    if (s.size() != 4 && !(s.size() == 3 && s.get(1).equals("failed"))) {
      throw HttpError.notFound("endpoint");
    }
    String actor = ex.actor() + "@" + ex.raw().getRemoteAddress().getAddress().getHostAddress();
    JsonNode body = ex.jsonBody();
    ActionResult result =
        switch (s.get(1)) {
          case "jobs" -> {
            String verb = s.get(3);
            if (!JOB_ACTIONS.contains(verb)) {
              throw HttpError.notFound("endpoint");
            }
            if (s.get(2).equals("bulk")) {
              yield actions.bulk(verb, ids(body), actor);
            }
            long id = pathId(s.get(2));
            yield switch (verb) {
              case "retry" -> actions.retry(id, actor);
              case "cancel" -> actions.cancel(id, actor);
              default -> actions.delete(id, actor);
            };
          }
          case "failed" -> {
            String queue = text(body, "queue");
            String kind = text(body, "kind");
            long expected = expected(body);
            yield switch (s.get(2)) {
              case "retry" -> actions.retryFailed(queue, kind, expected, actor);
              case "discard" -> actions.discardFailed(queue, kind, expected, actor);
              default -> throw HttpError.notFound("endpoint");
            };
          }
          case "queues" ->
              switch (s.get(3)) {
                case "pause" -> actions.pauseQueue(s.get(2), actor);
                case "resume" -> actions.resumeQueue(s.get(2), actor);
                default -> throw HttpError.notFound("endpoint");
              };
          case "cron" ->
              switch (s.get(3)) {
                case "pause" -> actions.pauseCron(s.get(2), actor);
                case "resume" -> actions.resumeCron(s.get(2), actor);
                case "trigger" -> actions.triggerCron(s.get(2), actor);
                default -> throw HttpError.notFound("endpoint");
              };
          default -> throw HttpError.notFound("endpoint");
        };
    ex.sendJson(200, result);
  }

  private List<Long> ids(JsonNode body) {
    JsonNode ids = body.get("ids");
    if (ids == null || !ids.isArray() || ids.isEmpty()) {
      throw new BadRequestException("ids", "must be a non-empty array of job ids");
    }
    if (ids.size() > actions.maxBulk()) {
      throw new BadRequestException(
          "ids", "at most " + actions.maxBulk() + " ids per request, was " + ids.size());
    }
    List<Long> out = new ArrayList<>();
    for (JsonNode n : ids) {
      if (!n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 1) {
        throw new BadRequestException("ids", "must hold positive integers only");
      }
      out.add(n.asLong());
    }
    return out;
  }

  private static String text(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull() || (n.isTextual() && n.asText().isBlank())) {
      return null;
    }
    if (!n.isTextual() || n.asText().length() > Params.MAX_VALUE_LENGTH) {
      throw new BadRequestException(
          field, "must be a string of at most " + Params.MAX_VALUE_LENGTH + " characters");
    }
    return n.asText().strip();
  }

  private long expected(JsonNode body) {
    JsonNode n = body.get("expected");
    if (n == null || !n.isIntegralNumber() || n.asLong() < 1) {
      throw new BadRequestException(
          "expected",
          "required: the positive count the operator confirmed (GET /api/failed/count)");
    }
    if (n.asLong() > actions.maxBulk()) {
      throw new BadRequestException(
          "expected", "at most " + actions.maxBulk() + " jobs per request, was " + n.asLong());
    }
    return n.asLong();
  }

  private static long pathId(String segment) {
    try {
      long id = Long.parseLong(segment);
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new BadRequestException("id", "must be a positive integer, was '" + segment + "'");
  }
}
