package dev.awa.web;

import dev.awa.core.JobError;
import dev.awa.core.JobRow;
import dev.awa.core.JobState;
import dev.awa.core.internal.store.StatusSql.JobListQuery;
import dev.awa.web.Views.JobPage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The jobs list: filter form, one keyset page, bulk selection and the failed-jobs actions. */
final class JobsPage {
  private JobsPage() {}

  static String main(JobPage page, JobListQuery q, PageContext ctx) {
    Html h = new Html();
    h.el("h1", null, "Jobs");
    h.raw("<form id=\"filters\" method=\"get\" action=\"/jobs\" class=\"filters\">");
    // A text field, not a list of queue names: listing them would count the whole table.
    input(h, "queue", q.queue());
    input(h, "kind", q.kind());
    h.raw("<label>state <select name=\"state\"><option value=\"\">any</option>");
    for (JobState s : JobState.values()) {
      h.raw("<option").attr("value", s.dbName());
      if (s == q.state()) {
        h.raw(" selected");
      }
      h.raw(">").text(s.dbName()).raw("</option>");
    }
    h.raw("</select></label>");
    input(h, "tag", q.tag());
    input(h, "id", q.id() == null ? null : String.valueOf(q.id()));
    h.raw("<label>order <select name=\"order\">")
        .raw("<option value=\"newest\"" + (q.newestFirst() ? " selected" : "") + ">newest first")
        .raw("</option><option value=\"oldest\"" + (q.newestFirst() ? "" : " selected") + ">")
        .raw("oldest first</option></select></label>");
    h.raw("<button type=\"submit\" id=\"apply-filters\">Filter</button>")
        .raw(" <a href=\"/jobs\">clear</a></form>");

    if (!ctx.readOnly()) {
      h.raw("<div class=\"toolbar\" id=\"bulk\">");
      h.raw("<span class=\"selected-count\">0 selected</span> ");
      h.actionButton("/api/jobs/bulk/retry", "Retry selected", null, "bulk");
      h.actionButton("/api/jobs/bulk/cancel", "Cancel selected", null, "bulk");
      h.actionButton("/api/jobs/bulk/delete", "Delete selected", null, "bulk danger");
      h.raw("<span class=\"sep\"></span>");
      String scope = scope(q);
      h.raw("<button type=\"button\" class=\"failed-action\" id=\"retry-all-failed\"")
          .attr("data-action", "/api/failed/retry")
          .attr("data-queue", q.queue() == null ? "" : q.queue())
          .attr("data-kind", q.kind() == null ? "" : q.kind())
          .attr("data-verb", "Retry")
          .raw(">")
          .text("Retry all failed" + scope)
          .raw("</button>");
      h.raw("<button type=\"button\" class=\"failed-action danger\" id=\"discard-all-failed\"")
          .attr("data-action", "/api/failed/discard")
          .attr("data-queue", q.queue() == null ? "" : q.queue())
          .attr("data-kind", q.kind() == null ? "" : q.kind())
          .attr("data-verb", "Delete")
          .raw(">")
          .text("Discard all failed" + scope)
          .raw("</button></div>");
    }

    h.raw("<table id=\"jobs\" class=\"jobs\"><thead><tr>");
    if (!ctx.readOnly()) {
      h.raw("<th><input type=\"checkbox\" class=\"select-all\" aria-label=\"select all\"></th>");
    }
    h.raw("<th class=\"num\">id</th><th>kind</th><th>queue</th><th>state</th>")
        .raw("<th class=\"num\">attempt</th><th>created</th><th>run at</th><th>finished</th>")
        .raw("<th>tags</th><th>last error</th></tr></thead><tbody>");
    if (page.jobs().isEmpty()) {
      h.raw("<tr><td colspan=\"11\" class=\"empty\">No job matches.</td></tr>");
    }
    for (JobRow j : page.jobs()) {
      h.raw("<tr").attr("data-id", j.id()).attr("data-state", j.state().dbName()).raw(">");
      if (!ctx.readOnly()) {
        h.raw("<td><input type=\"checkbox\" class=\"select\"")
            .attr("value", j.id())
            .attr("aria-label", "select job " + j.id())
            .raw("></td>");
      }
      h.raw("<td class=\"num\">").link("/jobs/" + j.id(), j.id()).raw("</td>");
      h.el("td", "mono", j.kind());
      h.el("td", null, j.queue());
      h.el("td", "state-" + j.state().dbName(), j.state().dbName());
      h.el("td", "num", j.attempt() + "/" + j.maxAttempts());
      h.el("td", null, Fmt.time(j.createdAt()));
      h.el("td", null, Fmt.time(j.runAt()));
      h.el("td", null, Fmt.time(j.finalizedAt()));
      h.el("td", null, String.join(", ", j.tags()));
      List<JobError> errors = j.errors();
      String last = errors.isEmpty() ? "" : errors.get(errors.size() - 1).message();
      h.el("td", "error-cell", last.length() > 120 ? last.substring(0, 120) + "…" : last);
      h.raw("</tr>");
    }
    h.raw("</tbody></table><p class=\"pager\">");
    Map<String, String> base = filterParams(q);
    if (q.cursor() != null) {
      h.link("/jobs" + Html.query(base), "« first page").raw(" ");
    }
    if (page.nextCursor() != null) {
      Map<String, String> next = new LinkedHashMap<>(base);
      next.put("cursor", String.valueOf(page.nextCursor()));
      h.raw("<a id=\"next-page\"").attr("href", "/jobs" + Html.query(next)).raw(">next page »</a>");
    }
    h.raw("</p>");
    return h.toString();
  }

  private static String scope(JobListQuery q) {
    StringBuilder s = new StringBuilder();
    if (q.queue() != null) {
      s.append(" in queue ").append(q.queue());
    }
    if (q.kind() != null) {
      s.append(" of kind ").append(q.kind());
    }
    return s.toString();
  }

  static Map<String, String> filterParams(JobListQuery q) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("queue", q.queue());
    m.put("kind", q.kind());
    m.put("state", q.state() == null ? null : q.state().dbName());
    m.put("tag", q.tag());
    m.put("id", q.id() == null ? null : String.valueOf(q.id()));
    m.put("order", q.newestFirst() ? null : "oldest");
    m.put("limit", q.limit() == JobQuery.DEFAULT_LIMIT ? null : String.valueOf(q.limit()));
    return m;
  }

  private static void input(Html h, String name, String value) {
    h.raw("<label>")
        .text(name)
        .raw(" <input type=\"text\"")
        .attr("name", name)
        .attr("value", value == null ? "" : value)
        .attr("maxlength", Params.MAX_VALUE_LENGTH)
        .raw("></label>");
  }
}
