import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The dashboard's static files: its own script and stylesheet (kept here as text, so `npm run
 * build` carries them into dist/ with the code), and uPlot's, read from the installed `uplot`
 * package. Nothing is fetched from another host.
 */
const CLIENT_JS = `"use strict";
// Tollgate dashboard: progressive enhancement only; every page works without this file.
(function () {
  // Copy buttons: <button data-copy="ID"> copies the value of the element #ID.
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-copy]");
    if (!b) return;
    var el = document.getElementById(b.getAttribute("data-copy"));
    if (!el) return;
    var done = function () { b.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(el.value).then(done, function () { el.select(); });
    else { el.select(); try { document.execCommand("copy"); done(); } catch (_) {} }
  });
  // A write form is sent once: a second click while its answer loads does nothing (a resent form,
  // e.g. a reload of its answer, is replayed by the server instead: see the _once field).
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if ((f.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if (f.hasAttribute("data-sent")) { e.preventDefault(); return; }
    f.setAttribute("data-sent", "");
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (f) { f.removeAttribute("data-sent"); });
  });
  // The team switcher submits as soon as a team is chosen (its button is for browsers without JS).
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
    var button = s.form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
  });
  // Charts: <div class="chart" data-kind="time|bars" data-labels="[...]" data-values="[...]">.
  if (window.uPlot) document.querySelectorAll("div.chart[data-values]").forEach(function (div) {
    var labels = JSON.parse(div.getAttribute("data-labels") || "[]");
    var values = JSON.parse(div.getAttribute("data-values") || "[]");
    if (values.length === 0) return;
    var width = Math.max(320, Math.min(900, div.clientWidth || 600));
    var bars = uPlot.paths.bars({ size: [0.6, 60] });
    var time = div.getAttribute("data-kind") === "time";
    var xs = time ? labels : labels.map(function (_, i) { return i; });
    var opts = {
      width: width, height: 220, legend: { show: false },
      scales: {
        // Days: half a day of room each side (one day alone would span years); bars: one slot each.
        x: { time: time, range: time ? [xs[0] - 43200, xs[xs.length - 1] + 43200] : [-0.5, labels.length - 0.5] },
        y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } },
      },
      axes: [
        time ? {} : { splits: function () { return xs; }, values: function (u, splits) { return splits.map(function (i) { return String(labels[i] == null ? "" : labels[i]).slice(0, 24); }); } },
        { values: function (u, splits) { return splits.map(function (v) { return "$" + v; }); } },
      ],
      series: [{}, { label: "USD", stroke: "#2563eb", fill: "rgba(37,99,235,0.35)", paths: bars, points: { show: false } }],
    };
    div.textContent = "";
    new uPlot(opts, [xs, values], div);
  });
})();
`;

const CSS = `
:root {
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --bg: #f6f7f9; --card: #fff;
  --accent: #2563eb; --accent-ink: #1d4ed8; --danger: #b91c1c; --ok: #15803d; --warn: #b45309;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 15px; color: var(--ink); background: var(--bg);
}
body { margin: 0; }
a { color: var(--accent-ink); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .88em; }

