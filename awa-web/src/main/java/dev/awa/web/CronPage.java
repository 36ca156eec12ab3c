package dev.awa.web;

import dev.awa.maintenance.CronSchedule;
import java.util.List;

/** Periodic jobs: schedule, zone, next and last fire, paused; pause, resume and trigger now. */
final class CronPage {
  private CronPage() {}

  static String main(List<CronSchedule> schedules, PageContext ctx) {
    Html h = new Html();
    h.el("h1", null, "Periodic jobs");
    h.raw("<table id=\"cron\"><thead><tr><th>name</th><th>schedule</th><th>zone</th>")
        .raw("<th>kind</th><th>queue</th><th>next fire</th><th>last fire</th><th>paused</th>");
    if (!ctx.readOnly()) {
      h.raw("<th></th>");
    }
    h.raw("</tr></thead><tbody>");
    if (schedules.isEmpty()) {
      h.raw("<tr><td colspan=\"9\" class=\"empty\">No periodic job declared.</td></tr>");
    }
    for (CronSchedule s : schedules) {
      h.raw("<tr").attr("data-name", s.name()).raw(">");
      h.el("td", "mono", s.name());
      h.el("td", "mono", s.cronExpression());
      h.el("td", null, s.timeZone());
      h.el("td", "mono", s.kind());
      h.el("td", null, s.queue());
      h.el("td", null, Fmt.time(s.nextFireAt()));
      h.el("td", null, Fmt.time(s.lastFireAt()));
      h.raw("<td>").raw(s.paused() ? "<span class=\"badge paused\">paused</span>" : "no");
      h.raw("</td>");
      if (!ctx.readOnly()) {
        String base = "/api/cron/" + Html.urlEncode(s.name());
        h.raw("<td>");
        if (s.paused()) {
          h.actionButton(base + "/resume", "Resume", null, "resume-cron");
        } else {
          h.actionButton(base + "/pause", "Pause", null, "pause-cron");
        }
        h.actionButton(
            base + "/trigger", "Trigger now", "Enqueue " + s.name() + " now?", "trigger");
        h.raw("</td>");
      }
      h.raw("</tr>");
    }
    h.raw("</tbody></table>");
    return h.toString();
  }
}
