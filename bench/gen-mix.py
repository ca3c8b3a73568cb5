#!/usr/bin/python3
"""gen-mix.py EVENTS SANKAKU_OBJECT [MAXLEN]: the Redis command mix
sankakud sends on a backlog, as Redis protocol for `redis-cli --pipe`: SADD
and RENAME of the input into a batch list, then per chunk of 256 an LRANGE,
under CLIENT REPLY OFF one XADD (MAXLEN ~ MAXLEN, default 1000000) per
alert of its enriched form, CLIENT REPLY ON, the INFO reading that checks
them, and the trim script.  The enriched alert is each event with the given
sankaku object spliced in, as sankakud writes it."""
import sys

TRIM = (b"if redis.call('LLEN', KEYS[1]) ~= tonumber(ARGV[1]) then return 0 "
        b"end local m = tonumber(ARGV[2]) redis.call('LTRIM', KEYS[1], 0, "
        b"-m - 1) return 1")
events, obj = sys.argv[1], open(sys.argv[2], "rb").read().strip()
maxlen = sys.argv[3].encode() if len(sys.argv) > 3 else b"1000000"
out = sys.stdout.buffer


def cmd(*args):
    out.write(b"*%d\r\n" % len(args))
    for a in args:
        out.write(b"$%d\r\n%s\r\n" % (len(a), a))


lines = [l.rstrip(b"\n") for l in open(events, "rb")]
key = b"sankaku:batch:mix:0000000000000000"
cmd(b"SADD", b"sankaku:inflight:mix", key)
cmd(b"RENAME", b"suricata", key)
left = len(lines)
for start in range(0, len(lines), 256):
    chunk = lines[start:start + 256]
    m = len(chunk)
    cmd(b"LRANGE", key, b"%d" % -m, b"-1")
    cmd(b"CLIENT", b"REPLY", b"OFF")
    for raw in chunk:
        cmd(b"XADD", b"sankaku:alerts", b"MAXLEN", b"~", maxlen, b"*",
            b"alert", raw[:-1] + b',"sankaku":' + obj + b"}")
    cmd(b"CLIENT", b"REPLY", b"ON")
    cmd(b"INFO", b"commandstats", b"errorstats")
    cmd(b"EVAL", TRIM, b"1", key, b"%d" % left, b"%d" % m)
    left -= m
cmd(b"SREM", b"sankaku:inflight:mix", key)
