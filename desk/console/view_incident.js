// view_incident.js: everything the desk knows of one incident, and only
// the actions the flow chart allows from where it stands.

import { addr, el, put, when } from "./dom.js";
import { t, n, getLang, word } from "./i18n.js";
import { api, act, render } from "./console.js";
import { sourceChip, alertBox } from "./view_queue.js";

// What the analyst has chosen or typed on an incident's page, by
// incident. The page is drawn anew on every event of any incident; a
// verdict chosen must not slip back to its default under the analyst's
// hand (a false positive closed as a true one goes to its sources as a
// sighting), nor a note half written, the TLP picked or the report shown.
const drafts = new Map();
function draftOf(id) {
  if (!drafts.has(id)) drafts.set(id, { verdict: "true-positive", note: "", tlp: "amber", report: null, asking: null, send: {} });
  return drafts.get(id);
}

function section(title, ...kids) {
  return el("section", {}, el("h2", {}, title), ...kids);
}

function whoTable(inc) {
  return el("table", { class: "who" },
    el("tbody", {}, (inc.who || []).map((r) =>
      el("tr", { class: r.weak ? "weak" : null },
        el("td", {}, r.code), el("td", {}, n(r)),
        el("td", {}, r.team || t("nobody")),
        el("td", {}, r.sourcing ? t(r.sourcing) : "-"),
        el("td", {}, r.maturity === null || r.maturity === undefined ? "-" : t("maturity") + " " + r.maturity),
        el("td", {}, r.weak ? "⚠ " + t("weak") : "")))));
}

function whatList(inc) {
  return el("ul", { class: "what" }, (inc.what || []).map((w, i) => {
    const box = el("input", { type: "checkbox", id: "need-" + i, checked: !!w.done, disabled: inc.state !== "open" });
    box.addEventListener("change", async () => {
      try {
        await act(inc.id, { action: "check", item: i, done: box.checked });
      } catch (e) {
        box.checked = !box.checked;
      }
    });
    return el("li", {}, box, el("label", { for: "need-" + i }, n(w)));
  }));
}

// Each indicator with its sources' advice, its own verdict if given, and
// the buttons that give one (feedback to the sources, measured).
function indicators(view, inc) {
  const advice = new Map((inc.sources || []).map((s) => [s.id, s.triangle && s.triangle.advice]));
  const own = (x) => (inc.indicator_verdicts || []).find((v) => v.type === x.type && v.value === x.value);
  return list("ul", { class: "indicators" }, (inc.indicators || []).map((x) => {
    const judge = (verdict) => {
      const b = el("button", { type: "button", class: "small", "data-verdict": verdict }, t(verdict));
      b.addEventListener("click", async () => {
        try {
          await act(inc.id, { action: "verdict", verdict, indicator: { type: x.type, value: x.value } });
        } catch (e) {
          alertBox(view, e);
        }
      });
      return b;
    };
    const v = own(x);
    return el("li", { "data-indicator": x.type + " " + x.value }, el("code", {}, x.type + " " + x.value), " ",
      v ? el("strong", {}, "[" + t(v.verdict) + "]") : "", " ",
      (x.sources || []).length ? [judge("true-positive"), " ", judge("false-positive")] : "",
      el("ul", {}, (x.sources || []).map((s) => el("li", {}, s, advice.get(s) ? " — " + n(advice.get(s)) : ""))));
  }));
}

// A list of items, or "none" when there are none.
function list(tag, attrs, items) {
  return items.length ? el(tag, attrs, items) : el("p", { class: "empty" }, t("none"));
}

function history(store, inc) {
  const phase = (id) => (id ? n((store.org.phases || []).find((x) => x.id === id) || id) : "");
  return el("ol", { class: "history" }, (inc.history || []).map((h) =>
    el("li", {},
      el("time", { datetime: h.at }, when(h.at)), " ",
      el("strong", { "data-action": h.action }, word("did_", h.action)), " ",
      h.by ? h.by.user + (h.by.team ? " (" + h.by.team + ")" : "") : "",
      h.from || h.to ? " " + phase(h.from) + " → " + phase(h.to) : "",
      h.decision ? " [" + n(h.decision) + "]" : "",
      h.verdict ? " [" + t(h.verdict) + "]" : "",
      h.note || h.alert ? el("div", { class: "note" }, said(inc, h)) : "")));
}

