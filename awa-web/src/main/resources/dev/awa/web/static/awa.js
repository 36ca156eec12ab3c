// Awa dashboard: actions and live refresh. Plain browser JavaScript, no build step, no
// third-party code. Every state change is a POST with the CSRF token from the page's meta tag.
(function () {
  "use strict";

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") : "";
  }

  var csrf = meta("awa-csrf");
  var main = document.getElementById("main");
  var busy = false;

  function toast(message, isError) {
    var t = document.getElementById("toast");
    if (!t) return;
    t.textContent = message; // textContent: server messages are never parsed as markup
    t.className = isError ? "show error" : "show";
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { t.className = ""; }, 5000);
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-Awa-Csrf": csrf },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.message || ("HTTP " + r.status));
        return j;
      });
    });
  }

  function selectedIds() {
    var ids = [];
    document.querySelectorAll("input.select:checked").forEach(function (c) {
      ids.push(Number(c.value));
    });
    return ids;
  }

  function updateSelection() {
    var n = selectedIds().length;
    var label = document.querySelector(".selected-count");
    if (label) label.textContent = n + " selected";
  }

  function refresh() {
    if (!main || !main.dataset.refresh || busy) return Promise.resolve();
    busy = true;
    return fetch(window.location.href, {
      credentials: "same-origin",
      headers: { "X-Awa-Fragment": "1" }
    }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.text();
    }).then(function (html) {
      main.innerHTML = html; // server-rendered and escaped there
      main.dataset.refreshedAt = String(Date.now());
    }).catch(function () {
      // Keep the last good content; the next tick tries again.
    }).then(function () { busy = false; updateSelection(); });
  }

  function pollAllowed() {
    if (document.visibilityState !== "visible") return false; // no polling in hidden tabs
    if (selectedIds().length > 0) return false; // keep the operator's selection
    var a = document.activeElement;
    return !(a && (a.tagName === "INPUT" || a.tagName === "SELECT") && a.form);
  }

  if (main && main.dataset.refresh) {
    var every = Math.max(1000, Number(main.dataset.refresh) || 2000);
    setInterval(function () { if (pollAllowed()) refresh(); }, every);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") refresh();
    });
  }

  function done(result) {
    toast(result.message, false);
    return refresh();
  }

  function fail(err) { toast(err.message, true); }

  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.classList && t.classList.contains("select-all")) {
      document.querySelectorAll("input.select").forEach(function (c) { c.checked = t.checked; });
    }
    updateSelection();
  });

  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button") : null;
    if (!b) return;
    if (b.classList.contains("action")) {
      var confirmText = b.getAttribute("data-confirm");
      var body = {};
      if (b.classList.contains("bulk")) {
        var ids = selectedIds();
        if (ids.length === 0) { toast("Select jobs first.", true); return; }
        confirmText = b.textContent + ": " + ids.length + " job(s)?";
        body = { ids: ids };
      }
      if (confirmText && !window.confirm(confirmText)) return;
      b.disabled = true;
      post(b.getAttribute("data-action"), body).then(done, fail).then(function () {
        b.disabled = false;
        document.querySelectorAll("input.select, input.select-all").forEach(function (c) {
          c.checked = false;
        });
        updateSelection();
      });
    } else if (b.classList.contains("failed-action")) {
      var queue = b.getAttribute("data-queue");
      var kind = b.getAttribute("data-kind");
      var q = "?queue=" + encodeURIComponent(queue) + "&kind=" + encodeURIComponent(kind);
      fetch("/api/failed/count" + q, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (c) {
          if (!c.count) { toast("No failed jobs match.", false); return; }
          var text = b.getAttribute("data-verb") + " " + c.count + (c.capped ? "+" : "") +
            " failed job(s)" + (queue ? " in queue " + queue : "") +
            (kind ? " of kind " + kind : "") + (c.capped ? " (the first " + c.count + ")" : "") + "?";
          if (!window.confirm(text)) return;
          return post(b.getAttribute("data-action"),
            { queue: queue, kind: kind, expected: c.count }).then(done);
        })
        .catch(fail);
    }
  });
})();
