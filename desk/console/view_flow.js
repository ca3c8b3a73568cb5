// view_flow.js: the textbook's incident flow as its chart draws it, each
// phase with its open incidents, live.  準備（予防） is the loop the chart
// closes into, 情報共有 sits at the centre, joined to every phase; the
// edges carry the chart's own decisions.  A phase opens the queue
// filtered to it.

import { svg, el, put } from "./dom.js";
import { t, n } from "./i18n.js";

const BOX = { w: 190, h: 74 };
const AT = {
  preparation: [450, 60],
  triage: [110, 230],
  "detection-analysis": [340, 230],
  "containment-eradication-recovery": [570, 230],
  "post-incident": [800, 230],
  "information-sharing": [450, 400],
};

function phaseName(store, id) {
  const p = (store.org.phases || []).find((x) => x.id === id);
  return p ? n(p) : id;
}

function decisionName(store, phase, id) {
  const d = (store.org.decisions || []).find((x) => x.phase === phase && x.id === id);
  return d ? n(d) : id;
}

function edge(g, from, to, label, bend) {
  const [x1, y1] = AT[from];
  const [x2, y2] = AT[to];
  const sx = x1 + (x2 > x1 ? BOX.w / 2 : x2 < x1 ? -BOX.w / 2 : 0);
  const sy = y1 + (y2 < y1 ? -BOX.h / 2 : y2 > y1 ? BOX.h / 2 : 0);
  const ex = x2 + (x1 > x2 && y1 === y2 ? BOX.w / 2 : x1 < x2 && y1 === y2 ? -BOX.w / 2 : 0);
  const ey = y2 + (y1 > y2 ? BOX.h / 2 : y1 < y2 ? -BOX.h / 2 : 0);
  const mx = (sx + ex) / 2 + (bend || 0);
  const my = (sy + ey) / 2 - (bend ? 30 : 0);
  g.append(svg("path", { d: `M${sx},${sy} Q${mx},${my} ${ex},${ey}`, class: "edge", "marker-end": "url(#arrow)" }));
  if (label) g.append(svg("text", { x: mx, y: my - 6, class: "edge-label", "text-anchor": "middle" }, label));
}

export function viewFlow(view, store) {
  const open = [...store.incidents.values()].filter((i) => i.state === "open");
  const count = (id) => open.filter((i) => i.phase && i.phase.id === id).length;
  const chart = svg("svg", { viewBox: "0 0 910 470", class: "flow", role: "group", "aria-label": t("flow") });
  chart.append(svg("defs", {},
    svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" },
      svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }))));
  const edges = svg("g", {});
  edge(edges, "preparation", "triage", null, -40);
  edge(edges, "triage", "detection-analysis", decisionName(store, "triage", "response-needed"));
  edge(edges, "triage", "preparation", decisionName(store, "triage", "no-response-needed"), 40);
  edge(edges, "detection-analysis", "containment-eradication-recovery", decisionName(store, "detection-analysis", "detected"));
  edge(edges, "detection-analysis", "preparation", decisionName(store, "detection-analysis", "not-detected"), 20);
  edge(edges, "containment-eradication-recovery", "post-incident", null);
  edge(edges, "post-incident", "preparation", null, 60);
  for (const p of ["triage", "detection-analysis", "containment-eradication-recovery", "post-incident"]) {
    const [x, y] = AT[p];
    const [cx, cy] = AT["information-sharing"];
    edges.append(svg("path", { d: `M${x},${y + BOX.h / 2} L${cx},${cy - BOX.h / 2}`, class: "edge share" }));
  }
  chart.append(edges);
  for (const [id, [x, y]] of Object.entries(AT)) {
    const flowPhase = !["preparation", "information-sharing"].includes(id);
    const k = flowPhase ? count(id) : null;
    const g = svg("g", { class: "phase" + (flowPhase ? " link" : "") + (k ? " busy" : ""), "data-phase": id, tabindex: flowPhase ? 0 : null, role: flowPhase ? "link" : null });
    g.append(svg("rect", { x: x - BOX.w / 2, y: y - BOX.h / 2, width: BOX.w, height: BOX.h }));
    g.append(svg("text", { x, y: y - 8, "text-anchor": "middle", class: "phase-name" }, phaseName(store, id)));
    if (flowPhase) g.append(svg("text", { x, y: y + 22, "text-anchor": "middle", class: "phase-count", "data-count": id }, String(k)));
    if (flowPhase) {
      const go = () => {
        store.filter = { phase: id };
        location.hash = "#/queue";
      };
      g.addEventListener("click", go);
      g.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") go();
      });
    }
    chart.append(g);
  }
  put(view, el("h1", {}, t("flow")), chart,
    el("p", { class: "hint" }, open.length + " " + t("open")));
}
