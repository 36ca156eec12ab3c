package dev.awa.web;

import dev.awa.core.internal.store.StatusSql.MaintenanceBranchRow;
import dev.awa.web.Views.Maintenance;

/** Maintenance: every branch as the leader last recorded it, the layout, and the leaders. */
final class MaintenancePage {
  private MaintenancePage() {}

  static String main(Maintenance m) {
    Html h = new Html();
    Layout.banner(h, m.health());
    h.el("h1", null, "Maintenance");
    h.raw("<p>Layout: <strong id=\"layout\">")
        .text(m.layout() == null ? "unknown (no leader has recorded a run)" : m.layout())
        .raw("</strong>. Leader: <strong id=\"leader\">")
        .text(m.health().leader() == null ? "none" : m.health().leader())
        .raw("</strong>.</p>");
    h.raw("<table id=\"branches\"><thead><tr><th>branch</th><th>loop</th>")
        .raw("<th class=\"num\">interval</th><th>last run</th>")
        .raw("<th class=\"num\">last duration</th><th class=\"num\">duration p50 / p99</th>")
        .raw("<th class=\"num\">lateness p50 / p99</th><th class=\"num\">runs</th>")
        .raw("<th>last success</th><th>overrun</th>")
        .raw("<th class=\"num\">episodes</th><th>last error</th></tr></thead><tbody>");
    if (m.branches().isEmpty()) {
      h.raw("<tr><td colspan=\"12\" class=\"empty\">No branch recorded yet.</td></tr>");
    }
    for (MaintenanceBranchRow b : m.branches()) {
      h.raw("<tr").attr("data-branch", b.branch()).raw(">");
      h.el("td", "mono", b.branch());
      h.el("td", null, b.loop());
      h.el("td", "num", Fmt.millis(b.intervalMs()));
      h.el("td", null, Fmt.ago(b.lastRunSecondsAgo()));
      h.el("td", "num", Fmt.millis(b.lastDurationMs()));
      h.el("td", "num", Fmt.millis(b.durationP50Ms()) + " / " + Fmt.millis(b.durationP99Ms()));
      h.el("td", "num", Fmt.millis(b.latenessP50Ms()) + " / " + Fmt.millis(b.latenessP99Ms()));
      h.el("td", "num", b.recentRuns());
      h.el("td", null, Fmt.time(b.lastSuccessAt()));
      h.el("td", "delayed".equals(b.overrunState()) ? "state-failed" : null, b.overrunState());
      h.el("td", "num", b.overrunEpisodes());
      h.el("td", "error-cell", b.lastError() == null ? "" : b.lastError());
      h.raw("</tr>");
    }
    h.raw("</tbody></table>");
    h.el("h2", null, "Leader history");
    h.raw("<table id=\"leaders\"><thead><tr><th>instance</th><th>host</th><th>leader since</th>")
        .raw("<th>last seen leading</th><th></th></tr></thead><tbody>");
    if (m.leaders().isEmpty()) {
      h.raw("<tr><td colspan=\"5\" class=\"empty\">No leader recorded.</td></tr>");
    }
    for (Views.LeaderTerm t : m.leaders()) {
      h.raw("<tr>");
      h.el("td", "mono", t.instanceId());
      h.el("td", null, t.hostname());
      h.el("td", null, Fmt.time(t.leaderSince()));
      h.el("td", null, Fmt.time(t.lastSeenAt()));
      h.raw("<td>").raw(t.current() ? "<span class=\"badge leader\">current</span>" : "");
      h.raw("</td></tr>");
    }
    h.raw("</tbody></table>");
    return h.toString();
  }
}
