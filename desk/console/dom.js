// dom.js: build elements from data without ever parsing it as HTML.
// Every string from the desk (alert fields are attacker-controlled) goes
// in through textContent or setAttribute of a fixed, harmless name.

const SVG = "http://www.w3.org/2000/svg";

// el("td", {class: "x", title: t}, child, "text", ...): an element.
export function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  return fill(e, attrs, kids);
}

// svg("circle", {cx: 1}): an SVG element.
export function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  return fill(e, attrs, kids);
}

const SAFE_ATTR = /^(class|id|title|href|type|name|value|for|role|tabindex|lang|placeholder|autocomplete|disabled|selected|checked|colspan|scope|maxlength|datetime|aria-[a-z]+|data-[a-z-]+|x|y|dy|x1|y1|x2|y2|cx|cy|r|d|points|width|height|viewBox|transform|text-anchor|dominant-baseline|marker-end|fill|stroke|stroke-width|fill-opacity|orient|markerWidth|markerHeight|refX|refY)$/;

function fill(e, attrs, kids) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") {
      e.addEventListener(k.slice(2), v);
      continue;
    }
    if (!SAFE_ATTR.test(k)) throw new Error("attribute not allowed: " + k);
    if (k === "href" && !/^(#|\.\/|api\/)/.test(String(v)))
      throw new Error("link not allowed");
    e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

// Replace a container's children.
export function put(container, ...kids) {
  container.replaceChildren(...kids.flat().filter((k) => k !== null && k !== undefined));
}

// "2026-11-28T22:00:00Z", or Suricata's "2026-11-28T22:00:00.123456+0900",
// as local date and time (to the second), or "-".
export function when(iso) {
  if (!iso) return "-";
  const d = new Date(String(iso).replace(/\.\d+/, "").replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  if (isNaN(d)) return String(iso);
  return d.toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}
