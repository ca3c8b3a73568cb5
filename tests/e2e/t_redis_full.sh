#!/bin/sh
# Redis full (maxmemory, noeviction): sankakud backs off instead of growing,
# reports it, keeps its memory flat, loses nothing, and finishes once Redis
# has room again.
. "$(dirname "$0")/lib.sh"
setup_redis "maxmemory 20mb" "maxmemory-policy noeviction"
MPORT=$(free_port)
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"input": { "batch": 100, "block_ms": 200 },'
sed -i '0,/"input": { "block_ms": 200 },/{/"input": { "block_ms": 200 },/d}' "$T/c.json"
# 8000 alerts (about 11 MB in; their enriched forms do not fit in 20 MB), in blocks
# of 100 between blocks of 100 flow events: a chunk with nothing to store
# must not trim the chunk of alerts before it while their stores fail
/usr/bin/python3 - "$SANKAKU_TOP/scripts/gen-eve.py" <<'PY' |
import subprocess, sys
alerts = subprocess.run([sys.executable, sys.argv[1], "8000", "1"],
                        capture_output=True, check=True).stdout.splitlines()
for b in range(0, 8000, 100):
    for a in alerts[b:b + 100]:
        sys.stdout.buffer.write(a + b"\n")
    for f in range(100):
        sys.stdout.buffer.write(b'{"event_type":"flow","flow_id":%d}\n' % (900000 + b * 100 + f))
PY
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata | r --pipe >/dev/null
start_daemon "$T/c.json"
wait_for 30 grep -q "OOM" "$T/sankakud.log" || fail "never hit maxmemory"
sleep 3
rss1=$(awk '/VmRSS/{print $2}' /proc/$DPID/status)
curl -s "http://127.0.0.1:$MPORT/metrics" >"$T/m.txt"
failed=$(awk '$1 == "sankaku_batches_failed_total" {print $2}' "$T/m.txt")
assert_ge "refused batches reported" 1 "${failed:-0}"
sleep 3
rss2=$(awk '/VmRSS/{print $2}' /proc/$DPID/status)
echo "while Redis is full: RSS $rss1 KB then $rss2 KB, batches refused $failed"
case $B in
*/san) ;; # AddressSanitizer's quarantine grows by design: no RSS bound
*)
	[ "$rss2" -le $((rss1 + 2048)) ] || fail "memory grows while Redis is full: $rss1 -> $rss2 KB"
	[ "$rss2" -le 65536 ] || fail "RSS $rss2 KB while backing off"
	;;
esac
kill -0 $DPID || fail "daemon died"
r CONFIG SET maxmemory 512mb >/dev/null
wait_for 60 drained || fail "not drained once Redis had room"
wait_for 10 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) -ge 8000 ]" || fail "stored $(r XLEN sankaku:alerts)"
assert_eq "nothing lost" 8000 "$(unique_flows)"
