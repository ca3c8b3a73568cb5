#!/bin/sh
# Scale out on Redis: three sankakud processes (distinct consumer names) on
# one input list fed by three sensors share the load; one is killed with
# SIGKILL and restarted; every alert is stored at least once, each daemon
# did part of the work, and each alert keeps its sensor's "host".  c3 has
# each XADD acknowledged (output.acks each), the others check theirs per
# chunk: both kinds side by side on one Redis.
. "$(dirname "$0")/lib.sh"
setup_redis
for c in c1 c2 c3; do
	acks=chunk
	[ $c = c3 ] && acks=each
	CONSUMER=$c write_config "$T/$c.json" "\"input\": { \"batch\": 50, \"block_ms\": 200 }, \"output\": { \"acks\": \"$acks\" },"
	sed -i '0,/"input": { "block_ms": 200 },/{/"input": { "block_ms": 200 },/d}' "$T/$c.json"
done
daemons=""
for c in c1 c2 c3; do
	"$B/sankakud" -c "$T/$c.json" 2>"$T/$c.log" &
	eval "pid_$c=$!"
	track $!
	daemons="$daemons $!"
done
for c in c1 c2 c3; do
	wait_for 10 grep -q "consuming input" "$T/$c.log" || fail "$c did not start"
done
grep -q "stores checked per chunk" "$T/c1.log" || fail "c1 does not check per chunk"
grep -q "stores acknowledged one by one" "$T/c3.log" && fail "c3 probed although acks is each"
grep -q "stores checked per chunk" "$T/c3.log" && fail "c3 checks per chunk although acks is each"
# three sensors (host sensor-0/1/2 in the events) push while they run
push 10000 1 &
p1=$!
push 10000 10001 &
p2=$!
sleep 0.2
kill -KILL "$pid_c2"
wait "$pid_c2" 2>/dev/null || true
wait "$p1" "$p2"
push 10000 20001
"$B/sankakud" -c "$T/c2.json" 2>>"$T/c2.log" &
track $!
daemons="$daemons $!"
all_done() {
	[ "$(r EXISTS suricata sankaku:inflight:c1 sankaku:inflight:c2 sankaku:inflight:c3)" = 0 ] &&
		[ "$(r XLEN sankaku:alerts)" -ge 30000 ]
}
wait_for 180 all_done || fail "not done: input $(r LLEN suricata), stored $(r XLEN sankaku:alerts), unique $(unique_flows), lists $(r KEYS 'sankaku:batch:*' | tr '\n' ' '), recorded $(r SMEMBERS sankaku:inflight:c1) $(r SMEMBERS sankaku:inflight:c2) $(r SMEMBERS sankaku:inflight:c3)"
for p in $daemons; do stop_pid "$p"; done
stored=$(r XLEN sankaku:alerts)
uniq=$(unique_flows)
echo "pushed=30000 stored=$stored unique=$uniq duplicates=$((stored - uniq)) lost=$((30000 - uniq))"
assert_eq "every alert stored at least once" 30000 "$uniq"
for c in c1 c3; do
	n=$(sed -n 's/.*exit consumed=\([0-9]*\).*/\1/p' "$T/$c.log" | tail -1)
	assert_ge "events taken by $c" 1 "${n:-0}"
done
assert_eq "sensors kept" "sensor-0 sensor-1 sensor-2" \
	"$(r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' | jq -r .host | sort -u | tr '\n' ' ' | sed 's/ $//')"
