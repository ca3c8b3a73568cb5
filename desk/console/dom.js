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

const SAFE_ATTR = /^(class|id|title|href|type|name|value|for|role|tabindex|lang|placeholder|autocomplete|disabled|selected|checked|colspan|download|scope|maxlength|datetime|aria-[a-z]+|data-[a-z-]+|x|y|dy|x1|y1|x2|y2|cx|cy|r|d|points|width|height|viewBox|transform|text-anchor|dominant-baseline|marker-end|fill|stroke|stroke-width|fill-opacity|orient|markerWidth|markerHeight|refX|refY)$/;

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

// An address as people write it: Suricata writes IPv6 in full
// ("2001:0db8:0000:…:0023"), shown in its short form ("2001:db8::23", as
// RFC 5952 and the desk's incident keys have it); anything else as it is.
export function addr(ip) {
  const s = String(ip);
  const halves = s.split("::");
  if (!/^[0-9A-Fa-f:]+$/.test(s) || !s.includes(":") || halves.length > 2) return s;
  const groups = (h) => (h === "" ? [] : h.split(":"));
  const head = groups(halves[0]), tail = halves.length === 2 ? groups(halves[1]) : [];
  const zeros = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (zeros < 0 || (halves.length === 1 && head.length !== 8) || (halves.length === 2 && zeros < 1)) return s;
  const g = [...head, ...Array(zeros).fill("0"), ...tail];
  if (g.some((x) => x.length === 0 || x.length > 4)) return s;
  const n = g.map((x) => parseInt(x, 16).toString(16));
  let at = -1, len = 1; // the first longest run of two or more zero groups
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && n[j] === "0") j++;
    if (j - i > len) [at, len] = [i, j - i];
    i = j > i ? j : i + 1;
  }
  return at < 0 ? n.join(":") : n.slice(0, at).join(":") + "::" + n.slice(at + len).join(":");
}

// "2026-11-28T22:00:00Z", or Suricata's "2026-11-28T22:00:00.123456+0900",
// as local date and time (to the second), or "-".
export function when(iso) {
  if (!iso) return "-";
  const d = new Date(String(iso).replace(/\.\d+/, "").replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  if (isNaN(d)) return String(iso);
  return d.toLocaleString(undefined, { dateStyle: "short", timeStyle: "medium" });
}
