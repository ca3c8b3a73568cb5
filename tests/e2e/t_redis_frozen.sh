#!/bin/sh
# Redis stops answering without closing anything (SIGSTOP: a hung server,
# or a connection left without replies): sankakud notices within
# redis_timeout_ms, drops and remakes its links, reports the outage on
# /healthz, and once Redis answers again finishes everything, nothing lost.
# Then the hard way out: two SIGTERMs while Redis is frozen make it exit at
# once with work in flight (no sanitizer report); restarted, it finishes
# that work.
. "$(dirname "$0")/lib.sh"
setup_redis
MPORT=$(free_port)
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"redis_timeout_ms": 1500,'
health() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$MPORT/healthz"; }
start_daemon "$T/c.json"
push 20000 1 &
pusher=$!
wait_for 20 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) -ge 2000 ]" || fail "no progress"
kill -STOP "$REDIS_PID"
wait_for 10 grep -q "no reply for 1500 ms" "$T/sankakud.log" || {
	kill -CONT "$REDIS_PID"
	fail "a silent Redis went unnoticed"
}
code=$(health)
kill -CONT "$REDIS_PID"
assert_eq "healthz while Redis is frozen" 503 "$code"
wait "$pusher"
wait_for 60 drained || fail "not drained after the freeze: $(tail -3 "$T/sankakud.log")"
kill -0 $DPID || fail "daemon died"
assert_eq "healthz after the freeze" 200 "$(health)"
assert_eq "all alerts across the freeze" 20000 "$(unique_flows)"

# frozen again with work in flight: two SIGTERMs end it at once
push 20000 20001 &
pusher=$!
wait_for 20 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) -ge 22000 ]" || fail "no progress (2)"
kill -STOP "$REDIS_PID"
sleep 0.2
kill -TERM $DPID
sleep 0.2
kill -TERM $DPID
wait_for 10 sh -c "! kill -0 $DPID 2>/dev/null" || {
	kill -CONT "$REDIS_PID"
	fail "two SIGTERMs did not end it"
}
grep -q "second signal, exiting now" "$T/sankakud.log" || fail "not the hard way out"
kill -CONT "$REDIS_PID"
wait "$pusher"
start_daemon "$T/c.json"
wait_for 60 drained || fail "not drained after the restart: $(tail -3 "$T/sankakud.log")"
assert_eq "all alerts across the hard stop" 40000 "$(unique_flows)"
stop_pid $DPID
