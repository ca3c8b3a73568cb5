#!/bin/sh
# At least once under SIGKILL: kill sankakud at random moments while it
# drains a backlog, restart it under the same consumer name each time;
# every alert pushed is enriched at least once and none is left behind.
. "$(dirname "$0")/lib.sh"
setup_redis
write_config "$T/c.json" '"input": { "batch": 64, "block_ms": 200 },'
sed -i '/"input": { "block_ms": 200 },/d' "$T/c.json"
N=${SOAK_N:-40000}
KILLS=${SOAK_KILLS:-8}
push $N 1
kills=0
i=0
while [ $i -lt "$KILLS" ]; do
	"$B/sankakud" -c "$T/c.json" 2>>"$T/sankakud.log" &
	pid=$!
	track $pid
	# 20-120 ms of work, then SIGKILL mid-batch
	sleep "0.$(printf %02d $(( $(od -An -N1 -tu1 /dev/urandom) % 10 + 2 )))"
	kill -KILL $pid 2>/dev/null && kills=$((kills + 1))
	wait $pid 2>/dev/null || true
	# more input arrives while it is down
	[ $i -eq 3 ] && push 1000 $((N + 1))
	i=$((i + 1))
done
start_daemon "$T/c.json"
wait_for 600 drained || fail "not drained: input $(r LLEN suricata) batches $(batches)"
stop_pid $DPID
pushed=$((N + 1000))
stored=$(r XLEN sankaku:alerts)
uniq=$(unique_flows)
echo "pushed=$pushed stored=$stored unique=$uniq duplicates=$((stored - uniq)) lost=$((pushed - uniq)) kills=$kills"
assert_eq "every alert enriched at least once" "$pushed" "$uniq"
assert_ge "SIGKILLs that hit a running daemon" $((KILLS * 3 / 4)) "$kills"
grep -q "recovering" "$T/sankakud.log" || fail "no recovery happened: the kills hit nothing"
