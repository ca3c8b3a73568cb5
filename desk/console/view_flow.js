// view_flow.js: the textbook's incident flow as its chart draws it, each
// phase with its open incidents, live.  準備（予防） is the loop the chart
// closes into, 情報共有 sits at the centre, joined to every phase; the
// edges carry the chart's own decisions.  A phase opens the queue
// filtered to it.

import { svg, el, put } from "./dom.js";
import { t, n } from "./i18n.js";

const BOX = { w: 200, h: 96 };
const GAP = 110; // between two phases in a row: room for a decision
const X = (i) => 20 + BOX.w / 2 + i * (BOX.w + GAP);
const WIDTH = 2 * 20 + 4 * BOX.w + 3 * GAP;
const AT = {
  preparation: [WIDTH / 2, 70],
  triage: [X(0), 250],
  "detection-analysis": [X(1), 250],
  "containment-eradication-recovery": [X(2), 250],
  "post-incident": [X(3), 250],
  "information-sharing": [WIDTH / 2, 430],
};

function phaseName(store, id) {
  const p = (store.org.phases || []).find((x) => x.id === id);
  return p ? n(p) : id;
}

function decisionName(store, phase, id) {
  const d = (store.org.decisions || []).find((x) => x.phase === phase && x.id === id);
  return d ? n(d) : id;
}

// text in lines of at most max px, broken at spaces (a rough width at
// size px: a CJK character is square, anything else about half).
function wrap(text, max, size) {
  const width = (s) => [...s].reduce((a, c) => a + (c.codePointAt(0) > 0x2e80 ? size : size * 0.56), 0);
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    const longer = line ? line + " " + word : word;
    if (line && width(longer) > max) {
      lines.push(line);
      line = word;
    } else line = longer;
  }
  return line ? [...lines, line] : lines;
}

// A text of one or more lines, its first baseline at y.
function lines(x, y, words, attrs) {
  return svg("text", { x, y, "text-anchor": "middle", ...attrs },
    words.map((w, i) => svg("tspan", { x, dy: i ? "1.2em" : null }, w)));
}

// A decision between two phases side by side, written above the arrow.
function across(g, from, to, label) {
  const [x1, y] = AT[from];
  const [x2] = AT[to];
  g.append(svg("path", { d: `M${x1 + BOX.w / 2},${y} L${x2 - BOX.w / 2},${y}`, class: "edge", "marker-end": "url(#arrow)" }));
  if (label) {
    const words = wrap(label, GAP - 10, 12);
    g.append(lines((x1 + x2) / 2, y - 8 - (words.length - 1) * 14, words, { class: "edge-label" }));
  }
}

// A phase back to 準備（予防）: from its top (right of centre) to a
// point of preparation's bottom edge dx from its centre; the decision
// half way.
function back(g, from, dx, label) {
  const [x1, y1] = AT[from];
  const [px, py] = AT.preparation;
  const sx = x1 + 30, sy = y1 - BOX.h / 2, ex = px + dx, ey = py + BOX.h / 2;
  g.append(svg("path", { d: `M${sx},${sy} Q${sx},${ey} ${ex},${ey}`, class: "edge", "marker-end": "url(#arrow)" }));
  if (label) {
    const mx = 0.75 * sx + 0.25 * ex, my = 0.25 * sy + 0.75 * ey;
    g.append(lines(mx, my + 18, wrap(label, 150, 12), { class: "edge-label" }));
  }
}

export function viewFlow(view, store) {
  const open = [...store.incidents.values()].filter((i) => i.state === "open");
  const count = (id) => open.filter((i) => i.phase && i.phase.id === id).length;
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} 490`, class: "flow", role: "group", "aria-label": t("flow") });
  chart.append(svg("defs", {},
    svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" },
      svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }))));
  const edges = svg("g", {});
  {
    // the loop: preparation's left side down into triage's top
    const [px, py] = AT.preparation;
    const [tx, ty] = AT.triage;
    const sx = px - BOX.w / 2, ex = tx - 30, ey = ty - BOX.h / 2;
    edges.append(svg("path", { d: `M${sx},${py} Q${ex},${py} ${ex},${ey}`, class: "edge", "marker-end": "url(#arrow)" }));
  }
  across(edges, "triage", "detection-analysis", decisionName(store, "triage", "response-needed"));
  across(edges, "detection-analysis", "containment-eradication-recovery", decisionName(store, "detection-analysis", "detected"));
  across(edges, "containment-eradication-recovery", "post-incident", decisionName(store, "containment-eradication-recovery", "recovered"));
  back(edges, "triage", -60, decisionName(store, "triage", "no-response-needed"));
  back(edges, "detection-analysis", 0, decisionName(store, "detection-analysis", "not-detected"));
  back(edges, "post-incident", 60, decisionName(store, "post-incident", "lessons-learned"));
  for (const p of ["triage", "detection-analysis", "containment-eradication-recovery", "post-incident"]) {
    const [x, y] = AT[p];
    const [cx, cy] = AT["information-sharing"];
    edges.append(svg("path", { d: `M${x},${y + BOX.h / 2} L${cx},${cy - BOX.h / 2}`, class: "edge share" }));
  }
  chart.append(edges);
  for (const [id, [x, y]] of Object.entries(AT)) {
    const flowPhase = !["preparation", "information-sharing"].includes(id);
    const k = flowPhase ? count(id) : null;
    const name = wrap(phaseName(store, id), BOX.w - 16, 14);
    const g = svg("g", { class: "phase" + (flowPhase ? " link" : "") + (k ? " busy" : ""), "data-phase": id, tabindex: flowPhase ? 0 : null, role: flowPhase ? "link" : null });
    g.append(svg("rect", { x: x - BOX.w / 2, y: y - BOX.h / 2, width: BOX.w, height: BOX.h }));
    // the name's lines (16.8 px each) centred in the box, or in the
    // part of it above the count
    const [from, room] = flowPhase ? [y - BOX.h / 2 + 4, 60] : [y - BOX.h / 2, BOX.h];
    g.append(lines(x, from + (room - name.length * 16.8) / 2 + 12, name, { class: "phase-name" }));
    if (flowPhase) g.append(svg("text", { x, y: y + 38, "text-anchor": "middle", class: "phase-count", "data-count": id }, String(k)));
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
