#!/usr/bin/python3
"""resp.py CMD KEY [ARG...]: turn stdin lines into Redis protocol
"CMD KEY ARG... line" commands for `redis-cli --pipe` (bytes kept as they
are, so invalid UTF-8 reaches Redis unchanged).  E.g. LPUSH suricata, or
XADD suricata '*' eve (Suricata 8's stream output)."""
import sys

head = [a.encode() for a in sys.argv[1:]]
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    args = head + [line.rstrip(b"\n")]
    out.write(b"*%d\r\n" % len(args))
    for a in args:
        out.write(b"$%d\r\n%s\r\n" % (len(a), a))
