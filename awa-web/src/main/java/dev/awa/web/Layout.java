package dev.awa.web;

import java.util.List;

/**
 * The page shell: head with the jar's stylesheet and script, navigation, the red health banner, and
 * a {@code <main>} that awa.js re-fetches while the tab is visible. A request with header {@value
 * #FRAGMENT_HEADER} gets only the inside of {@code <main>}.
 */
final class Layout {
  static final String FRAGMENT_HEADER = "X-Awa-Fragment";

  private static final List<String[]> NAV =
      List.of(
          new String[] {"/", "Overview"},
          new String[] {"/jobs", "Jobs"},
          new String[] {"/maintenance", "Maintenance"},
          new String[] {"/cron", "Periodic jobs"});

  private Layout() {}

  /** Fastest live refresh. */
  static final long MIN_REFRESH_MILLIS = 2_000;

  /** Slowest live refresh. */
  static final long MAX_REFRESH_MILLIS = 60_000;

  /**
   * The polling interval for a page whose read took {@code readMillis}: ten times that, within [2
   * s, 60 s], so an open tab never keeps the database busy more than a tenth of the time (the
   * overview counts every row, about a second on a million).
   */
  static long refreshMillis(long readMillis) {
    return Math.max(MIN_REFRESH_MILLIS, Math.min(MAX_REFRESH_MILLIS, 10 * readMillis));
  }

  /**
   * @param refreshMillis how often awa.js re-fetches {@code <main>} while the tab is visible
   */
  static String page(
      String title, String active, PageContext ctx, long refreshMillis, String main) {
    Html h = new Html();
    h.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    h.raw("<meta name=\"awa-csrf\"").attr("content", ctx.csrfToken()).raw(">");
    h.raw("<meta name=\"awa-read-only\"").attr("content", ctx.readOnly()).raw(">");
    h.raw("<title>").text(title + " · Awa").raw("</title>");
    h.raw("<link rel=\"stylesheet\" href=\"/static/awa.css\">");
    h.raw("<script src=\"/static/awa.js\" defer></script></head><body>");
    h.raw("<header><span class=\"brand\">Awa</span><nav>");
    for (String[] item : NAV) {
      h.raw("<a").attr("href", item[0]);
      if (item[0].equals(active)) {
        h.attr("class", "active");
      }
      h.raw(">").text(item[1]).raw("</a>");
    }
    h.raw("</nav><span class=\"who\">");
    if (ctx.readOnly()) {
      h.el("span", "badge ro", "read-only");
    }
    h.text(ctx.actor()).raw("</span></header>");
    h.raw("<main id=\"main\"");
    h.attr("data-refresh", refreshMillis);
    h.raw(">").raw(main).raw("</main>");
    h.raw("<div id=\"toast\" role=\"status\" aria-live=\"polite\"></div></body></html>");
    return h.toString();
  }

  /** The red banner, or nothing when healthy. */
  static void banner(Html h, Views.Health health) {
    if (health.healthy()) {
      return;
    }
    h.raw("<div class=\"banner\" id=\"health-banner\">");
    for (String p : health.problems()) {
      h.el("p", null, p);
    }
    h.raw("</div>");
  }
}
