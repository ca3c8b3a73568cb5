#!/bin/sh
# Stores checked per chunk (output.acks chunk, not the default: XADDs under CLIENT REPLY OFF,
# one INFO commandstats reading after them) against what can go wrong with
# that check, each under load, each with nothing lost:
#   1. a Redis user without +client|reply: the probe finds out, every XADD
#      is acknowledged instead;
#   2. +client|reply taken away while the daemon works: the quiet commands
#      are answered after all (the link is reset before a stray reply can be
#      taken for another), or, when it lands between a window's OFF and ON,
#      the connection is left without replies (the link is reset after
#      redis_timeout_ms); either way the probe then falls back;
#   3. CONFIG RESETSTAT while the daemon works: a reading that proves
#      nothing fails its chunk, which is redone (duplicates, never a loss);
#   4. output.acks changed by a reload, each to chunk and back;
#   5. another client whose XADDs keep failing: every chunk check fails, so
#      after three in a row each XADD is acknowledged instead, for
#      output.acks_pause_ms, then checks per chunk again.
. "$(dirname "$0")/lib.sh"
cat >"$T/users.acl" <<ACL
user default on nopass ~* &* +@all
user sankakud on >pw ~* &* +@all -client|reply
ACL
setup_redis "aclfile $T/users.acl"
metric() { curl -s "http://127.0.0.1:$MPORT/metrics" | awk -v m="sankaku_$1" '$1 == m {print $2}'; }
MPORT=$(free_port)
URL="redis://sankakud:pw@127.0.0.1:$PORT"
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"output": { "acks": "chunk" }, "redis_timeout_ms": 2000,'

# 1. no CLIENT REPLY for this user
start_daemon "$T/c.json"
wait_for 5 grep -q "stores acknowledged one by one" "$T/sankakud.log" ||
	fail "no fallback: $(tail -3 "$T/sankakud.log")"
grep -q "CLIENT REPLY refused" "$T/sankakud.log" || fail "the reason is not logged"
assert_eq "stores_checked_per_chunk without CLIENT REPLY" 0 "$(metric stores_checked_per_chunk)"
push 3000 1
wait_for 30 drained || fail "not drained (1)"
assert_eq "stored without CLIENT REPLY" 3000 "$(unique_flows)"
stop_pid $DPID

# 2. CLIENT REPLY allowed at start, taken away under load
r ACL SETUSER sankakud +client\|reply >/dev/null
: >"$T/sankakud.log"
start_daemon "$T/c.json"
wait_for 5 grep -q "stores checked per chunk" "$T/sankakud.log" || fail "no check per chunk"
assert_eq "stores_checked_per_chunk" 1 "$(metric stores_checked_per_chunk)"
push 20000 3001 &
pusher=$!
wait_for 10 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) -ge 5000 ]" || fail "no progress (2)"
r ACL SETUSER sankakud -client\|reply >/dev/null
wait "$pusher"
wait_for 60 drained || fail "not drained (2): $(tail -3 "$T/sankakud.log")"
kill -0 $DPID || fail "daemon died when CLIENT REPLY was refused"
grep -q -E "replies out of step|no reply for 2000 ms" "$T/sankakud.log" ||
	fail "the refused window went unnoticed"
grep -q "stores acknowledged one by one" "$T/sankakud.log" || fail "no fallback after the reset"
assert_eq "stores_checked_per_chunk after the fallback" 0 "$(metric stores_checked_per_chunk)"
assert_eq "stored across the reset" 23000 "$(unique_flows)"
stop_pid $DPID

# 3. counters reset under load
r ACL SETUSER sankakud +client\|reply >/dev/null
: >"$T/sankakud.log"
start_daemon "$T/c.json"
wait_for 5 grep -q "stores checked per chunk" "$T/sankakud.log" || fail "no check per chunk (3)"
push 20000 23001 &
pusher=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	r CONFIG RESETSTAT >/dev/null
	sleep 0.05
done
wait "$pusher"
wait_for 60 drained || fail "not drained (3): $(tail -3 "$T/sankakud.log")"
grep -q "not all [0-9]* XADDs ran" "$T/sankakud.log" || fail "no reading was refused after RESETSTAT"
assert_eq "stored across RESETSTAT" 43000 "$(unique_flows)"
echo "duplicates redone after RESETSTAT: $(($(r XLEN sankaku:alerts) - 43000))"
stop_pid $DPID

# 4. output.acks changed by a reload (SIGHUP), both ways
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"output": { "acks": "each" }, "redis_timeout_ms": 2000,'
: >"$T/sankakud.log"
start_daemon "$T/c.json"
assert_eq "stores_checked_per_chunk with acks each" 0 "$(metric stores_checked_per_chunk)"
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"output": { "acks": "chunk" }, "redis_timeout_ms": 2000,'
kill -HUP $DPID
wait_for 5 sh -c "curl -s http://127.0.0.1:$MPORT/metrics | grep -q '^sankaku_stores_checked_per_chunk 1'" ||
	fail "acks chunk not in force after the reload"
push 2000 43001
wait_for 30 drained || fail "not drained (4)"
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"output": { "acks": "each" }, "redis_timeout_ms": 2000,'
kill -HUP $DPID
wait_for 5 sh -c "curl -s http://127.0.0.1:$MPORT/metrics | grep -q '^sankaku_stores_checked_per_chunk 0'" ||
	fail "acks each not in force after the reload"
push 2000 45001
wait_for 30 drained || fail "not drained (5)"
assert_eq "stored across the reloads" 47000 "$(unique_flows)"
stop_pid $DPID

# 5. another client's XADDs failing all the time
r SET not-a-stream x >/dev/null
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"output": { "acks": "chunk", "acks_pause_ms": 3000 }, "redis_timeout_ms": 2000,'
: >"$T/sankakud.log"
start_daemon "$T/c.json"
wait_for 5 grep -q "stores checked per chunk" "$T/sankakud.log" || fail "no check per chunk (5)"
yes 'XADD not-a-stream * a b' | redis-cli -p "$PORT" >/dev/null 2>&1 &
noise=$!
track $noise
push 5000 47001
wait_for 30 grep -q "3 chunk checks in a row failed" "$T/sankakud.log" ||
	fail "failing checks did not switch to acknowledgements: $(tail -3 "$T/sankakud.log")"
wait_for 30 drained || fail "not drained (6)"
assert_eq "stored while another client's XADDs fail" 52000 "$(unique_flows)"
stop_pid $noise
assert_ge "the noise failed XADDs" 1000 "$(r INFO commandstats | tr ',' '\n' | awk -F= '/^cmdstat_xadd:/{p=1} p && /^failed_calls/{print $2; exit}' | tr -d '\r')"
wait_for 10 sh -c "[ \$(grep -c 'stores checked per chunk' $T/sankakud.log) -ge 2 ]" ||
	fail "checks per chunk did not come back after the pause"
push 2000 52001
wait_for 30 drained || fail "not drained (7)"
assert_eq "stored after the pause" 54000 "$(unique_flows)"
assert_eq "stores_checked_per_chunk after the pause" 1 "$(metric stores_checked_per_chunk)"
stop_pid $DPID
