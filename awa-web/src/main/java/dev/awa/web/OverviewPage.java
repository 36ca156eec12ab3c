package dev.awa.web;

import dev.awa.core.JobState;
import dev.awa.core.internal.store.StatusSql.RuntimeInstanceRow;
import dev.awa.web.Views.Overview;
import dev.awa.web.Views.QueueView;
import dev.awa.web.Views.ThroughputPoint;
import java.util.List;
import java.util.Map;

/** The overview: queues by state, lag, throughput chart, pause flags, instances and the leader. */
final class OverviewPage {
  private OverviewPage() {}

  static String main(Overview o, PageContext ctx) {
    Html h = new Html();
    Layout.banner(h, o.health());
    h.el("h1", null, "Overview");
    h.raw("<section><h2>Queues</h2><table id=\"queues\"><thead><tr><th>queue</th>");
    for (JobState s : JobState.values()) {
      h.el("th", "num", s.dbName().replace('_', ' '));
    }
    h.raw("<th class=\"num\">lag</th><th class=\"num\">done / ")
        .text(DashboardQueries.THROUGHPUT_MINUTES)
        .raw(" min</th><th>paused</th>");
    if (!ctx.readOnly()) {
      h.raw("<th></th>");
    }
    h.raw("</tr></thead><tbody>");
    if (o.queues().isEmpty()) {
      h.raw("<tr><td colspan=\"12\" class=\"empty\">No jobs yet.</td></tr>");
    }
    for (QueueView q : o.queues()) {
      h.raw("<tr").attr("data-queue", q.queue()).raw("><td>");
      h.link("/jobs" + Html.query(Map.of("queue", q.queue())), q.queue());
      h.raw("</td>");
      for (JobState s : JobState.values()) {
        long n = q.counts().getOrDefault(s.dbName(), 0L);
        h.raw("<td class=\"num\">");
        if (n > 0) {
          h.raw("<a")
              .attr("class", "state-" + s.dbName())
              .attr("href", "/jobs" + Html.query(Map.of("queue", q.queue(), "state", s.dbName())))
              .raw(">")
              .text(n)
              .raw("</a>");
        } else {
          h.raw("<span class=\"zero\">0</span>");
        }
        h.raw("</td>");
      }
      h.el("td", "num", Fmt.seconds(q.lagSeconds()));
      h.raw("<td class=\"num\">")
          .text(q.completedRecent())
          .raw(q.failedRecent() > 0 ? " <span class=\"state-failed\">/ " : "")
          .text(q.failedRecent() > 0 ? q.failedRecent() + " failed" : "")
          .raw(q.failedRecent() > 0 ? "</span>" : "")
          .raw("</td>");
      h.raw("<td class=\"paused-flag\">")
          .raw(q.paused() ? "<span class=\"badge paused\">paused</span>" : "no")
          .raw("</td>");
      if (!ctx.readOnly()) {
        h.raw("<td>");
        String path = "/api/queues/" + Html.urlEncode(q.queue());
        if (q.paused()) {
          h.actionButton(path + "/resume", "Resume", null, "resume-queue");
        } else {
          h.actionButton(
              path + "/pause",
              "Pause",
              "Pause queue " + q.queue() + "? Workers stop claiming from it.",
              "pause-queue");
        }
        h.raw("</td>");
      }
      h.raw("</tr>");
    }
    h.raw("</tbody></table></section>");

    h.raw("<section><h2>Throughput, last ")
        .text(DashboardQueries.THROUGHPUT_MINUTES)
        .raw(" minutes</h2>");
    chart(h, o.throughput());
    h.raw("</section>");

    h.raw("<section><h2>Runtime instances</h2><table id=\"instances\"><thead><tr>")
        .raw("<th>instance</th><th>host</th><th class=\"num\">pid</th><th>started</th>")
        .raw("<th>last heartbeat</th><th>role</th></tr></thead><tbody>");
    if (o.instances().isEmpty()) {
      h.raw("<tr><td colspan=\"6\" class=\"empty\">No runtime registered.</td></tr>");
    }
    for (RuntimeInstanceRow i : o.instances()) {
      h.raw("<tr>");
      h.el("td", "mono", i.instanceId());
      h.el("td", null, i.hostname());
      h.el("td", "num", i.pid());
      h.el("td", null, Fmt.time(i.startedAt()));
      h.el("td", i.lastSeenSecondsAgo() > 30 ? "stale" : null, Fmt.ago(i.lastSeenSecondsAgo()));
      h.raw("<td>");
      if (i.leader()) {
        h.el("span", "badge leader", "leader");
        h.text(" since " + Fmt.time(i.leaderSince()));
      } else {
        h.text("worker");
      }
      h.raw("</td></tr>");
    }
    h.raw("</tbody></table></section>");
    return h.toString();
  }

  /** Stacked bars per minute, completed (green) under failed (red), as inline SVG. */
  static void chart(Html h, List<ThroughputPoint> points) {
    int width = 720;
    int height = 160;
    int pad = 24;
    long max = 1;
    for (ThroughputPoint p : points) {
      max = Math.max(max, p.completed() + p.failed());
    }
    double slot = (width - pad) / (double) points.size();
    double barWidth = Math.max(2, slot - 4);
    double scale = (height - pad) / (double) max;
    h.raw("<svg id=\"throughput\" class=\"chart\" role=\"img\" viewBox=\"0 0 ")
        .raw(width + " " + height)
        .raw("\" aria-label=\"completed and failed jobs per minute\">");
    h.raw("<text x=\"0\" y=\"12\" class=\"axis\">").text(max).raw("</text>");
    h.raw("<line x1=\"" + pad + "\" y1=\"" + (height - pad) + "\" x2=\"" + width + "\" y2=\"")
        .raw((height - pad) + "\" class=\"axis-line\"/>");
    for (int i = 0; i < points.size(); i++) {
      ThroughputPoint p = points.get(i);
      double x = pad + i * slot + 2;
      double hc = p.completed() * scale;
      double hf = p.failed() * scale;
      double base = height - pad;
      h.raw("<g><title>")
          .text(
              Fmt.time(p.minute()) + ": " + p.completed() + " completed, " + p.failed() + " failed")
          .raw("</title>");
      h.raw(rect("bar-completed", x, base - hc, barWidth, hc));
      h.raw(rect("bar-failed", x, base - hc - hf, barWidth, hf));
      h.raw("</g>");
      if (i % 5 == 0 || i == points.size() - 1) {
        h.raw("<text class=\"axis\" x=\"" + fmt(x) + "\" y=\"" + (height - 6) + "\">")
            .text(Fmt.time(p.minute()).substring(11, 16))
            .raw("</text>");
      }
    }
    h.raw("</svg><p class=\"legend\"><span class=\"swatch completed\"></span> completed ")
        .raw("<span class=\"swatch failed\"></span> failed (per minute)</p>");
  }

  private static String rect(String cls, double x, double y, double w, double height) {
    return "<rect class=\""
        + cls
        + "\" x=\""
        + fmt(x)
        + "\" y=\""
        + fmt(y)
        + "\" width=\""
        + fmt(w)
        + "\" height=\""
        + fmt(height)
        + "\"/>";
  }

  private static String fmt(double v) {
    return String.format(java.util.Locale.ROOT, "%.1f", v);
  }
}
