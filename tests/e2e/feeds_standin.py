#!/usr/bin/python3
"""feeds_standin.py: the servers sankaku-fetch pulls feeds from, over
HTTPS on loopback, serving the feed fixtures in their real layouts.

    feeds_standin.py PORT CERT KEY FIXTURES TAXII_AUTH MISP_KEY LOG [CLIENT_CA]

With CLIENT_CA, only a client whose certificate that CA signed is
served (mutual TLS, as some TAXII servers ask).

  GET  /feodo/ipblocklist.csv    abuse.ch's CSV, with an ETag and a
                                 Last-Modified; 304 when asked with them
  GET  /taxii2/api/collections/cert/objects/
                                 a TAXII 2.1 collection: the CERT bundle's
                                 objects, three a page, "next" tokens with
                                 characters that must be percent-encoded;
                                 only with TAXII_AUTH and TAXII's Accept
                                 (each object dated: date_added, the
                                 pages' X-TAXII-Date-Added-First/-Last,
                                 added_after honoured)
  GET  /taxii2/api/collections/grow/objects/
                                 the same, as many objects as the file
                                 $TAXII_GROW says (all when unset); past
                                 the bundle's, a revoked version of its
                                 first indicator, added last
  GET  /taxii2/api/collections/deaf/objects/
                                 the same objects, dated, added_after
                                 ignored (a server that does not filter)
  GET  /taxii2/api/collections/undated/objects/
                                 the same, without the pages' dates
  GET  /taxii2/api/collections/loop/objects/
                                 "more" forever, the same "next"
  POST /misp/attributes/restSearch
                                 MISP's reply; only with MISP_KEY, JSON
                                 content and a restSearch body
  GET  /misp-feed/manifest.json, /misp-feed/UUID.json
                                 a MISP feed: the MISP event fixtures,
                                 changed a day and two days ago (the
                                 first an hour ago once $MISP_FEED_BUMP
                                 exists), an event of 90 days ago whose
                                 file is not there, a name that is not a
                                 UUID; the older event's file begins with
                                 a byte-order mark, as Windows tools write
  GET  /misp-feed-broken/...     the same, the newest event a login page
  GET  /cut.json                 the CERT bundle cut in half, status 200
  GET  /authkey.csv              abuse.ch's CSV, only with MISP_KEY in Auth-Key
  GET  /empty.csv                nothing, status 200
  GET  /big.csv                  2 MiB;  /slow.csv  after 3 s
  POST /misp-error/attributes/restSearch  MISP's error object, status 200
  GET  /taxii2/api/collections/bad/objects/  "objects" not an array
  GET  /login.csv                a login page (text/html), status 200
  GET  /moved.csv                302 to /feodo/ipblocklist.csv on
                                 https://localhost:PORT (another host)

Each request is appended to LOG as one JSON line: method, path, host,
auth (the Authorization header or null), authkey (Auth-Key), accept, inm (If-None-Match),
ims (If-Modified-Since), status.
"""
import json
import os
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

PORT, CERT, KEY, FIX, TAXII_AUTH, MISP_KEY, LOG = sys.argv[1:8]
CLIENT_CA = sys.argv[8] if len(sys.argv) > 8 else None
ETAG = '"feodo-v1"'
LAST_MOD = "Wed, 25 Nov 2026 10:00:00 GMT"
bundle = json.load(open(os.path.join(FIX, "cert-advisory.stix21.json")))
OBJECTS = bundle["objects"]
PAGE = 3
# when each object was added to the collection, in its order
DATES = ["2026-11-25T09:%02d:00.%06dZ" % (i, 1000 * i + 123) for i in range(len(OBJECTS) + 1)]
REVOKED = dict(OBJECTS[2], modified="2026-11-26T00:00:00.000Z", revoked=True)
GROW = os.environ.get("TAXII_GROW")
FEED_EVENTS = [json.load(open(os.path.join(FIX, f))) for f in ("misp-event.json", "misp-vuln-event.json")]
BUMP = os.environ.get("MISP_FEED_BUMP")
OLD_UUID = "0b5e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4"
STARTED = int(time.time())  # the feed's events changed before the stand-in started


def misp_manifest():
    """The feed's manifest.json, as MISP writes it (timestamps as strings)."""
    now = STARTED
    ages = [86400, 2 * 86400]
    if BUMP and os.path.exists(BUMP):
        ages[0] = 3600
    m = {}
    for ev, age in zip(FEED_EVENTS, ages):
        e = ev["Event"]
        m[e["uuid"]] = {"Orgc": {"name": "CIRCL", "uuid": "55f6ea5e-2c60-40e5-964f-47a8950d210f"},
                        "Tag": [{"name": t["name"], "colour": "#339900"} for t in e.get("Tag", [])],
                        "info": e["info"], "date": e.get("date", "2026-11-20"), "analysis": "2",
                        "threat_level_id": "2", "timestamp": str(now - age)}
    m[OLD_UUID] = {"info": "an old event", "timestamp": str(now - 90 * 86400)}
    m["../../secret"] = {"info": "not a UUID", "timestamp": str(now)}
    return m


def token(i):
    return "p/%d +&=é" % i


