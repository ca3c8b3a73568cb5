#!/usr/bin/python3
"""gen-big.py CMD KEY [ARG...] -- SIZE:COUNT[:KIND] ...: Redis protocol that
pushes EVE alerts of about SIZE bytes, COUNT of each, for the tests of
large events.  KIND is "alert" (valid JSON, the default) or "junk" (not
JSON).  Each alert's flow_id is unique; its http.http_user_agent pads it.
Prints the SHA-1 of every event over 64 KiB to stderr, one per line.
Flow ids start after $FLOW (default 500000)."""
import hashlib
import os
import sys

sep = sys.argv.index("--")
head = [a.encode() for a in sys.argv[1:sep]]
out = sys.stdout.buffer
flow = int(os.environ.get("FLOW", "500000"))
for spec in sys.argv[sep + 1:]:
    parts = spec.split(":")
    size, count = int(parts[0]), int(parts[1])
    kind = parts[2] if len(parts) > 2 else "alert"
    for _ in range(count):
        flow += 1
        if kind == "junk":
            ev = (b"junk %d " % flow).ljust(size, b"x")
        else:
            pre = (b'{"timestamp":"2026-11-28T00:00:00.000000+0000","flow_id":%d,'
                   b'"event_type":"alert","src_ip":"203.0.113.5","dest_ip":'
                   b'"192.168.10.80","proto":"TCP","app_proto":"http",'
                   b'"alert":{"action":"allowed","signature_id":2000001,'
                   b'"signature":"ET WEB_SERVER big","category":'
                   b'"Web Application Attack"},"http":{"http_user_agent":"' % flow)
            post = b'"}}'
            ev = pre + b"A" * max(0, size - len(pre) - len(post)) + post
        if len(ev) > 65536:
            sys.stderr.write(hashlib.sha1(ev).hexdigest() + "\n")
        args = head + [ev]
        out.write(b"*%d\r\n" % len(args))
        for a in args:
            out.write(b"$%d\r\n%s\r\n" % (len(a), a))
