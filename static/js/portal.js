/*
 * The portal's live attention countdown, in business time.
 *
 * The server renders the business seconds left (negative once overdue), whether the plan's
 * calendar runs now and the instant that changes (its closing, or its next opening). Here the
 * countdown ticks only while the calendar runs, anchored on the server's "now" (the computer's
 * own clock is never read), and the fragment is asked for again at the next change, at the
 * at-risk instant and at the deadline, so the page stays right across openings and closings.
 * Without JavaScript the server-rendered text stays.
 */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function format(seconds) {
    var s = Math.floor(Math.abs(seconds));
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = s % 60;
    if (h) { return h + " h " + pad(m) + " m " + pad(rest) + " s"; }
    return m + " m " + pad(rest) + " s";
  }

  function start(el) {
    if (el.dataset.smaTicking) { return; }
    el.dataset.smaTicking = "1";
    var loaded = performance.now();
    var serverNow = parseInt(el.dataset.now, 10);
    var remaining = parseFloat(el.dataset.remaining);
    var running = el.dataset.running === "1";
    var until = el.dataset.until ? parseInt(el.dataset.until, 10) : NaN;
    var atRisk = el.dataset.atRisk ? parseInt(el.dataset.atRisk, 10) : NaN;
    var target = el.querySelector(".sma-countdown");
    if (!target || isNaN(serverNow) || isNaN(remaining)) { return; }
    // Wall-clock instants (from the server's now) at which the fragment is read again.
    var dueAt = running ? serverNow + remaining * 1000 : NaN;
    var checks = [until, atRisk, dueAt].filter(function (t) { return !isNaN(t) && t > serverNow; });
    var nextCheck = checks.length ? Math.min.apply(null, checks) : NaN;
    var refreshing = false;
    var timer = null;

    function tick() {
      if (!el.isConnected) { window.clearInterval(timer); return; }
      var now = serverNow + (performance.now() - loaded);
      var ranFor = running ? (Math.min(now, isNaN(until) ? now : until) - serverNow) / 1000 : 0;
      var left = remaining - ranFor;
      var state = left <= 0 ? "breached" : (!isNaN(atRisk) && now >= atRisk ? "at_risk" : "pending");
      var text = el.dataset["text" + (state === "at_risk" ? "At_risk" : state.charAt(0).toUpperCase() + state.slice(1))];
      if (text) { target.textContent = text.replace("%(time)s", format(left)); }
      target.className = "sma-countdown sma-countdown-" + state;
      if (!refreshing && !isNaN(nextCheck) && now >= nextCheck + 1000) {
        refreshing = true;
        refresh();
      }
    }

    function refresh() {
      window.fetch(el.dataset.refresh, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html.trim();
          var fresh = holder.querySelector("[data-testid=clock]");
          if (fresh) {
            window.clearInterval(timer);
            el.replaceWith(fresh);
            init(fresh.parentNode || document);
          }
        })
        .catch(function () { /* keep the last state; the next page load brings the news */ });
    }

    tick();
    timer = window.setInterval(tick, 1000);
  }

  function init(root) {
    root.querySelectorAll("[data-sma-clock]").forEach(start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }

  // The new-request form suggests help articles as the contact types the subject and the
  // description: debounced, one request at a time, answers older than the last typed ignored.
  function initSuggestions(form) {
    var url = form.dataset.smaSuggest;
    var box = form.querySelector("[data-testid=suggestions]");
    var list = form.querySelector("[data-sma-suggestions]");
    var fields = ["subject", "description"].map(function (name) { return form.elements[name]; })
      .filter(Boolean);
    if (!url || !box || !list || !fields.length || !window.fetch) { return; }
    var timer = null;
    var asked = 0;
    var last = "";
    function show(results) {
      list.textContent = "";
      results.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.target = "_blank";
        a.rel = "noopener";
        a.textContent = item.title;
        li.appendChild(a);
        var product = document.createElement("span");
        product.className = "text-body-secondary";
        product.textContent = " · " + item.product;
        li.appendChild(product);
        list.appendChild(li);
      });
      box.hidden = results.length === 0;
    }
    function ask() {
      var text = fields.map(function (f) { return f.value; }).join(" ").replace(/\s+/g, " ").trim();
      if (text === last) { return; }
      last = text;
      if (text.length < 3) { show([]); return; }
      var mine = ++asked;
      fetch(url + "?q=" + encodeURIComponent(text.slice(0, 300)), {
        headers: { "Accept": "application/json" }, credentials: "same-origin"
      }).then(function (response) {
        return response.ok ? response.json() : { results: [] };
      }).then(function (data) {
        if (mine === asked) { show(data.results || []); }
      }).catch(function () { /* suggestions are a help, never in the way */ });
    }
    fields.forEach(function (field) {
      field.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(ask, 350);
      });
    });
    ask();
  }

  document.querySelectorAll("form[data-sma-suggest]").forEach(initSuggestions);
})();
