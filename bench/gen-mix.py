#!/usr/bin/python3
"""gen-mix.py EVENTS SANKAKU_OBJECT: the Redis command mix sankakud sends,
as Redis protocol for `redis-cli --pipe`: per alert an LMOVE from the input
into the batch list and an XADD of the enriched alert; per batch of 256 a
SADD, a DEL and a SREM.  The enriched alert is each event with the given
sankaku object spliced in, as sankakud writes it."""
import sys

events, obj = sys.argv[1], open(sys.argv[2], "rb").read().strip()
out = sys.stdout.buffer


def cmd(*args):
    out.write(b"*%d\r\n" % len(args))
    for a in args:
        out.write(b"$%d\r\n%s\r\n" % (len(a), a))


with open(events, "rb") as f:
    batch = []
    for i, line in enumerate(f):
        key = b"sankaku:batch:mix:%016x" % (i // 256)
        if i % 256 == 0:
            cmd(b"SADD", b"sankaku:inflight:mix", key)
        raw = line.rstrip(b"\n")
        doc = raw[:-1] + b',"sankaku":' + obj + b"}"
        cmd(b"LMOVE", b"suricata", key, b"RIGHT", b"LEFT")
        cmd(b"XADD", b"sankaku:alerts", b"MAXLEN", b"~", b"1000000", b"*",
            b"alert", doc)
        if i % 256 == 255:
            cmd(b"DEL", key)
            cmd(b"SREM", b"sankaku:inflight:mix", key)
