#!/bin/sh
# Keys of the wrong type and an evicting Redis: nothing is taken, nothing
# is lost, and the operator is told.
#   1. the input is a Suricata 8 stream while input.mode is list: sankakud
#      refuses to start, and the stream is left as it was;
#   2. keys that collide: --check-config refuses the config;
#   3. the input becomes a hash while sankakud runs: nothing is taken,
#      /healthz says why, and consuming resumes once it is a list again;
#   4. maxmemory-policy allkeys-lru: an error and a gauge, and with
#      redis_require_noeviction a refusal to start;
#   5. the consumer's recovery registry names a key that is not one of
#      its batch lists (the dead letters): the name leaves the registry
#      (said once, not a loop), the key is left as it is, the real
#      leftover batch beside it is recovered; so is a list of its own
#      that has become a hash, and new input is taken after.
. "$(dirname "$0")/lib.sh"
setup_redis
MPORT=$(free_port)
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json"
health() { curl -s "http://127.0.0.1:$MPORT/healthz"; }
metric() { curl -s "http://127.0.0.1:$MPORT/metrics" | awk -v m="sankaku_$1" '$1 == m {print $2}'; }

# 1. a stream where the list belongs
r XADD suricata '*' eve '{"event_type":"alert"}' >/dev/null
r XADD suricata '*' eve '{"event_type":"alert"}' >/dev/null
if timeout 20 "$B/sankakud" -c "$T/c.json" 2>"$T/s1.log"; then fail "started on a stream input"; fi
grep -q "refusing to start: input.key 'suricata' is a stream in Redis, not a list" "$T/s1.log" ||
	fail "no clear refusal: $(cat "$T/s1.log")"
grep -q '^<3>' "$T/s1.log" || fail "the refusal is not logged as an error"
assert_eq "the stream is untouched" 2 "$(r XLEN suricata)"
assert_eq "nothing taken" "" "$(r --scan --pattern 'sankaku:batch:*')"
r DEL suricata >/dev/null

# 2. keys that collide
write_config "$T/bad.json" '"output": { "stream": "suricata" },'
if "$B/sankakud" --check-config -c "$T/bad.json" 2>"$T/bad.err"; then fail "collision accepted"; fi
grep -q "input.key: 'suricata' is also output.stream" "$T/bad.err" || fail "$(cat "$T/bad.err")"

# 3. the input turns into a hash under a running daemon
start_daemon "$T/c.json"
push 100 1
wait_for 10 drained || fail "not drained"
assert_eq "healthz while all is well" ok "$(health)"
consumed=$(metric events_consumed_total)
r HSET suricata a 1 >/dev/null
push 5 1000 2>/dev/null || true # Suricata's LPUSH is refused: WRONGTYPE
wait_for 10 sh -c "curl -s http://127.0.0.1:$MPORT/healthz | grep -q \"input.key 'suricata' is a hash\"" ||
	fail "healthz: $(health)"
wait_for 5 grep -q "not consuming: input.key 'suricata' is a hash" "$T/sankakud.log" ||
	fail "not logged: $(tail -3 "$T/sankakud.log")"
assert_eq "the hash is untouched" 1 "$(r HLEN suricata)"
assert_eq "nothing more consumed" "$consumed" "$(metric events_consumed_total)"
r DEL suricata >/dev/null
push 50 2000
wait_for 15 drained || fail "not resumed: $(health)"
assert_eq "healthz after the repair" ok "$(health)"
assert_eq "every alert stored" 150 "$(unique_flows)"
assert_eq "eviction policy read" 1 "$(metric redis_eviction_safe)"
stop_pid $DPID

# 4. an evicting Redis
r CONFIG SET maxmemory-policy allkeys-lru >/dev/null
: >"$T/sankakud.log"
start_daemon "$T/c.json"
grep -q "level=error Redis maxmemory-policy is allkeys-lru" "$T/sankakud.log" ||
	fail "no error for allkeys-lru: $(cat "$T/sankakud.log")"
wait_for 5 sh -c "[ \"\$(curl -s http://127.0.0.1:$MPORT/metrics | awk '\$1 == \"sankaku_redis_eviction_safe\" {print \$2}')\" = 0 ]" ||
	fail "sankaku_redis_eviction_safe $(metric redis_eviction_safe)"
stop_pid $DPID
write_config "$T/strict.json" '"redis_require_noeviction": true,'
if timeout 20 "$B/sankakud" -c "$T/strict.json" 2>"$T/s4.log"; then fail "strict mode started on allkeys-lru"; fi
grep -q "refusing to start: Redis maxmemory-policy is allkeys-lru" "$T/s4.log" ||
	fail "$(cat "$T/s4.log")"
r CONFIG SET maxmemory-policy noeviction >/dev/null

# 5. a foreign key in the recovery registry
r LPUSH sankaku:deadletter '{"reason":"kept","raw":"x"}' >/dev/null
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" 3 5000 |
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH sankaku:batch:t1:77 | r --pipe >/dev/null
r HSET sankaku:batch:t1:78 a 1 >/dev/null
r SADD sankaku:inflight:t1 sankaku:deadletter sankaku:batch:t1:77 sankaku:batch:t1:78 >/dev/null
before=$(r XLEN sankaku:alerts)
: >"$T/sankakud.log"
start_daemon "$T/c.json"
wait_for 10 drained || fail "the leftover batch was not recovered: $(r SMEMBERS sankaku:inflight:t1)"
assert_eq "the leftover batch stored" $((before + 3)) "$(r XLEN sankaku:alerts)"
assert_eq "the dead letters left" '{"reason":"kept","raw":"x"}' "$(r LRANGE sankaku:deadletter 0 -1)"
assert_eq "said once" 1 "$(grep -c -F "recovery: a member of sankaku:inflight:t1 is not a list of this consumer's (sankaku:batch:t1:*): removed from it, the key it names left as it is" "$T/sankakud.log")"
assert_eq "a list of its own turned hash: said once" 1 "$(grep -c -F "recovery: sankaku:batch:t1:78 is not a list: removed from sankaku:inflight:t1, left as it is" "$T/sankakud.log")"
assert_eq "and left" hash "$(r TYPE sankaku:batch:t1:78)"
push 5 6000
wait_for 10 drained || fail "new input not taken after the recovery"
assert_eq "new input stored" $((before + 8)) "$(r XLEN sankaku:alerts)"
stop_pid $DPID
