#!/usr/bin/python3
"""resp.py CMD KEY: turn stdin lines into Redis protocol "CMD KEY line"
commands for `redis-cli --pipe` (bytes kept as they are, so invalid UTF-8
reaches Redis unchanged)."""
import sys

cmd, key = sys.argv[1].encode(), sys.argv[2].encode()
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    line = line.rstrip(b"\n")
    out.write(b"*3\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (
        len(cmd), cmd, len(key), key, len(line), line))
