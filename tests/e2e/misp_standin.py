#!/usr/bin/python3
"""misp_standin.py: a stand-in for a MISP instance's /sightings/add and
/events/add (and /servers/getVersion), over HTTPS on loopback, that
checks every request the desk sends.

    misp_standin.py PORT CERT KEY API_KEY LOG [FAIL_FIRST]

Each request is appended to LOG as one JSON line: {"ok", "why", "path",
"body", "auth_ok", "n"}.  A request is ok when it is a POST with the API
key as its Authorization header, JSON content, and a body as MISP takes
it: for /sightings/add exactly MISP's sighting fields, uuid (an
attribute uuid), type "0" (sighting) or "1" (false positive), source
(text) and timestamp (an integer); for /events/add an Event with info,
date, threat_level_id, analysis, its TLP tag and attributes of type
ip-src or ip-dst.  Ok: 200 and a MISP-like reply (a new event's uuid);
not: 400, or 403 for a wrong key.  A POST to /hooks/... stands in for a
team chat's incoming webhook: ok when it is JSON {"text": a string} and
carries no Authorization (the URL is its secret); 200 "ok".  The first FAIL_FIRST requests (default 0) get 503, as a MISP under
maintenance would answer.
"""
import json
import re
import uuid
import ssl
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

PORT, CERT, KEY, API_KEY, LOG = sys.argv[1:6]
FAIL_FIRST = int(sys.argv[6]) if len(sys.argv) > 6 else 0
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
seen = {"n": 0}


def check_event(body):
    ev = body.get("Event") if isinstance(body, dict) else None
    if not isinstance(ev, dict) or set(body) != {"Event"}:
        return "not {\"Event\": {...}}"
    for k in ("info", "date", "threat_level_id", "analysis"):
        if not isinstance(ev.get(k), str) or not ev[k]:
            return "Event.%s missing" % k
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", ev["date"]):
        return "Event.date %r" % ev["date"]
    if not any(str(t.get("name", "")).startswith("tlp:") for t in ev.get("Tag", [])):
        return "no TLP tag"
    attrs = ev.get("Attribute")
    if not isinstance(attrs, list) or not attrs:
        return "no attributes"
    for a in attrs:
        if a.get("type") not in ("ip-src", "ip-dst") or not a.get("value") or \
                a.get("category") != "Network activity" or not isinstance(a.get("to_ids"), bool):
            return "attribute %r" % a
    return None


def check(handler, raw):
    if handler.path.startswith("/hooks/"):
        try:
            body = json.loads(raw)
        except ValueError as e:
            return "bad JSON: %s" % e
        if handler.headers.get("Authorization") is not None:
            return "a key sent to a webhook"
        if not isinstance(body, dict) or set(body) != {"text"} or not isinstance(body["text"], str):
            return "not {\"text\": string}"
        return None
    if handler.path not in ("/sightings/add", "/events/add"):
        return "path %r is not /sightings/add or /events/add" % handler.path
    if handler.headers.get("Authorization") != API_KEY:
        return "wrong key"
    if not handler.headers.get("Content-Type", "").startswith("application/json"):
        return "not JSON content"
    try:
        body = json.loads(raw)
    except ValueError as e:
        return "bad JSON: %s" % e
    if handler.path == "/events/add":
        return check_event(body)
    if not isinstance(body, dict) or set(body) != {"uuid", "type", "source", "timestamp"}:
        return "fields %r, not uuid, type, source, timestamp" % sorted(body)
    if not UUID.match(str(body["uuid"])):
        return "uuid %r is not one" % body["uuid"]
    if body["type"] not in ("0", "1"):
        return "type %r is not \"0\" or \"1\"" % body["type"]
    if not isinstance(body["source"], str) or not body["source"]:
        return "no source"
    if not isinstance(body["timestamp"], int) or body["timestamp"] <= 0:
        return "timestamp %r is not a positive integer" % body["timestamp"]
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, obj):
        data = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        # what sankaku-desk --check-misp asks
        if self.path != "/servers/getVersion":
            self.reply(404, {"message": "not here"})
        elif self.headers.get("Authorization") != API_KEY:
            self.reply(403, {"message": "Authentication failed."})
        else:
            self.reply(200, {"version": "2.4.190", "perm_sync": False, "perm_sighting": True})

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(n)
        why = check(self, raw)
        hook = self.path.startswith("/hooks/")
        seen["n"] += 0 if hook else 1  # MISP's requests are counted apart
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        with open(LOG, "a") as f:
            f.write(json.dumps({"ok": why is None, "why": why, "path": self.path, "body": body,
                                "auth_ok": self.headers.get("Authorization") == API_KEY,
                                "n": 0 if hook else seen["n"]}) + "\n")
        if hook:  # a chat answers plain "ok"
            data = b"ok" if why is None else why.encode()
            self.send_response(200 if why is None else 400)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        if seen["n"] <= FAIL_FIRST:
            self.reply(503, {"message": "maintenance"})
        elif why == "wrong key":
            self.reply(403, {"message": "Authentication failed."})
        elif why is not None:
            self.reply(400, {"message": why})
        elif self.path == "/events/add":  # MISP keeps it unpublished
            self.reply(200, {"Event": dict(body["Event"], id=str(seen["n"]),
                                           uuid=str(uuid.uuid4()), published=False)})
        else:
            self.reply(200, {"Sighting": {"id": str(seen["n"]), "uuid": body["uuid"],
                                          "type": body["type"], "source": body["source"],
                                          "date_sighting": str(body["timestamp"])}})


ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
srv = HTTPServer(("127.0.0.1", int(PORT)), Handler)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready", flush=True)
srv.serve_forever()
