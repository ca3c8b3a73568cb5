// view_org.js: the ISOMM radar chart of maturity per function (A-I, the
// mean of the scored roles, 0-5), with the current load (open incidents
// whose phase needs the function, scaled to the busiest) on the same
// axes; then each role's score as a bar, and who holds it.  Roles held by
// nobody or scored 2 or lower stand out: that is where a response stalls.

import { el, svg, put } from "./dom.js";
import { t, n } from "./i18n.js";

const R = 150;
const C = 200;

function point(i, k, v) {
  const a = -Math.PI / 2 + (2 * Math.PI * i) / k;
  return [C + Math.cos(a) * R * v, C + Math.sin(a) * R * v];
}

function polygon(values, cls) {
  const pts = values.map((v, i) => point(i, values.length, v).map((x) => x.toFixed(1)).join(",")).join(" ");
  return svg("polygon", { points: pts, class: cls });
}

export function viewOrg(view, store) {
  const fns = (store.org.functions || []).filter((f) => f.code !== "X");
  const open = [...store.incidents.values()].filter((i) => i.state === "open");
  const load = fns.map((f) => open.filter((i) => (i.who || []).some((r) => r.code.startsWith(f.code + "-"))).length);
  const maxLoad = Math.max(1, ...load);
  const chart = svg("svg", { viewBox: "0 0 400 400", class: "radar", role: "img", "aria-label": t("radar") });
  for (const ring of [1, 2, 3, 4, 5]) chart.append(polygon(fns.map(() => ring / 5), "ring"));
  fns.forEach((f, i) => {
    const [x, y] = point(i, fns.length, 1.12);
    const [ax, ay] = point(i, fns.length, 1);
    chart.append(svg("line", { x1: C, y1: C, x2: ax, y2: ay, class: "axis" }));
    chart.append(svg("text", { x, y, "text-anchor": "middle", "dominant-baseline": "middle", class: "axis-label" }, f.code));
  });
  chart.append(polygon(fns.map((f) => (f.maturity === null ? 0 : f.maturity / 5)), "maturity"));
  chart.append(polygon(load.map((l) => l / maxLoad), "load"));
  const legend = el("p", { class: "legend" },
    el("span", { class: "key maturity" }, t("maturity") + " (0–5)"), " ",
    el("span", { class: "key load" }, t("load") + " (max " + maxLoad + ")"));
  const table = el("table", { class: "functions" }, el("tbody", {}, fns.map((f, i) =>
    el("tr", { "data-function": f.code },
      el("th", { scope: "row" }, f.code + " " + n(f)),
      el("td", { class: "num" }, f.maturity === null ? "-" : f.maturity.toFixed(1)),
      el("td", { class: "num" }, String(load[i]))))));
  const roles = el("div", { class: "roles" }, fns.map((f) =>
    el("div", { class: "fn" }, el("h3", {}, f.code + " " + n(f)),
      (f.roles || []).map((r) => el("div", { class: "bar-row" + (r.weak ? " weak" : ""), "data-role": r.code },
        el("span", { class: "bar-label" }, r.code + " " + n(r)),
        el("span", { class: "bar" }, el("span", { class: "bar-fill w" + (r.maturity === null ? 0 : r.maturity * 20) })),
        el("span", { class: "num" }, r.maturity === null ? "-" : String(r.maturity)),
        el("span", {}, (r.team || t("nobody")) + (r.sourcing ? " · " + t(r.sourcing) : "") + (r.weak ? " ⚠ " + t("weak") : "")))))));
  put(view, el("h1", {}, t("organisation")),
    el("p", {}, t("pattern") + ": " + (store.org.pattern ? n(store.org.pattern) : "-")),
    el("div", { class: "org-top" }, el("figure", {}, chart, el("figcaption", {}, t("radar")), legend), table),
    el("h2", {}, t("roles")), roles);
}
