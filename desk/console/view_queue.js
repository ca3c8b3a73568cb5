// view_queue.js: open incidents, latest activity first, filtered by
// phase, team, source, KPI and owner; driven from the keyboard like the
// triage tools analysts know: j/k move, Enter opens, a acknowledges, e
// escalates (the flow chart's forward decision), f closes as a false
// positive.

import { el, put, when } from "./dom.js";
import { t, n, side } from "./i18n.js";
import { act } from "./console.js";

const FIELDS = ["phase", "team", "source", "kpi", "owner"];

function values(inc, f) {
  if (f === "phase") return inc.phase ? [inc.phase.id] : [];
  if (f === "team") return inc.teams || [];
  if (f === "source") return (inc.sources || []).map((s) => s.id);
  if (f === "kpi") return inc.kpi ? [inc.kpi] : [];
  if (f === "owner") return [inc.owner || ""];
  return [];
}

function label(store, f, v) {
  if (f === "phase") {
    const p = store.org.phases.find((x) => x.id === v);
    return p ? n(p) : v;
  }
  if (f === "kpi") {
    const k = (store.org.kpis || []).find((x) => x.id === v);
    return k ? n(k) : v;
  }
  if (f === "owner" && v === "") return t("nobody");
  return v;
}

// The flow chart's forward decision from the incident's phase, if any.
export function forward(store, inc) {
  const ds = (store.org.decisions || []).filter((d) => inc.phase && d.phase === inc.phase.id);
  return ds.find((d) => d.to !== "closed") || ds[0] || null;
}

export function sourceChip(s) {
  const tri = s.triangle || {};
  return el("span", { class: "chip tlp-" + String(s.tlp || "").replace(/[^a-z+]/g, ""), title: tri.caveat ? n(tri.caveat) : null },
    s.id, " ", "TLP:" + String(s.tlp || "?").toUpperCase(),
    tri.weak ? " · " + t("weakAt") + ": " + side(tri.weak) : "");
}

function matches(store, inc) {
  if (inc.state !== "open") return false;
  for (const f of FIELDS) {
    const want = store.filter[f];
    if (want !== undefined && want !== "" && !values(inc, f).includes(want)) return false;
  }
  return true;
}

export function viewQueue(view, store) {
  const all = [...store.incidents.values()].filter((i) => i.state === "open");
  const rows = all.filter((i) => matches(store, i)).sort((a, b) => (b.updated_at || "").localeCompare(a.updated_at || ""));
  if (store.selected >= rows.length) store.selected = Math.max(0, rows.length - 1);
  const filters = el("div", { class: "filters" });
  for (const f of FIELDS) {
    const opts = [...new Set(all.flatMap((i) => values(i, f)))].sort();
    const sel = el("select", { id: "filter-" + f, name: f, "aria-label": t(f) },
      el("option", { value: "" }, t(f) + ": " + t("all")),
      opts.map((v) => el("option", { value: v, selected: store.filter[f] === v }, label(store, f, v))));
    sel.addEventListener("change", () => {
      store.filter = Object.assign({}, store.filter, { [f]: sel.value });
      viewQueue(view, store);
    });
    filters.append(sel);
  }
  const body = el("tbody", {});
  rows.forEach((inc, i) => {
    const tr = el("tr", { class: i === store.selected ? "selected" : null, "data-id": inc.id, tabindex: 0, "aria-selected": i === store.selected ? "true" : "false" },
      el("td", {}, el("a", { href: "#/incident/" + encodeURIComponent(inc.id) }, inc.cve || inc.asset || inc.id)),
      el("td", {}, n(inc.phase)),
      el("td", { class: "num" }, String((inc.alerts && inc.alerts.count) || 0)),
      el("td", {}, when(inc.alerts && inc.alerts.first)),
      el("td", {}, when(inc.alerts && inc.alerts.last)),
      el("td", {}, (inc.sources || []).map(sourceChip)),
      el("td", {}, inc.owner || t("nobody")));
    tr.addEventListener("click", () => {
      store.selected = i;
      viewQueue(view, store);
    });
    body.append(tr);
  });
  const table = el("table", { class: "queue" },
    el("thead", {}, el("tr", {}, ["asset", "phase", "alerts", "firstSeen", "lastSeen", "sources", "owner"].map((k) => el("th", { scope: "col" }, t(k))))),
    body);
  put(view, el("h1", {}, t("queue")), filters, el("p", { class: "hint" }, t("keys")), table);
  view.onkeydown = async (ev) => {
    if (ev.target.tagName === "SELECT" || ev.target.tagName === "INPUT") return;
    const inc = rows[store.selected];
    try {
      if (ev.key === "j") store.selected = Math.min(rows.length - 1, store.selected + 1);
      else if (ev.key === "k") store.selected = Math.max(0, store.selected - 1);
      else if (ev.key === "Enter" && inc) location.hash = "#/incident/" + encodeURIComponent(inc.id);
      else if (ev.key === "a" && inc) await act(inc.id, { action: "ack" });
      else if (ev.key === "e" && inc && forward(store, inc)) await act(inc.id, { action: "advance", decision: forward(store, inc).id });
      else if (ev.key === "f" && inc) await act(inc.id, { action: "close", verdict: "false-positive" });
      else return;
    } catch (e) {
      alertBox(view, e);
      return;
    }
    ev.preventDefault();
    if (location.hash.startsWith("#/queue")) viewQueue(view, store);
    const sel = view.querySelector("tr.selected");
    if (sel) sel.focus();
  };
}

export function alertBox(view, e) {
  const old = view.querySelector(".error");
  if (old) old.remove();
  view.prepend(el("p", { class: "error", role: "alert" }, t("refused") + ": " + e.message));
}
