#!/bin/sh
# input.mode stream (Suricata 8's `mode: stream`, field "eve"): a consumer
# group, XREADGROUP in batches, XACK once stored; a daemon killed with
# SIGKILL finishes its pending entries when it comes back; entries another
# consumer left pending are claimed after input.claim_idle_ms.
. "$(dirname "$0")/lib.sh"
setup_redis
xpush() { # N START: XADD N synthetic alerts into the stream "suricata"
	/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" "$1" "$2" |
		/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" XADD suricata '*' eve |
		redis-cli -p "$PORT" --pipe >/dev/null
}
pending() { r XPENDING suricata sankaku | head -1; }
write_config "$T/c.json" '"input": { "mode": "stream", "batch": 100, "block_ms": 200, "claim_idle_ms": 1000 },'
sed -i '0,/"input": { "block_ms": 200 },/{/"input": { "block_ms": 200 },/d}' "$T/c.json"
xpush 20000 1
# SIGKILL twice while it works, then let it finish
for i in 1 2; do
	"$B/sankakud" -c "$T/c.json" 2>>"$T/sankakud.log" &
	pid=$!
	track $pid
	sleep 0.3
	kill -KILL $pid
	wait $pid 2>/dev/null || true
done
start_daemon "$T/c.json"
wait_for 60 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) -ge 20000 ] && [ \$(redis-cli -p $PORT XPENDING suricata sankaku | head -1) = 0 ]" ||
	fail "stored $(r XLEN sankaku:alerts), pending $(pending)"
assert_eq "every entry enriched at least once" 20000 "$(unique_flows)"
grep -q "recovering\|consuming" "$T/sankakud.log" || fail "no start"
# a consumer that read entries and died: another one claims them
stop_pid $DPID
xpush 50 30001
r XREADGROUP GROUP sankaku ghost COUNT 50 STREAMS suricata '>' >/dev/null
assert_eq "the ghost holds" 50 "$(r --raw XPENDING suricata sankaku - + 100 ghost | grep -c -x ghost)"
start_daemon "$T/c.json"
ghost_done() {
	[ "$(r --raw XPENDING suricata sankaku - + 100 ghost | grep -c -x ghost)" = 0 ] &&
		[ "$(pending)" = 0 ]
}
wait_for 60 ghost_done ||
	fail "not claimed: ghost holds $(r --raw XPENDING suricata sankaku - + 100 ghost | grep -c -x ghost)"
assert_eq "claimed and stored" 20050 "$(unique_flows)"
stop_pid $DPID
assert_eq "nothing pending" 0 "$(pending)"
