#!/bin/sh
# Redis goes away and comes back (with its data, appendonly): sankakud
# reconnects with backoff by itself and loses nothing Redis kept; /healthz
# says 503 while it is down.
. "$(dirname "$0")/lib.sh"
setup_redis "appendonly yes" "appendfsync always"
MPORT=$(free_port)
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json"
start_daemon "$T/c.json"
push 500 1
wait_for 20 drained || fail "not drained before restart"
assert_eq "healthz up" 200 "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MPORT/healthz")"
stop_pid $REDIS_PID
wait_for 10 sh -c "[ \$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$MPORT/healthz) = 503 ]" ||
	fail "healthz did not report the outage"
sleep 1
redis-server "$T/redis/redis.conf" &
REDIS_PID=$!
track $REDIS_PID
wait_for 10 r ping || fail "redis did not come back"
push 500 501
wait_for 30 drained || fail "not drained after restart"
wait_for 5 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) -ge 1000 ]" || true
assert_eq "all alerts, before and after the outage" 1000 "$(unique_flows)"
curl -s "http://127.0.0.1:$MPORT/metrics" >"$T/metrics.txt"
reconnects=$(awk '/^sankaku_redis_reconnects_total /{print $2}' "$T/metrics.txt")
assert_ge "reconnects counted" 1 "${reconnects:-0}"
grep -q "redis connected link=wait" "$T/sankakud.log"
kill -0 $DPID || fail "daemon died"
