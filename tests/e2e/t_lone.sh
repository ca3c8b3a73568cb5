#!/bin/sh
# A lone alert into an idle daemon (the latency path): BLMOVE hands it
# over, and its store (PUBLISH, XADD) is the last command of ours Redis
# sees before it answers: the input is taken again only once the alert is
# stored and its wait list deleted, so no command of ours queues behind
# the store and delays its delivery.  Then a burst that follows is
# drained whole.
. "$(dirname "$0")/lib.sh"
setup_redis
write_config "$T/c.json"
start_daemon "$T/c.json"
sleep 0.3 # let it settle in BLMOVE
r MONITOR >"$T/monitor.log" 2>/dev/null &
mpid=$!
track $mpid
sleep 0.3
push 1 7001
wait_for 10 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) = 1 ]" ||
	fail "the lone alert was not stored"
wait_for 10 drained || fail "the wait list was not deleted"
sleep 0.3
stop_pid $mpid
# what sankakud sent from the XADD of the alert on, on its main link
xadd=$(grep -n '"XADD" "sankaku:alerts"' "$T/monitor.log" | head -1 | cut -d: -f1)
[ -n "$xadd" ] || fail "no XADD in MONITOR: $(head -c 2000 "$T/monitor.log")"
main=$(sed -n "${xadd}p" "$T/monitor.log" | sed 's/^[0-9.]* \[0 \([0-9.:]*\)\].*/\1/')
# (the gauges of its periodic tick may come in between: left out)
tail -n +"$xadd" "$T/monitor.log" | grep -F "[0 $main]" |
	sed 's/^[0-9.]* \[0 [0-9.:]*\] //' | cut -c1-60 |
	grep -v -E '^"(PUBSUB|LLEN|SCARD|XLEN|GET|PING|INFO)"' >"$T/after.txt"
first=$(sed -n 2p "$T/after.txt")
case $first in
*"redis.call('LLEN', KEYS[1]) == 1"*) ;; # the wait list's delete
*) fail "after the store came '$first', not the wait list's delete: $(cat "$T/after.txt")" ;;
esac
grep -q "redis.call('TYPE'" "$T/after.txt" ||
	fail "the input was not taken again: $(cat "$T/after.txt")"
# a burst after the lone one: all of it stored, nothing left behind
push 3000 8001
wait_for 30 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) = 3001 ]" ||
	fail "burst: stored $(r XLEN sankaku:alerts) of 3001"
wait_for 10 drained || fail "burst: batches left: $(batches)"
assert_eq "every flow once" 3001 "$(unique_flows)"