// An entry in the reader's words where it says what it was about (the
// alert that made one of the desk's own, the other incident of a merge,
// what was muted, who shared a CVE); else its note as written (English
// for the desk's own).
function said(inc, h) {
  if (getLang() !== "ja") return h.note || "";
  if (h.alert) {
    const a = h.alert;
    const ev = a.evidence ? `（証拠: ${word("ev_", a.evidence)}）` : "";
    const why = `アラート ${a.sid}「${a.signature}」${ev}`;
    return h.action === "open" && inc.asset ? `${inc.asset} について、${why}により起票` : why;
  }
  if (h.action === "merge" && h.incident)
    return inc.merged_into === h.incident ? `${h.incident} へ統合（重複として完了）` : `${h.incident} から統合`;
  if (h.mute)
    return `${h.mute.key} を ${when(h.mute.until)} まで抑止` + (h.mute.note ? `: ${h.mute.note}` : "");
  if (h.action === "open" && inc.cve && Array.isArray(inc.shared))
    return `${inc.shared.map((s) => (s && s.id) || "?").join("、")} が ${inc.cve} を共有: 起票`;
  return h.note || "";
}

// The latest alerts, newest first, fetched from the stream by their
// entries (GET api/alerts/<entry>: the desk keeps ids, not copies) and
// shown as a row each: when, which rule, between which ends, over what,
// about what, with what evidence; its button opens the whole alert.
// Stored alerts never change, so each is fetched once (the latest
// CACHED kept); one the stream's cap has trimmed says so.
const CACHED = 500;
const fetched = new Map(); // entry id -> Promise of {alert}, {trimmed} or {error}
const openRows = new Set(); // entries whose JSON is open, across re-renders
function alertOf(entry) {
  if (!fetched.has(entry)) {
    const p = api("alerts/" + encodeURIComponent(entry)).then(
      (alert) => ({ alert }),
      (e) => {
        if (e.status !== 404) fetched.delete(entry); // Redis away: next time
        return e.status === 404 ? { trimmed: true } : { error: e.message };
      });
    fetched.set(entry, p);
    if (fetched.size > CACHED) fetched.delete(fetched.keys().next().value);
  }
  return fetched.get(entry);
}