class H(BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def send(self, status, body=b"", ctype="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        with open(LOG, "a") as f:
            f.write(json.dumps({
                "method": self.command, "path": self.path,
                "host": self.headers.get("Host"),
                "auth": self.headers.get("Authorization"),
                "authkey": self.headers.get("Auth-Key"),
                "accept": self.headers.get("Accept"),
                "inm": self.headers.get("If-None-Match"),
                "ims": self.headers.get("If-Modified-Since"),
                "status": status}) + "\n")

    def collection(self, name, q):
        objs = list(zip(DATES, OBJECTS + [REVOKED]))[:len(OBJECTS)]
        if name == "grow" and GROW and os.path.exists(GROW):
            objs = list(zip(DATES, OBJECTS + [REVOKED]))[:int(open(GROW).read())]
        after = q.get("added_after", [None])[0]
        if after is not None and name != "deaf":
            objs = [(d, o) for d, o in objs if d > after]  # one form: text compares
        nxt = q.get("next", [None])[0]
        i = 0
        if nxt is not None:
            pages = [token(k) for k in range(1, len(objs) // PAGE + 2)]
            if nxt not in pages:
                return self.send(400, b'{"title": "bad next"}', "application/taxii+json;version=2.1")
            i = pages.index(nxt) + 1
        chunk = objs[i * PAGE:(i + 1) * PAGE]
        more = (i + 1) * PAGE < len(objs)
        env = {"more": more}
        if chunk:
            env["objects"] = [o for _, o in chunk]
        if more:
            env["next"] = token(i + 1)
        dates = [("X-TAXII-Date-Added-First", chunk[0][0]),
                 ("X-TAXII-Date-Added-Last", chunk[-1][0])] if chunk and name != "undated" else []
        return self.send(200, json.dumps(env).encode(), "application/taxii+json;version=2.1", dates)

    def do_GET(self):
        u = urlsplit(self.path)
        q = parse_qs(u.query)
        if u.path == "/feodo/ipblocklist.csv":
            if self.headers.get("If-None-Match") == ETAG:
                return self.send(304, extra=[("ETag", ETAG)])
            body = open(os.path.join(FIX, "feodo-ipblocklist.csv"), "rb").read()
            return self.send(200, body, "text/csv", [("ETag", ETAG), ("Last-Modified", LAST_MOD)])
        if u.path.startswith("/taxii2/api/collections/"):
            if self.headers.get("Authorization") != TAXII_AUTH:
                return self.send(401, b'{"title": "Unauthorized"}', "application/taxii+json;version=2.1")
            if not self.headers.get("Accept", "").startswith("application/taxii+json;version=2.1"):
                return self.send(406, b'{"title": "Not Acceptable"}', "application/taxii+json;version=2.1")
            if u.path == "/taxii2/api/collections/bad/objects/":
                return self.send(200, b'{"objects": {"type": "indicator"}}', "application/taxii+json;version=2.1")
            if u.path == "/taxii2/api/collections/loop/objects/":
                env = {"more": True, "next": "again", "objects": OBJECTS[:1]}
            else:
                return self.collection(u.path.split("/")[4], q)
            return self.send(200, json.dumps(env).encode(), "application/taxii+json;version=2.1")
        if u.path.startswith(("/misp-feed/", "/misp-feed-broken/")):
            name = u.path.split("/", 2)[2]
            if name == "manifest.json":
                return self.send(200, json.dumps(misp_manifest()).encode())
            for i, ev in enumerate(FEED_EVENTS):
                if name == ev["Event"]["uuid"] + ".json":
                    if i == 0 and u.path.startswith("/misp-feed-broken/"):
                        return self.send(200, b"<html><body>Sign in</body></html>", "text/html")
                    body = json.dumps(ev, ensure_ascii=False).encode()
                    return self.send(200, (b"\xef\xbb\xbf" if i == 1 else b"") + body)
            return self.send(404, b"Not Found", "text/plain")
        if u.path == "/cut.json":  # a download that stopped halfway
            body = open(os.path.join(FIX, "cert-advisory.stix21.json"), "rb").read()
            return self.send(200, body[:len(body) // 2])
        if u.path == "/authkey.csv":  # a key in a header of its own, as abuse.ch asks
            if self.headers.get("Auth-Key") != MISP_KEY or self.headers.get("Authorization"):
                return self.send(401, b"unauthorized", "text/plain")
            body = open(os.path.join(FIX, "feodo-ipblocklist.csv"), "rb").read()
            return self.send(200, body, "text/csv")
        if u.path == "/big.csv":  # 2 MiB of addresses
            return self.send(200, b"203.0.113.9\n" * ((2 << 20) // 12), "text/csv")
        if u.path == "/slow.csv":  # a server that stalls
            time.sleep(3)
            return self.send(200, b"203.0.113.9\n", "text/csv")
        if u.path == "/empty.csv":  # a server that answered nothing
            return self.send(200, b"", "text/csv")
        if u.path == "/login.csv":
            return self.send(200, b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html; charset=utf-8")
        if u.path == "/moved.csv":
            return self.send(302, b"", "text/plain",
                             [("Location", "https://localhost:%s/feodo/ipblocklist.csv" % PORT)])
        return self.send(404, b"{}")

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/misp-error/attributes/restSearch":  # MISP's error, status 200
            return self.send(200, b'{"name": "Not Found", "message": "Not Found", "url": "/x"}')
        if self.path != "/misp/attributes/restSearch":
            return self.send(404, b"{}")
        if self.headers.get("Authorization") != MISP_KEY:
            return self.send(403, b'{"name": "Authentication failed.", "message": "Authentication failed."}')
        try:
            body = json.loads(raw)
        except ValueError:
            return self.send(400, b'{"message": "bad JSON"}')
        if not self.headers.get("Content-Type", "").startswith("application/json") or \
                body.get("returnFormat") != "json" or body.get("to_ids") is not True:
            return self.send(400, b'{"message": "not a restSearch for IDS attributes"}')
        return self.send(200, open(os.path.join(FIX, "misp-attributes.json"), "rb").read())


srv = HTTPServer(("127.0.0.1", int(PORT)), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
if CLIENT_CA:  # as a TAXII server that asks for a client certificate
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(CLIENT_CA)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready", flush=True)
srv.serve_forever()
