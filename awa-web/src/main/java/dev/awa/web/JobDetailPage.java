package dev.awa.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.awa.core.JobError;
import dev.awa.core.JobRow;
import java.time.Instant;
import java.util.List;

/** One job: pretty args and metadata, every error, timeline, callback and unique key, actions. */
final class JobDetailPage {
  private JobDetailPage() {}

  static String main(JobRow j, ObjectMapper mapper, PageContext ctx) {
    Html h = new Html();
    h.raw("<h1>Job ").text(j.id()).raw(" <span class=\"mono\">").text(j.kind()).raw("</span> ");
    h.el("span", "badge state-" + j.state().dbName(), j.state().dbName()).raw("</h1>");
    if (!ctx.readOnly()) {
      h.raw("<div class=\"toolbar\" id=\"job-actions\">");
      String base = "/api/jobs/" + j.id();
      if (j.state().isTerminal()) {
        h.actionButton(base + "/retry", "Retry", null, "retry");
        h.actionButton(base + "/delete", "Delete", "Delete job " + j.id() + "?", "delete danger");
      } else {
        h.actionButton(base + "/cancel", "Cancel", "Cancel job " + j.id() + "?", "cancel");
      }
      h.raw("</div>");
    }
    h.raw("<div class=\"grid\"><section><h2>Details</h2><dl>");
    dt(h, "queue", j.queue());
    dt(h, "priority", j.priority());
    dt(h, "attempt", j.attempt() + " of " + j.maxAttempts());
    dt(h, "tags", j.tags().isEmpty() ? "–" : String.join(", ", j.tags()));
    dt(h, "unique key", j.uniqueKey() == null ? "–" : j.uniqueKey());
    dt(h, "attempted by", j.attemptedBy() == null ? "–" : j.attemptedBy());
    dt(h, "run lease", j.runLease());
    h.raw("</dl></section><section><h2>Timeline</h2><dl id=\"timeline\">");
    dt(h, "enqueued", Fmt.time(j.createdAt()));
    dt(h, "scheduled for", Fmt.time(j.runAt()));
    dt(h, "last attempted", Fmt.time(j.attemptedAt()));
    dt(h, "last heartbeat", Fmt.time(j.heartbeatAt()));
    dt(h, "deadline", Fmt.time(j.deadlineAt()));
    dt(h, "finished", Fmt.time(j.finalizedAt()));
    h.raw("</dl></section><section><h2>Callback</h2><dl id=\"callback\">");
    dt(h, "state", callbackState(j));
    dt(h, "callback id", j.callbackId() == null ? "–" : j.callbackId().toString());
    dt(h, "times out", Fmt.time(j.callbackTimeoutAt()));
    h.raw("</dl></section></div>");

    h.raw("<section><h2>Args</h2><pre id=\"args\" class=\"json\">")
        .text(pretty(mapper, j.argsJson()))
        .raw("</pre></section>");
    h.raw("<section><h2>Metadata</h2><pre id=\"metadata\" class=\"json\">")
        .text(pretty(mapper, j.metadataJson()))
        .raw("</pre></section>");

    List<JobError> errors = j.errors();
    h.raw("<section><h2>Errors (").text(errors.size()).raw(")</h2><ol id=\"errors\">");
    if (errors.isEmpty()) {
      h.raw("<li class=\"empty\">No error recorded.</li>");
    }
    for (JobError e : errors) {
      h.raw("<li class=\"error\"><div class=\"error-head\">attempt ")
          .text(e.attempt())
          .raw(" · ")
          .text(Fmt.time(e.at()))
          .raw(" · <span class=\"mono\">")
          .text(e.errorClass())
          .raw("</span></div><pre class=\"stack\">")
          // The trace starts with "class: message", so it replaces the message rather than
          // repeating it.
          .text(e.stackTrace() == null ? e.message() : e.stackTrace())
          .raw("</pre></li>");
    }
    h.raw("</ol></section>");
    return h.toString();
  }

  static String callbackState(JobRow j) {
    if (j.callbackId() == null) {
      return "none";
    }
    if (j.state() == dev.awa.core.JobState.WAITING_EXTERNAL) {
      Instant timeout = j.callbackTimeoutAt();
      return timeout != null && timeout.isBefore(Instant.now())
          ? "waiting, timed out (rescue pending)"
          : "waiting for the external system";
    }
    if (j.state() == dev.awa.core.JobState.RUNNING) {
      return "registered, handler still running";
    }
    return "resolved (job is " + j.state().dbName() + ")";
  }

  private static String pretty(ObjectMapper mapper, String json) {
    try {
      return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));
    } catch (Exception e) {
      return json;
    }
  }

  private static void dt(Html h, String term, Object value) {
    h.el("dt", null, term).el("dd", null, value);
  }
}
