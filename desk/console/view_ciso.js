// view_ciso.js: the CISO dashboard's four KPI categories (incidents
// opened in the last 24 hours, 7 and 30 days), time to acknowledge and
// time to contain (median and p90, never the mean: one forgotten
// incident would swamp it), open incidents by phase, and the sources with
// the triangle they declare (the measured one comes with the sources'
// feedback) and how long ago their fetched feeds last arrived.

import { el, put } from "./dom.js";
import { t, n, side } from "./i18n.js";
import { api } from "./console.js";

const HOUR = 3600 * 1000;

function ms(iso) {
  const v = Date.parse(iso || "");
  return isNaN(v) ? null : v;
}

function quantile(xs, q) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
}

function span(v) {
  if (v === null) return "-";
  const m = Math.round(v / 60000);
  if (m < 120) return m + " min";
  const h = Math.round(m / 60);
  return h < 72 ? h + " h" : Math.round(h / 24) + " d";
}

function bar(value, max, label) {
  const w = max > 0 ? Math.round((value / max) * 100) : 0;
  return el("div", { class: "bar-row" },
    el("span", { class: "bar-label" }, label),
    el("span", { class: "bar", "data-width": w }, el("span", { class: "bar-fill w" + Math.round(w / 5) * 5 })),
    el("span", { class: "num" }, String(value)));
}

export function viewCiso(view, store) {
  const all = [...store.incidents.values()];
  const now = Date.now();
  const kpiRows = (store.org.kpis || []).map((k) => {
    const of = all.filter((i) => i.kpi === k.id);
    const since = (h) => of.filter((i) => ms(i.opened_at) !== null && now - ms(i.opened_at) <= h * HOUR).length;
    return el("tr", { "data-kpi": k.id }, el("th", { scope: "row" }, n(k)),
      el("td", { class: "num" }, String(since(24))), el("td", { class: "num" }, String(since(24 * 7))),
      el("td", { class: "num" }, String(since(24 * 30))),
      el("td", { class: "num" }, String(of.filter((i) => i.state === "open").length)));
  });
  const tta = all.filter((i) => i.acked_at).map((i) => ms(i.acked_at) - ms(i.opened_at)).filter((v) => v >= 0);
  const ttc = all.filter((i) => i.contained_at).map((i) => ms(i.contained_at) - ms(i.opened_at)).filter((v) => v >= 0);
  const flow = ["triage", "detection-analysis", "containment-eradication-recovery", "post-incident"];
  const open = all.filter((i) => i.state === "open");
  const byPhase = flow.map((p) => [p, open.filter((i) => i.phase && i.phase.id === p).length]);
  const max = Math.max(1, ...byPhase.map((x) => x[1]));
  const triangles = el("div", { id: "triangles" }, t("loading"));
  put(view,
    el("h1", {}, t("ciso")),
    el("section", {}, el("h2", {}, t("kpiTitle")),
      el("table", { class: "kpi" },
        el("thead", {}, el("tr", {}, el("th", {}, ""), el("th", { scope: "col", class: "num" }, t("h24")), el("th", { scope: "col", class: "num" }, t("d7")),
          el("th", { scope: "col", class: "num" }, t("d30")), el("th", { scope: "col", class: "num" }, t("open")))),
        el("tbody", {}, kpiRows))),
    el("section", { class: "times" },
      el("div", {}, el("h2", {}, t("tta")), el("p", { id: "tta" }, t("median") + " " + span(quantile(tta, 0.5)) + " · " + t("p90") + " " + span(quantile(tta, 0.9)) + " (n=" + tta.length + ")")),
      el("div", {}, el("h2", {}, t("ttc")), el("p", { id: "ttc" }, t("median") + " " + span(quantile(ttc, 0.5)) + " · " + t("p90") + " " + span(quantile(ttc, 0.9)) + " (n=" + ttc.length + ")"))),
    el("section", {}, el("h2", {}, t("byPhase")),
      byPhase.map(([p, k]) => bar(k, max, n(store.org.phases.find((x) => x.id === p))))),
    el("section", {}, el("h2", {}, t("triangle")), triangles));
  // declared beside measured: the desk's verdicts on each source
  api("sources").then((m) => {
    put(triangles, el("table", { class: "sources" },
      el("thead", {}, el("tr", {}, ["source", "declared", "accuracy", "coverage", "speed", "fetched"].map((k) =>
        el("th", { scope: "col", class: ["accuracy", "coverage", "speed"].includes(k) ? "num" : null }, t(k))), el("th", {}, ""))),
      el("tbody", {}, m.sources.map((s) => el("tr", { "data-source": s.id, class: s.disagrees ? "weak" : null },
        el("th", { scope: "row" }, s.name || s.id),
        el("td", { class: "declared" }, t("strong") + ": " + s.declared.strong.map(side).join(" + ") + ", " + t("weakAt") + ": " + side(s.declared.weak)),
        el("td", { class: "num" }, figure(s.measured.accuracy)),
        el("td", { class: "num" }, figure(s.measured.coverage)),
        el("td", { class: "num" }, speed(s.measured.speed)),
        fetchedCell(s.fetched),
        el("td", {}, s.disagrees ? "⚠ " + t("disagrees") + " (" + t("weakAt") + ": " + side(s.measured.weak) + ")" : ""))))),
      el("p", { class: "hint" }, t("triangleHint").replace("%d", m.window_days).replace("%n", m.min_verdicts)));
  }).catch(() => {});
}

// how long ago the source's fetched feeds last arrived (the oldest of
// them); a day or more, or never, stands out: its detections are stale
function fetchedCell(f) {
  if (!f) return el("td", { class: "fetched" }, t("notFetched"));
  const at = ms(f.last_success);
  const age = at === null ? null : Date.now() - at;
  const stale = age === null || age >= 24 * HOUR;
  return el("td", { class: stale ? "fetched stale" : "fetched", title: f.last_success || "" },
    age === null ? t("neverFetched") : span(Math.max(0, age)) + " " + t("ago"));
}

// the share shared before the activity, with the median lead in hours
function speed(f) {
  const lead = f && typeof f.median_lead_s === "number"
    ? " · " + t("medianLead") + " " + Math.round(f.median_lead_s / 3600) + " h" : "";
  return figure(f) + lead;
}

function figure(f) {
  if (!f || f.value === null || f.value === undefined) return t("notEnough") + " (n=" + ((f && f.n) || 0) + ")";
  return Math.round(f.value * 100) + "% (n=" + f.n + ")";
}