const end = (ip, port) => {
  const at = ip ? addr(ip) : "-";
  return typeof port === "number" ? (at.includes(":") ? "[" + at + "]" : at) + ":" + port : at;
};
// What the alert was about, from the protocol's own fields.
function about(a) {
  // Suricata 7: dns.rrname, or dns.query[] in alerts; 8: dns.queries[]
  const qs = a.dns && (Array.isArray(a.dns.query) ? a.dns.query : a.dns.queries);
  const q = a.dns && (a.dns.rrname || (Array.isArray(qs) && qs[0] && qs[0].rrname));
  if (a.http) return (a.http.hostname || "") + (a.http.url || "");
  if (q) return q;
  if (a.tls && a.tls.sni) return a.tls.sni;
  if (a.fileinfo && a.fileinfo.filename) return a.fileinfo.filename;
  return "";
}
// A retro-hunt alert (sankaku-hunt --push): how long before the
// indicator's publication the event came.
function retro(r) {
  const s = Number(r.before_publication_s);
  if (!(s > 0)) return " " + t("retro");
  return " " + t("retro") + (getLang() === "ja" ? `（公開の ${Math.floor(s / 86400)} 日前）` : ` (${Math.floor(s / 86400)} days before publication)`);
}
function fillRow(row, more, entry, got) {
  const a = got.alert;
  if (!a) {
    put(row, el("td", { colspan: 7 }, el("code", {}, row.dataset.alert), " ", el("span", { class: "empty" }, got.trimmed ? t("trimmed") : got.error)));
    return;
  }
  const al = a.alert || {};
  const ev = a.sankaku && a.sankaku.evidence;
  const button = el("button", { type: "button", class: "small", "data-entry": entry }, t("json"));
  button.addEventListener("click", () => {
    more.hidden = !more.hidden;
    if (more.hidden) openRows.delete(entry);
    else openRows.add(entry);
  });
  put(more.firstChild, el("pre", { class: "alert-json" }, JSON.stringify(a, null, 2)));
  put(row,
    el("td", {}, el("time", { datetime: String(a.timestamp || "") }, when(a.timestamp))),
    el("td", {}, (al.signature_id === undefined ? "" : al.signature_id + " ") + (al.signature || "")),
    el("td", { class: "ends" }, end(a.src_ip, a.src_port), " → ", end(a.dest_ip, a.dest_port)),
    el("td", {}, a.app_proto && a.app_proto !== "failed" ? a.app_proto : a.proto || ""),
    el("td", { class: "about" }, about(a), a.retro_hunt ? el("span", { class: "retro" }, retro(a.retro_hunt)) : ""),
    el("td", {}, ev ? word("ev_", ev) : ""),
    el("td", {}, button));
}
function recent(inc) {
  const entries = (inc.alerts && inc.alerts.entries) || {};
  const rows = [...((inc.alerts && inc.alerts.recent) || [])].reverse().map((id) => {
    const entry = entries[id];
    const row = el("tr", { "data-alert": id }, el("td", { colspan: 7 }, el("code", {}, id)));
    if (!entry) return [row];
    const more = el("tr", { class: "alert-json-row" }, el("td", { colspan: 7 }));
    more.hidden = !openRows.has(entry);
    alertOf(entry).then((got) => fillRow(row, more, entry, got));
    return [row, more];
  });
  if (!rows.length) return el("p", { class: "empty" }, t("none"));
  return el("table", { class: "recent" },
    el("thead", {}, el("tr", {}, ["when", "rule", "ends", "proto", "about", "evidence", "alertJson"].map((k) =>
      el("th", { scope: "col" }, t("col_" + k))))),
    el("tbody", {}, rows.flat()));
}

function actions(view, store, inc) {
  const box = el("div", { class: "actions" });
  const run = (body) => async () => {
    try {
      await act(inc.id, body);
    } catch (e) {
      alertBox(view, e);
    }
  };
  const button = (label, body, id) => {
    const b = el("button", { type: "button", id, "data-action": body.action }, label);
    b.addEventListener("click", run(body));
    return b;
  };
  if (inc.state !== "open") {
    box.append(button(t("reopen"), { action: "reopen" }, "act-reopen"));
    return box;
  }
  if (inc.owner !== store.me.user) box.append(button(t("ack"), { action: "ack" }, "act-ack"));
  for (const d of (store.org.decisions || []).filter((d) => d.phase === inc.phase.id))
    box.append(button(n(d), { action: "advance", decision: d.id }, "act-" + d.id));
  box.append(button(t("share"), { action: "share" }, "act-share"));
  const draft = draftOf(inc.id);
  const verdict = el("select", { id: "verdict", "aria-label": t("verdict") },
    ["true-positive", "false-positive", "benign", "duplicate"].map((v) =>
      el("option", { value: v, selected: v === draft.verdict }, t(v))));
  verdict.addEventListener("change", () => { draft.verdict = verdict.value; });
  const close = el("button", { type: "button", id: "act-close", "data-action": "close" }, t("close"));
  close.addEventListener("click", async () => {
    try {
      await act(inc.id, { action: "close", verdict: verdict.value });
      drafts.delete(inc.id); // reopened, it starts afresh
    } catch (e) {
      alertBox(view, e);
    }
  });
  const note = el("textarea", { id: "note", "aria-label": t("note"), maxlength: 4000 });
  note.value = draft.note;
  note.addEventListener("input", () => { draft.note = note.value; });
  const addNote = el("button", { type: "button", id: "act-note", "data-action": "note" }, t("addNote"));
  addNote.addEventListener("click", async () => {
    if (!note.value.trim()) return;
    try {
      await act(inc.id, { action: "note", note: note.value });
      draft.note = "";
      note.value = "";
    } catch (e) {
      alertBox(view, e);
    }
  });
  box.append(el("span", { class: "close" }, verdict, close), el("div", { class: "note-box" }, note, addNote));
  return box;
}

