// console.js: the console's frame: sign-in, the live store of incidents
// (the desk's list, then its server-sent events), the views by URL
// fragment, the language.  Every request is relative to the page, so the
// console works behind a reverse proxy under a path prefix.

import { el, put } from "./dom.js";
import { t, getLang, setLang } from "./i18n.js";
import { viewFlow } from "./view_flow.js";
import { viewQueue } from "./view_queue.js";
import { viewIncident } from "./view_incident.js";
import { viewCiso } from "./view_ciso.js";
import { viewOrg } from "./view_org.js";

const store = {
  me: null,
  org: null,
  incidents: new Map(), // id -> incident (list form, or full once opened)
  filter: {},
  selected: 0,
  live: false,
};

// A request to the desk: the parsed JSON, or an Error with .status.
export async function api(path, body) {
  const opts = { credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    opts.method = "POST";
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const r = await fetch("api/" + path, opts);
  let j = null;
  try {
    j = await r.json();
  } catch (e) {
    j = null;
  }
  if (!r.ok) {
    const err = new Error((j && j.error) || r.statusText);
    err.status = r.status;
    throw err;
  }
  return j;
}

// An action on an incident; the incident as the desk now has it.
export async function act(id, body) {
  const inc = await api("incidents/" + encodeURIComponent(id) + "/actions", body);
  store.incidents.set(inc.id, inc);
  render();
  return inc;
}

function signInForm(message) {
  const input = el("input", { type: "password", id: "token", name: "token", autocomplete: "current-password", "aria-label": t("token") });
  const msg = el("p", { class: "error", role: "alert", id: "signin-error" }, message || "");
  const form = el("form", { id: "signin", class: "signin" },
    el("h1", {}, t("title")),
    el("label", { for: "token" }, t("token")),
    input,
    el("button", { type: "submit" }, t("signin")),
    msg);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await api("session", { token: input.value });
      input.value = "";
      await start();
    } catch (e) {
      input.value = "";
      put(msg, e.status === 401 ? t("badToken") : String(e.message));
    }
  });
  put(document.getElementById("app"), form);
  input.focus();
}

let events = null;

function listen() {
  if (events) events.close();
  events = new EventSource("api/events");
  events.addEventListener("incident", (ev) => {
    let inc;
    try {
      inc = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    const had = store.incidents.get(inc.id);
    store.incidents.set(inc.id, had && had.history && !inc.history ? Object.assign({}, had, inc) : inc);
    render();
  });
  events.addEventListener("open", async () => {
    // after an outage, what changed meanwhile is read again: the stream
    // of events does not replay what it missed
    if (store.wasDown) {
      store.wasDown = false;
      try {
        await load();
      } catch (e) {
        /* the next event or reconnect tries again */
      }
      render();
    }
    store.live = true;
    renderStatus();
  });
  events.addEventListener("error", async () => {
    store.wasDown = true;
    store.live = false;
    renderStatus();
    // EventSource reconnects by itself; a session that ended does not
    try {
      await api("me");
    } catch (e) {
      if (e.status === 401) {
        events.close();
        signInForm();
      }
    }
  });
}

async function load() {
  const [me, org, list] = await Promise.all([api("me"), api("organisation"), api("incidents?state=all")]);
  store.me = me;
  store.org = org;
  store.incidents.clear();
  for (const inc of list.incidents) store.incidents.set(inc.id, inc);
}

async function start() {
  try {
    await load();
  } catch (e) {
    if (e.status === 401) return signInForm();
    put(document.getElementById("app"), el("p", { class: "error", role: "alert" }, t("offline")));
    setTimeout(start, 3000);
    return;
  }
  listen();
  frame();
  render();
}

// A page left open stays signed in: the session ends only after
// desk.session_ttl_s without a request.
setInterval(() => {
  if (store.me) api("me").catch(() => {});
}, 10 * 60 * 1000);

function navLink(hash, key) {
  const cur = (location.hash || "#/flow").split("/")[1];
  return el("a", { href: hash, class: cur === hash.split("/")[1] ? "current" : null, "aria-current": cur === hash.split("/")[1] ? "page" : null }, t(key));
}

function frame() {
  const app = document.getElementById("app");
  const langBtn = el("button", { type: "button", id: "lang", lang: getLang() === "ja" ? "en" : "ja" }, t("lang"));
  langBtn.addEventListener("click", () => {
    setLang(getLang() === "ja" ? "en" : "ja");
    frame();
    render();
  });
  const out = el("button", { type: "button", id: "signout" }, t("signout"));
  out.addEventListener("click", async () => {
    try {
      await api("logout", {});
    } catch (e) {
      /* the session is gone either way */
    }
    if (events) events.close();
    signInForm();
  });
  put(app,
    el("header", {},
      el("span", { class: "brand" }, t("title")),
      el("nav", { "aria-label": "views" },
        navLink("#/flow", "flow"), navLink("#/queue", "queue"),
        navLink("#/ciso", "ciso"), navLink("#/organisation", "organisation")),
      el("span", { id: "status", class: "status", role: "status" }),
      el("span", { class: "me" }, t("signedInAs") + " " + store.me.user + (store.me.team ? " (" + store.me.team + ")" : "")),
      langBtn, out),
    el("main", { id: "view", tabindex: "-1" }));
  renderStatus();
}

function renderStatus() {
  const s = document.getElementById("status");
  if (s) put(s, store.live ? "● " + t("live") : "○ " + t("offline"));
  if (s) s.className = store.live ? "status live" : "status";
}

export function render() {
  const view = document.getElementById("view");
  if (!view || !store.me) return;
  // never under someone's hands: a note being typed, a filter open
  const busy = document.activeElement;
  if (busy && view.contains(busy) && ["TEXTAREA", "INPUT"].includes(busy.tagName) && busy.type !== "checkbox") return;
  const parts = (location.hash || "#/flow").slice(2).split("/");
  const name = parts[0] || "flow";
  document.title = t("title") + " — " + t(name === "incident" ? "queue" : name);
  if (name === "queue") viewQueue(view, store);
  else if (name === "incident") viewIncident(view, store, decodeURIComponent(parts.slice(1).join("/")));
  else if (name === "ciso") viewCiso(view, store);
  else if (name === "organisation") viewOrg(view, store);
  else viewFlow(view, store);
}

window.addEventListener("hashchange", () => {
  if (!store.me) return;
  frame();
  render();
});

setLang(getLang());
start();
