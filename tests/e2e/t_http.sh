#!/bin/sh
# The HTTP listener against what a red team sent it: a 64 MB header, idle
# connections by the hundred, more connections than file descriptors, a
# crafted event_type meant to add lines to /metrics; and HEAD, as HTTP
# allows.  The daemon stays small and keeps serving, Redis included.
. "$(dirname "$0")/lib.sh"
setup_redis
MPORT=$(free_port)
write_config "$T/c.json" '"metrics": { "listen": "127.0.0.1:'"$MPORT"'", "max_connections": 8 },'
sed -i '/"metrics": { "listen": "" },/d' "$T/c.json"
start_daemon "$T/c.json"
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
rss() { awk '/VmRSS/{print $2}' /proc/$DPID/status; }
ticks() { awk '{print $14 + $15}' /proc/$DPID/stat; }

# methods and paths
assert_eq "HEAD /metrics" 200 "$(code -I "http://127.0.0.1:$MPORT/metrics")"
assert_eq "POST /metrics" 405 "$(code -X POST "http://127.0.0.1:$MPORT/metrics")"
curl -s -D - -o /dev/null -X POST "http://127.0.0.1:$MPORT/metrics" | grep -q "^Allow: GET, HEAD" ||
	fail "405 without Allow"
assert_eq "unknown path" 404 "$(code "http://127.0.0.1:$MPORT/nope")"

# a 64 MB header: refused early, memory stays put
before=$(rss)
/usr/bin/python3 - "$MPORT" <<'PY' || fail "the huge header was read to the end"
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ")
sent = 0
try:
    while sent < 64 << 20:
        s.sendall(b"a" * 65536)
        sent += 65536
except OSError:
    sys.exit(0)  # the daemon closed the connection: refused early
sys.exit(1)
PY
after=$(rss)
echo "rss before/after the 64 MB header: $before / $after KB"
[ "$after" -lt $((before + 8192)) ] || fail "RSS grew from $before to $after KB"

# idle connections beyond the cap: accepting pauses, descriptors stay
# bounded, Redis still reconnects, and idle ones are closed after 10 s
/usr/bin/python3 - "$MPORT" 200 15 <<'PY' &
import socket, sys, time
port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks = []
for _ in range(n):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    socks.append(s)
time.sleep(hold)
PY
holder=$!
track $holder
sleep 2
fds=$(ls /proc/$DPID/fd | wc -l)
echo "open descriptors with 200 idle connections held: $fds"
[ "$fds" -le 24 ] || fail "$fds descriptors open: the cap did not hold"
# Redis restarts while the flood lasts: the links come back
redis-cli -p "$PORT" SHUTDOWN NOSAVE >/dev/null 2>&1 || true
wait "$REDIS_PID" 2>/dev/null || true
start_redis "$T/redis" "$PORT"
push 20 1
wait_for 10 drained || fail "no reconnect while the listener was flooded"
assert_eq "stored while flooded" 20 "$(unique_flows)"
wait $holder 2>/dev/null || true
wait_for 15 sh -c "[ \"\$(curl -s -m 1 http://127.0.0.1:$MPORT/healthz)\" = ok ]" ||
	fail "/healthz after the flood: $(curl -s -m 1 "http://127.0.0.1:$MPORT/healthz")"
refused=$(curl -s "http://127.0.0.1:$MPORT/metrics" | awk '$1 == "sankaku_http_refused_total" {print $2}')
[ "$refused" -ge 1 ] || fail "no pause counted: $refused"
stop_pid $DPID

# more connections than file descriptors: a pause, not a spin
: >"$T/sankakud.log"
write_config "$T/c2.json" '"metrics": { "listen": "127.0.0.1:'"$MPORT"'", "max_connections": 500 },'
sed -i '/"metrics": { "listen": "" },/d' "$T/c2.json"
(ulimit -n 48 && exec "$B/sankakud" -c "$T/c2.json") 2>>"$T/sankakud.log" &
DPID=$!
track $DPID
wait_for 10 grep -q "consuming input" "$T/sankakud.log" || fail "did not start: $(cat "$T/sankakud.log")"
t0=$(ticks)
/usr/bin/python3 - "$MPORT" 100 4 <<'PY'
import socket, sys, time
port, n, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
time.sleep(hold)
PY
cpu=$(($(ticks) - t0))
lines=$(wc -l <"$T/sankakud.log")
echo "out of descriptors for 4 s: $cpu ticks of CPU, $lines log lines"
[ "$cpu" -lt 100 ] || fail "the accept loop spun: $cpu ticks in 4 s"
[ "$lines" -lt 20 ] || fail "$lines log lines"
grep -q "out of file descriptors, accepting paused" "$T/sankakud.log" || fail "not said"
wait_for 15 sh -c "[ \"\$(curl -s -m 1 http://127.0.0.1:$MPORT/healthz)\" = ok ]" || fail "not serving after"

# a crafted event_type cannot add lines or fill the label slots
{
	printf '%s\n' '{"event_type":"x\"} 1\nsankaku_forged 99\n#","flow_id":1}'
	i=0
	while [ $i -lt 40 ]; do printf '{"event_type":"t%d","flow_id":%d}\n' $i $i; i=$((i + 1)); done
	printf '%s\n' '{"event_type":"flow","flow_id":7}'
} | /usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata | r --pipe >/dev/null
wait_for 10 drained || fail "not drained"
curl -s "http://127.0.0.1:$MPORT/metrics" >"$T/m.txt"
grep -q "^sankaku_forged" "$T/m.txt" && fail "a forged line in /metrics"
grep -v -E '^(# (HELP|TYPE) [a-z_]+ .*|[a-z_]+(\{[a-z_]+="([^"\\]|\\.)*"\})? [-0-9.e+]+)$' "$T/m.txt" &&
	fail "lines that are not the exposition format"
assert_eq "unknown types counted as other" 41 \
	"$(awk '$1 == "sankaku_events_skipped_by_type_total{event_type=\"other\"}" {print $2}' "$T/m.txt")"
assert_eq "flow still counted as itself" 1 \
	"$(awk '$1 == "sankaku_events_skipped_by_type_total{event_type=\"flow\"}" {print $2}' "$T/m.txt")"
stop_pid $DPID