/* Top bar: brand, team switcher, who is signed in. */
header { display: flex; gap: .75rem 1.25rem; align-items: center; flex-wrap: wrap; padding: .55rem 1.5rem; background: #0f172a; color: #e2e8f0; }
header a { color: #fff; }
header .brand { display: inline-flex; align-items: center; gap: .5rem; font-weight: 700; font-size: 1.05rem; letter-spacing: .01em; text-decoration: none; margin-right: .5rem; }
header .brand::before { content: ""; width: 1.1rem; height: 1.1rem; border-radius: 4px; background: linear-gradient(135deg, #60a5fa, #2563eb 55%, #7c3aed); }
header form { display: inline-flex; gap: .4rem; align-items: center; margin: 0; }
header label { margin: 0; color: #94a3b8; font-size: .85rem; }
header select { background: #1e293b; color: #f8fafc; border: 1px solid #334155; border-radius: 6px; padding: .3rem .5rem; }
header button { background: transparent; color: #e2e8f0; border-color: #334155; }
header button:hover { background: #1e293b; }
header .who { margin-left: auto; font-size: .88rem; color: #cbd5e1; }
header .who strong { color: #fff; font-weight: 600; }

/* Page tabs. */
nav { background: var(--card); border-bottom: 1px solid var(--line); padding: 0 1.5rem; }
nav ul { display: flex; gap: .25rem; list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
nav a { display: block; padding: .7rem .8rem .6rem; color: var(--muted); text-decoration: none; font-weight: 500; border-bottom: 2px solid transparent; }
nav a:hover { color: var(--ink); }
nav a[aria-current="page"] { color: var(--ink); border-bottom-color: var(--accent); font-weight: 600; }

main { padding: 1.25rem 1.5rem 3rem; max-width: 1240px; }
h1 { font-size: 1.45rem; font-weight: 650; margin: .3rem 0 1rem; }
h2 { font-size: 1.1rem; font-weight: 600; margin: 1.5rem 0 .5rem; }

/* Tables as cards. */
table { border-collapse: separate; border-spacing: 0; width: 100%; margin: .5rem 0 1rem; background: var(--card); border: 1px solid var(--line); border-radius: 10px; box-shadow: 0 1px 2px rgba(15, 23, 42, .04); }
tr:first-child > th:first-child { border-top-left-radius: 10px; }
tr:first-child > th:last-child { border-top-right-radius: 10px; }
tbody tr:last-child > td:first-child { border-bottom-left-radius: 10px; }
tbody tr:last-child > td:last-child { border-bottom-right-radius: 10px; }
caption { caption-side: top; text-align: left; padding: 0 0 .4rem; font-size: .85rem; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: .6rem .75rem; vertical-align: middle; }
th { background: #f8fafc; color: var(--muted); font-size: .74rem; font-weight: 600; text-transform: uppercase; letter-spacing: .05em; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:hover td { background: #fafbfc; }
td form { display: inline-flex; gap: .3rem; align-items: center; margin: 0 .25rem 0 0; }
td.key-name { font-weight: 600; white-space: nowrap; }
td code { white-space: nowrap; }
td.actions { font-size: .9rem; white-space: nowrap; }
td.actions > div { display: flex; gap: .5rem; align-items: center; margin-bottom: .35rem; }
td.actions form { margin: 0; }
td.actions label { margin: 0; }
.grace { font-size: .8rem; margin-top: .2rem; }

/* Status badges and tags. */
.badge, .tag { display: inline-block; padding: .1rem .5rem; border-radius: 999px; font-size: .78rem; font-weight: 600; background: #f1f5f9; color: #475569; }
.badge[data-status="active"] { background: #dcfce7; color: var(--ok); }
.badge[data-status="deactivated"] { background: #f1f5f9; color: #64748b; }
.badge[data-status="leaked"] { background: #fee2e2; color: var(--danger); }
.badge[data-status="expired"] { background: #fef3c7; color: var(--warn); }
.tag.hard { background: #ede9fe; color: #6d28d9; }

/* Spend against budget. */
.spendbar { display: inline-grid; gap: .3rem; }
.spendbar .figures { white-space: nowrap; }
.spend { font-variant-numeric: tabular-nums; }
meter { width: 11rem; height: .55rem; }
meter::-webkit-meter-bar { background: #e2e8f0; border: 0; border-radius: 999px; height: .55rem; }
meter::-webkit-meter-optimum-value { background: #22c55e; border-radius: 999px; }
meter::-webkit-meter-suboptimum-value { background: #f59e0b; border-radius: 999px; }
meter::-webkit-meter-even-less-good-value { background: #ef4444; border-radius: 999px; }

/* Forms. */
fieldset { border: 1px solid var(--line); border-radius: 10px; margin: 1rem 0; padding: .8rem 1.1rem 1rem; background: var(--card); }
legend { font-weight: 600; padding: 0 .35rem; }
label { display: inline-block; margin: .3rem 1rem .3rem 0; }
input, select, button { font: inherit; font-size: .92rem; }
input:not([type="checkbox"]), select { border: 1px solid #cbd5e1; border-radius: 6px; padding: .3rem .5rem; background: #fff; color: var(--ink); }
button { cursor: pointer; border: 1px solid #cbd5e1; border-radius: 6px; padding: .3rem .75rem; background: #fff; color: var(--ink); }
button:hover { background: #f1f5f9; }
fieldset button[type="submit"], button.primary, .signin button[type="submit"] { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
fieldset button[type="submit"]:hover, button.primary:hover, .signin button[type="submit"]:hover { background: var(--accent-ink); }
button.danger, a.danger { color: var(--danger); }
button.danger:hover { background: #fef2f2; border-color: #fca5a5; }

/* Messages. */
.error, .notice { border-radius: 8px; padding: .6rem 1rem; }
.error { border: 1px solid #fca5a5; background: #fef2f2; color: #7f1d1d; }
.notice { border: 1px solid #86efac; background: #f0fdf4; color: #14532d; }
.secret { border: 1px solid #facc15; background: #fefce8; border-radius: 10px; padding: .7rem 1.1rem; margin: 1rem 0; }
.secret input { width: 34rem; max-width: 100%; font-family: ui-monospace, Menlo, Consolas, monospace; }
.muted { color: var(--muted); }
.pager { display: flex; gap: 1.25rem; align-items: center; }
.chart { min-height: 230px; background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: .5rem; margin-bottom: 1rem; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.signin { max-width: 34rem; margin: 4rem auto; background: var(--card); padding: 1.5rem 2rem; border: 1px solid var(--line); border-radius: 12px; box-shadow: 0 4px 16px rgba(15, 23, 42, .06); }
.signin input { width: 100%; box-sizing: border-box; font-family: ui-monospace, Menlo, Consolas, monospace; }
`;

const TYPES: Record<string, string> = { js: "text/javascript; charset=utf-8", css: "text/css; charset=utf-8" };
const UPLOT_FILES: Record<string, string> = { "uPlot.iife.min.js": "js", "uPlot.min.css": "css" };

export type Asset = { body: Uint8Array<ArrayBuffer>; type: string };

/** Looks an asset up by file name (read from disk once, then kept). */
export function dashboardAssets(): (file: string) => Asset | undefined {
  const cache = new Map<string, Asset>();
  cache.set("dashboard.js", { body: new Uint8Array(Buffer.from(CLIENT_JS)), type: TYPES.js! });
  cache.set("dashboard.css", { body: new Uint8Array(Buffer.from(CSS)), type: TYPES.css! });
  let dir: string | undefined;
  return (file) => {
    const hit = cache.get(file);
    if (hit) return hit;
    const ext = UPLOT_FILES[file];
    if (!ext) return undefined;
    dir ??= join(dirname(createRequire(import.meta.url).resolve("uplot")), "..", "dist");
    const asset = { body: new Uint8Array(readFileSync(join(dir, file))), type: TYPES[ext]! };
    cache.set(file, asset);
    return asset;
  };
}