// Becoming a sender: what we found ourselves (the hostile ends of its
// alerts that are not ours, not private and no source's), as a STIX 2.1
// bundle or a MISP event under the TLP chosen; shown here first, then
// downloaded from the desk, which the history records as a share.
function sendOut(inc) {
  const draft = draftOf(inc.id);
  const tlp = el("select", { "aria-label": "TLP", class: "tlp-pick" },
    ["clear", "green", "amber", "amber+strict"].map((v) =>
      el("option", { value: v, selected: v === draft.tlp }, "TLP:" + v.toUpperCase())));
  tlp.addEventListener("change", () => { draft.tlp = tlp.value; });
  const out = el("div", { class: "report" });
  // the report shown, with its link: what went out, and under which
  // TLP, stays in the history
  const shown = ({ format, chosen, path, r }) => {
    const sent = () => act(inc.id, { action: "share", note: `sent out: ${format}, TLP:${chosen.toUpperCase()}` })
      .catch((e) => put(out, el("p", { class: "error", role: "alert" }, e.message)));
    put(out, el("a", { href: "api/" + path, download: `sankaku-${inc.id}-${format}.json`, onclick: sent }, t("download")),
      el("pre", {}, JSON.stringify(r, null, 2)));
  };
  // drawn from the draft: the page may be drawn anew while the desk
  // answers, and the answer then draws it again
  const show = (format) => async () => {
    const chosen = tlp.value;
    const path = `incidents/${encodeURIComponent(inc.id)}/report?format=${format}&tlp=${encodeURIComponent(chosen)}`;
    draft.report = { busy: true, of: inc.updated_at };
    put(out, el("p", {}, t("loading")));
    try {
      const r = await api(path);
      draft.report = { format, chosen, path, r, of: inc.updated_at };
    } catch (e) {
      draft.report = { error: e.message, of: inc.updated_at };
    }
    render();
  };
  // kept while the incident stays as it was (an event of another one);
  // once it changed, the report is asked for again
  const rep = draft.report;
  if (!rep || rep.of !== inc.updated_at) draft.report = null;
  else if (rep.busy) put(out, el("p", {}, t("loading")));
  else if (rep.error) put(out, el("p", { class: "error", role: "alert" }, rep.error));
  else shown(rep);
  const targets = el("div", { class: "send-targets" });
  sendTargets(targets, inc, draft, tlp);
  return el("div", {}, el("p", { class: "hint" }, t("sendOutHint")), tlp, " ",
    el("button", { type: "button", "data-format": "stix", onclick: show("stix") }, "STIX 2.1"), " ",
    el("button", { type: "button", "data-format": "misp", onclick: show("misp") }, "MISP"), out, targets);
}

// The sources whose own MISP takes our reports (misp_url), asked once:
// the report goes there as an event, unpublished for the community's own
// review, after the analyst confirms the source and the TLP.
let mispSources = null;
function sendTargets(box, inc, draft, tlp) {
  const fill = (ids) => put(box, ids.map((id) => sendTo(inc, draft, tlp, id)));
  if (mispSources) return fill(mispSources);
  api("sources").then((m) => {
    mispSources = (m.sources || []).filter((s) => s.misp).map((s) => s.id);
    fill(mispSources);
  }).catch(() => {});
}

