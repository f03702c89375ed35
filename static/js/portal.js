/*
 * portal.js: the portal's own script. Plain ES2017, no build step, loaded with `defer` after htmx and
 * Chart.js. Everything is wired by data attributes and events, never inline code (CSP script-src 'self').
 *
 *   meta[name=csrf-token]          sent as X-CSRFToken on every htmx request
 *   [data-confirm="text"]          a confirm dialog before a form submits or a button/link acts
 *                                  (on htmx elements you can use htmx's own hx-confirm instead)
 *   time[datetime][data-relative]  a relative time, kept current with the server's thresholds and
 *                                  words (meta[name=relative-time]); the exact time is in the title
 *   [data-nav-toggle] / [data-nav-close]   open / close the sidebar on small screens
 *   [data-dismiss]                 removes the closest .flash or .banner
 *   canvas[data-chart="{json}"]    a Chart.js chart from the JSON spec in the attribute
 *   .content-loading[hx-get]       turns into "content unavailable, retry" when the request fails
 */
(function () {
  "use strict";

  var doc = document;
  var root = doc.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  /* ------------------------------------------------------------ helpers */
  function each(scope, selector, fn) {
    var list = [];
    if (scope.matches && scope.matches(selector)) list.push(scope);
    Array.prototype.push.apply(list, scope.querySelectorAll(selector));
    list.forEach(fn);
  }

  function cssVar(name, fallback) {
    var value = getComputedStyle(root).getPropertyValue(name).trim();
    return value || fallback;
  }

  function iconSvg(name) {
    var use = doc.querySelector("svg.icon use");
    var sprite = use ? use.getAttribute("href").split("#")[0] : "";
    var svg = doc.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var u = doc.createElementNS("http://www.w3.org/2000/svg", "use");
    u.setAttribute("href", sprite + "#i-" + name);
    svg.appendChild(u);
    return svg;
  }

  /* ------------------------------------------------------------ CSRF header for htmx */
  doc.addEventListener("htmx:configRequest", function (evt) {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) evt.detail.headers["X-CSRFToken"] = meta.content;
  });

  /* ------------------------------------------------------------ confirm dialogs */
  // Capture phase, so a cancelled confirm stops the event before htmx (boosted forms, hx-post buttons)
  // or the browser acts on it.
  doc.addEventListener("submit", function (evt) {
    var form = evt.target;
    var submitter = evt.submitter;
    var text = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  doc.addEventListener("click", function (evt) {
    var el = evt.target.closest ? evt.target.closest("[data-confirm]") : null;
    if (!el || el.tagName === "FORM") return;
    // submit buttons are asked in the submit listener (they may carry the text themselves)
    if (el.form && (el.type === "submit" || el.type === "image")) return;
    if (!window.confirm(el.getAttribute("data-confirm"))) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  /* ------------------------------------------------------------ relative times */
  // Thresholds and words come from the server (portal/formatting.py RELATIVE_TIME, in a meta tag of the
  // head, which boosted navigation keeps), so the browser never words a time differently from the page.
  var relativeTime = null;

  function relativeSettings() {
    if (!relativeTime) {
      var meta = doc.querySelector('meta[name="relative-time"]');
      if (meta) relativeTime = JSON.parse(meta.content);
    }
    return relativeTime;
  }

  function relativeText(date, now, settings) {
    var seconds = (now - date.getTime()) / 1000;
    var distance = Math.abs(seconds);
    if (distance < settings.now_below) return settings.now;
    if (distance >= settings.limit) return null;
    for (var i = 0; i < settings.units.length; i++) {
      var size = settings.units[i][0];
      if (distance >= size) {
        var amount = Math.floor(distance / size) + " " + settings.units[i][1];
        return (seconds < 0 ? settings.future : settings.past).replace("{}", amount);
      }
    }
    return null;
  }

  function renderTimes(scope) {
    var settings = relativeSettings();
    if (!settings) return;
    var now = Date.now();
    each(scope, "time[data-relative]", function (el) {
      var date = new Date(el.getAttribute("datetime"));
      if (isNaN(date.getTime())) return;
      // past the limit the page would show the date: the exact local time of the title says as much
      el.textContent = relativeText(date, now, settings) || el.title;
    });
  }
  setInterval(function () { renderTimes(doc.body); }, 60000);

  /* ------------------------------------------------------------ mobile navigation */
  function setNav(open, returnFocus) {
    var sidebar = doc.getElementById("sidebar");
    var shell = doc.querySelector("[data-shell]");
    var toggle = doc.querySelector("[data-nav-toggle]");
    if (!sidebar || !shell) return;
    sidebar.classList.toggle("is-open", open);
    shell.classList.toggle("nav-open", open);
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      var first = sidebar.querySelector("a, button");
      if (first) setTimeout(function () { first.focus(); }, 50);
    } else if (returnFocus && toggle) {
      toggle.focus();
    }
  }

  doc.addEventListener("click", function (evt) {
    if (!evt.target.closest) return;
    if (evt.target.closest("[data-nav-toggle]")) {
      var sidebar = doc.getElementById("sidebar");
      setNav(!(sidebar && sidebar.classList.contains("is-open")), false);
    } else if (evt.target.closest("[data-nav-close]")) {
      setNav(false, true);
    }
  });

  doc.addEventListener("keydown", function (evt) {
    var sidebar = doc.getElementById("sidebar");
    if (evt.key === "Escape" && sidebar && sidebar.classList.contains("is-open")) setNav(false, true);
  });

  /* ------------------------------------------------------------ dismissable flashes */
  doc.addEventListener("click", function (evt) {
    var button = evt.target.closest ? evt.target.closest("[data-dismiss]") : null;
    if (!button) return;
    var box = button.closest(".flash, .banner");
    if (box) box.remove();
  });

  function flash(category, text) {
    var box = doc.getElementById("flashes");
    if (!box) return;
    var div = doc.createElement("div");
    div.className = "flash flash-" + category;
    div.setAttribute("role", category === "error" ? "alert" : "status");
    div.appendChild(iconSvg(category === "error" ? "error" : "info"));
    var p = doc.createElement("p");
    p.textContent = text;
    div.appendChild(p);
    var close = doc.createElement("button");
    close.type = "button";
    close.className = "flash-close";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "Dismiss");
    close.appendChild(iconSvg("close"));
    div.appendChild(close);
    box.appendChild(div);
  }

  /* ------------------------------------------------------------ htmx: navigation and failures */
  doc.addEventListener("htmx:beforeRequest", function (evt) {
    if (evt.detail.boosted) root.classList.add("is-navigating");
  });
  doc.addEventListener("htmx:afterRequest", function () {
    root.classList.remove("is-navigating");
  });

  // A boosted link or form that ends on an error page shows that page (htmx would otherwise do nothing).
  doc.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    if (evt.detail.boosted && status >= 400) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  function contentUnavailable(elt) {
    var url = elt.getAttribute("hx-get");
    var box = doc.createElement("div");
    box.className = "content-unavailable";
    box.setAttribute("role", "status");
    box.appendChild(iconSvg("warning"));
    var p = doc.createElement("p");
    p.textContent = "This content is unavailable right now.";
    box.appendChild(p);
    if (url) {
      var retry = doc.createElement("button");
      retry.type = "button";
      retry.className = "secondary btn-sm";
      retry.setAttribute("hx-get", url);
      retry.setAttribute("hx-target", "closest .content-unavailable");
      retry.setAttribute("hx-swap", "outerHTML");
      retry.appendChild(iconSvg("retry"));
      retry.appendChild(doc.createTextNode("Retry"));
      box.appendChild(retry);
    }
    elt.replaceWith(box);
    if (window.htmx) window.htmx.process(box);
  }

  function requestFailed(evt) {
    var elt = evt.detail.elt;
    if (!elt || !elt.closest) return;
    if (elt.matches(".content-loading")) {
      contentUnavailable(elt);
      return;
    }
    if (elt.closest(".content-unavailable")) {
      var p = elt.closest(".content-unavailable").querySelector("p");
      if (p) p.textContent = "Still unavailable. Try again in a moment.";
      return;
    }
    if (evt.detail.boosted) return; // the error page itself is shown (see beforeSwap)
    var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
    var text;
    if (!status) text = "The portal could not be reached. Check your connection and try again.";
    else if (status === 403) text = "You don't have permission to do that.";
    else if (status === 404) text = "That item no longer exists. Reload the page to see the latest.";
    else if (status === 409) text = "Someone else changed this in the meantime. Reload the page and try again.";
    else if (status === 429) text = "Too many requests. Please wait a moment and try again.";
    else text = "Something went wrong (" + status + "). Please try again.";
    flash("error", text);
  }
  doc.addEventListener("htmx:responseError", requestFailed);
  doc.addEventListener("htmx:sendError", requestFailed);
  doc.addEventListener("htmx:timeout", requestFailed);

  /* ------------------------------------------------------------ charts */
  // JSON spec: {"type": "bar"|"line"|"doughnut"|"stacked-bar", "labels": [...],
  //             "datasets": [{"label": "...", "data": [...]}], "stacked": bool, "money": bool,
  //             "currency": "INR", "horizontal": bool}
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function chartConfig(spec) {
    var type = spec.type || "bar";
    var stacked = !!spec.stacked || type === "stacked-bar" || type === "stacked";
    if (type === "stacked-bar" || type === "stacked") type = "bar";
    var round = type === "doughnut" || type === "pie";
    var colors = [1, 2, 3, 4, 5, 6, 7].map(function (i) { return cssVar("--chart-" + i, "#4f46e5"); });
    var text = cssVar("--chart-text", "#667085");
    var grid = cssVar("--chart-grid", "#eaecf0");
    var surface = cssVar("--surface", "#fff");
    var number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
    var money = spec.money
      ? new Intl.NumberFormat(undefined, { style: "currency", currency: spec.currency || "INR", maximumFractionDigits: 0 })
      : null;
    function fmt(v) { return (money || number).format(v); }

    var datasets = (spec.datasets || []).map(function (d, i) {
      var color = colors[i % colors.length];
      var ds = { label: d.label, data: d.data };
      if (round) {
        ds.backgroundColor = d.data.map(function (_, j) { return colors[j % colors.length]; });
        ds.borderColor = surface;
        ds.borderWidth = 2;
        ds.hoverOffset = 4;
      } else if (type === "line") {
        ds.borderColor = color;
        ds.backgroundColor = color;
        ds.borderWidth = 2;
        ds.pointRadius = 2.5;
        ds.pointHoverRadius = 4;
        ds.tension = 0.3;
      } else {
        ds.backgroundColor = color;
        ds.borderRadius = stacked ? 2 : 4;
        ds.maxBarThickness = 40;
      }
      return ds;
    });

    var valueAxis = spec.horizontal ? "x" : "y";
    var labelAxis = spec.horizontal ? "y" : "x";
    var scales = {};
    if (!round) {
      scales[labelAxis] = {
        stacked: stacked,
        grid: { display: false },
        border: { color: grid },
        ticks: { color: text, maxRotation: 0, autoSkipPadding: 8 }
      };
      scales[valueAxis] = {
        stacked: stacked,
        beginAtZero: true,
        grid: { color: grid },
        border: { display: false },
        ticks: { color: text, maxTicksLimit: 6, callback: function (v) { return fmt(v); } }
      };
    }

    return {
      type: type,
      data: { labels: spec.labels || [], datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false, // the .chart box sets the height
        indexAxis: spec.horizontal ? "y" : "x",
        animation: reducedMotion ? false : { duration: 300 },
        cutout: type === "doughnut" ? "68%" : undefined,
        interaction: { mode: round ? "nearest" : "index", intersect: false },
        plugins: {
          legend: {
            display: round || datasets.length > 1,
            position: "bottom",
            labels: { color: text, boxWidth: 8, boxHeight: 8, usePointStyle: true, pointStyle: "circle", padding: 16 }
          },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = round ? ctx.parsed : ctx.parsed[valueAxis];
                return (ctx.dataset.label ? ctx.dataset.label + ": " : " ") + fmt(v);
              }
            }
          }
        },
        scales: scales
      }
    };
  }

  function renderCharts(scope, force) {
    var Chart = window.Chart;
    if (!Chart) return;
    // forget charts whose canvas left the page (boosted navigation replaces the body)
    Object.keys(Chart.instances || {}).forEach(function (key) {
      var chart = Chart.instances[key];
      if (chart && !chart.canvas.isConnected) chart.destroy();
    });
    Chart.defaults.font.family = cssVar("--font-sans", "system-ui, sans-serif");
    Chart.defaults.font.size = 12;
    each(scope, "canvas[data-chart]", function (canvas) {
      var existing = Chart.getChart(canvas);
      if (existing && !force) return;
      var spec;
      try { spec = JSON.parse(canvas.getAttribute("data-chart")); } catch (e) { return; }
      if (existing) existing.destroy();
      new Chart(canvas, chartConfig(spec));
    });
  }

  // re-colour charts when the system switches between light and dark
  if (window.matchMedia) {
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    if (scheme.addEventListener) scheme.addEventListener("change", function () { renderCharts(doc.body, true); });
  }

  /* ------------------------------------------------------------ run on the page and on every swap */
  function init(scope) {
    renderTimes(scope);
    renderCharts(scope, false);
  }

  if (window.htmx) {
    window.htmx.onLoad(init); // fires for the first page and for every piece htmx swaps in
  } else if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", function () { init(doc.body); });
  } else {
    init(doc.body);
  }
})();

// area: contracts and onboarding
// [data-print]: a button that opens the print dialog (the acceptance certificate); no inline handlers (CSP).
document.addEventListener("click", function (evt) {
  var button = evt.target.closest ? evt.target.closest("[data-print]") : null;
  if (button) {
    window.print();
  }
});
