#!/bin/sh
# SIGTERM: finish in-flight work and exit 0, nothing left in processing.
# SIGHUP: a changed triangle applies to the next alerts; a broken config is
# refused and the old one keeps serving.
. "$(dirname "$0")/lib.sh"
setup_redis
write_config "$T/c.json"
start_daemon "$T/c.json"
push 1 2
wait_for 10 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) = 1 ]" || fail "first alert"
sed -i 's/"id": "jpcert-ew", "triangle": "speed-accuracy"/"id": "jpcert-ew", "triangle": "accuracy-coverage"/' "$T/c.json"
kill -HUP $DPID
wait_for 10 grep -q "config reloaded" "$T/sankakud.log" || fail "no reload"
push 1 4
wait_for 10 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) = 2 ]" || fail "second alert"
weak() { r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' |
	jq -r "select(.flow_id == $1) | .sankaku.sources[] | select(.id == \"jpcert-ew\") | .triangle.weak"; }
assert_eq "before reload" coverage "$(weak 2)"
assert_eq "after reload" speed "$(weak 4)"
echo '{ "sources": [ { "id": "x", "triangle": "fast-cheap" } ] }' >"$T/c.json"
kill -HUP $DPID
wait_for 10 grep -q "reload refused" "$T/sankakud.log" || fail "broken config not refused"
grep "reload refused" "$T/sankakud.log" | grep -q 'sources\[0\].triangle' || fail "reason names the key"
push 1 6
wait_for 10 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) = 3 ]" || fail "still serving"
assert_eq "old config still in force" speed "$(weak 6)"
# a stray event in the wait list (as a late BLMOVE of a broken connection
# would leave) is found and stored, not deleted with the next one
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" 1 9001 |
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH sankaku:batch:t1:wait | r --pipe >/dev/null
push 1 9002
wait_for 10 sh -c "redis-cli -p $PORT --raw XRANGE sankaku:alerts - + | grep -q '\"flow_id\":9001,'" ||
	fail "the stray event was lost"
grep -q "wait list holds more events" "$T/sankakud.log" || fail "not noticed"
push 3000 10
kill -TERM $DPID
wait $DPID
rc=$?
assert_eq "exit status on SIGTERM" 0 "$rc"
assert_eq "no batch left" 0 "$(batches)"
left=$(r LLEN suricata)
stored=$(r XLEN sankaku:alerts)
# every event pushed is stored or still in the input (9002 may be stored
# twice: it was in the wait list with the stray one)
assert_eq "taken = stored" 3005 "$((left + $(unique_flows)))"