function sendTo(inc, draft, tlp, id) {
  const ja = getLang() === "ja";
  const box = el("p", { class: "send-to", "data-source": id });
  // sent before (the history says so): each send is another event there
  const before = (inc.history || []).filter((h) => h.action === "share" &&
    String(h.note || "").startsWith(`sent out: misp to ${id},`)).pop();
  const ask = el("button", { type: "button", "data-send": id }, before
    ? (ja ? `${id} の MISP へもう一度送る（${when(before.at)} に送信済み）` : `Send to ${id}'s MISP again (sent ${when(before.at)})`)
    : (ja ? `${id} の MISP へイベントとして送る` : `Send to ${id}'s MISP as an event`));
  ask.addEventListener("click", () => {
    draft.asking = { source: id, tlp: tlp.value };
    draw();
  });
  // drawn from the draft alone: the page may be drawn anew while MISP
  // answers (the share it records is an event of this very incident)
  function draw() {
    const st = draft.send[id] || {};
    if (draft.asking && draft.asking.source === id) {
      const chosen = draft.asking.tlp;
      const yes = el("button", { type: "button", "data-send-confirm": id }, t("send"));
      const no = el("button", { type: "button" }, t("cancel"));
      no.addEventListener("click", () => {
        draft.asking = null;
        draw();
      });
      yes.addEventListener("click", async () => {
        draft.asking = null;
        draft.send[id] = { busy: true };
        draw();
        try {
          const r = await api(`incidents/${encodeURIComponent(inc.id)}/send`, { source: id, tlp: chosen });
          draft.send[id] = { event: r.event || "?" };
        } catch (e) {
          draft.send[id] = { error: e.message };
        }
        render();
      });
      const again = before
        ? (ja ? `${when(before.at)} に送信済みです。送ると別のイベントになります。` : `Already sent ${when(before.at)}: this makes another event. `)
        : "";
      put(box, el("span", {}, again + (ja
        ? `TLP:${chosen.toUpperCase()} で ${id} の MISP へ送りますか？ `
        : `Send it to ${id}'s MISP under TLP:${chosen.toUpperCase()}? `)), yes, " ", no);
    } else if (st.busy) put(box, el("span", {}, t("loading")));
    else if (st.event) // what went (the history says it too)
      put(box, el("span", { class: "sent", role: "status" }, ja
        ? `${id} の MISP へ送りました（イベント ${st.event}、未公開）`
        : `Sent to ${id}'s MISP (event ${st.event}, unpublished)`), " ", ask);
    else if (st.error) put(box, el("span", { class: "error", role: "alert" }, st.error), " ", ask);
    else put(box, ask);
  }
  draw();
  return box;
}

export async function viewIncident(view, store, id) {
  let inc = store.incidents.get(id);
  if (!inc || !inc.history) {
    put(view, el("p", {}, t("loading")));
    try {
      inc = await api("incidents/" + encodeURIComponent(id));
      store.incidents.set(id, inc);
    } catch (e) {
      put(view, el("p", { class: "error", role: "alert" }, e.status === 404 ? t("notFound") : e.message));
      return;
    }
    if (!location.hash.startsWith("#/incident/")) return;
  }
  const kpi = inc.kpi_name ? n(inc.kpi_name) : inc.kpi || "-";
  put(view,
    el("h1", {}, inc.cve || inc.asset || inc.id),
    el("p", { class: "facts" },
      el("span", { class: "phase-tag", "data-phase": inc.phase && inc.phase.id }, n(inc.phase)), " ",
      inc.state === "open" ? t("open") : t("closed") + (inc.verdict ? " (" + t(inc.verdict) + ")" : ""), " · ",
      t("owner") + ": " + (inc.owner || t("nobody")), " · ", t("kpi") + ": " + kpi, " · ",
      t("alerts") + ": " + ((inc.alerts && inc.alerts.count) || 0),
      inc.alerts && inc.alerts.first ? ` (${t("firstSeen")} ${when(inc.alerts.first)} · ${t("lastSeen")} ${when(inc.alerts.last)})` : "",
      " · ", inc.id),
    section(t("actions"), actions(view, store, inc)),
    section(t("who"), whoTable(inc)),
    section(t("what"), whatList(inc)),
    section(t("sources"), list("div", {}, (inc.sources || []).map((s) =>
      el("div", { class: "source" }, sourceChip(s), s.triangle && s.triangle.advice ? " → " + n(s.triangle.advice) : "")))),
    section(t("indicators"), indicators(view, inc)),
    section(t("signatures"), list("ul", {}, (inc.signatures || []).map((s) => el("li", {}, s.sid + " " + s.signature + " ×" + s.count)))),
    section(t("peers"), list("ul", { class: "peers" }, (inc.peers || []).map((p) =>
      el("li", {}, addr(p.ip), " ×" + p.count + " (" + t(p.end === "dst" ? "peerDst" : "peerSrc") + ")")))),
    section(t("recent"), recent(inc)),
    inc.asset ? section(t("sendOut"), sendOut(inc)) : null,
    section(t("history"), history(store, inc)),
    el("details", {}, el("summary", {}, t("json")), el("pre", {}, JSON.stringify(inc, null, 2))));
}
