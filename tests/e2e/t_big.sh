#!/bin/sh
# Events too large to read whole, and a dead-letter list with a budget
# (the red team pushed ten 100 MB events: the daemon grew to 2.2 GB, Redis
# to 2.3 GB with whole copies in the dead-letter list).
#   1. huge events among normal ones: a reply over the bound drops the
#      link, recovery reads carefully; the huge ones are dead-lettered by
#      their head, length and SHA-1, the others stored; the daemon stays
#      small;
#   2. many medium events (valid, under input.max_event_bytes, a chunk of
#      them over the bound): all stored, carefully;
#   3. the dead-letter list's byte budget: what passes it is counted;
#   4. Suricata 8 streams: the same, through the consumer group.
. "$(dirname "$0")/lib.sh"
setup_redis
MPORT=$(free_port)
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"output": { "deadletter_max_bytes": 1048576 },'
metric() { curl -s "http://127.0.0.1:$MPORT/metrics" | awk -v m="sankaku_$1" '$1 == m {print $2}'; }
big() { /usr/bin/python3 "$SANKAKU_TOP/scripts/gen-big.py" "$@"; }
hwm() { awk '/VmHWM/{print $2}' /proc/$DPID/status; }
# RSS bounds hold for the plain build; sanitizers and valgrind add their own
plain=1
case ${BUILD:-build} in *san* | *valgrind*) plain=0 ;; esac

# 1. five 30 MB events among 300 normal ones
big LPUSH suricata -- 1400:100 31457280:2 1400:100 31457280:3 1400:100 \
	2>"$T/sha1s" | r --pipe >/dev/null
start_daemon "$T/c.json"
wait_for 60 drained || fail "not drained: $(tail -3 "$T/sankakud.log")"
grep -q "recovering with careful reads" "$T/sankakud.log" || fail "the bound was not passed"
assert_eq "normal alerts stored" 300 "$(unique_flows)"
assert_eq "dead letters" 5 "$(r LLEN sankaku:deadletter)"
r --raw LRANGE sankaku:deadletter 0 -1 >"$T/dl.json"
assert_eq "each kept by its head" 5 "$(jq -s 'map(select(.reason == "too-large" and .length == 31457280 and (.raw_head | length) <= 4096 and .raw == null)) | length' "$T/dl.json")"
assert_eq "their SHA-1" "$(sort "$T/sha1s" | tr '\n' ' ')" "$(jq -r .sha1 "$T/dl.json" | sort | tr '\n' ' ')"
dlmem=$(r MEMORY USAGE sankaku:deadletter)
echo "dead-letter list: $dlmem bytes for 5 events of 30 MB; peak RSS $(hwm) KB"
[ "$dlmem" -lt 65536 ] || fail "the dead letters take $dlmem bytes"
[ $plain = 0 ] || [ "$(hwm)" -lt 81920 ] || fail "peak RSS $(hwm) KB"

# 2. 300 valid events of 100 KB: over the bound per chunk, under the limit
FLOW=600000 big LPUSH suricata -- 102400:300 2>/dev/null | r --pipe >/dev/null
wait_for 60 drained || fail "not drained (2)"
assert_eq "medium alerts stored" 600 "$(unique_flows)"
[ $plain = 0 ] || [ "$(hwm)" -lt 81920 ] || fail "peak RSS $(hwm) KB after medium events"

# 3. the budget: 300 bad events of 10 KB into a 1 MiB list
FLOW=700000 big LPUSH suricata -- 10240:300:junk | r --pipe >/dev/null
wait_for 30 drained || fail "not drained (3)"
kept=$(r LLEN sankaku:deadletter)
echo "dead letters kept $kept, over the budget $(metric deadletter_overflow_total)"
[ "$kept" -ge 50 ] && [ "$kept" -lt 200 ] || fail "kept $kept dead letters in 1 MiB"
assert_eq "kept + over budget = all" 305 "$((kept + $(metric deadletter_overflow_total)))"
[ "$(r GET sankaku:deadletter:bytes)" -le 1048576 ] || fail "budget passed: $(r GET sankaku:deadletter:bytes)"
stop_pid $DPID

# 4. streams
r FLUSHALL >/dev/null
write_config "$T/s.json" '"input": { "mode": "stream", "block_ms": 200 },'
sed -i '0,/"input": { "block_ms": 200 },/{/"input": { "block_ms": 200 },/d}' "$T/s.json"
big XADD suricata '*' eve -- 1400:50 20971520:2 1400:50 2>/dev/null | r --pipe >/dev/null
: >"$T/sankakud.log"
start_daemon "$T/s.json"
wait_for 60 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) -ge 100 ] && [ \$(redis-cli -p $PORT XPENDING suricata sankaku | head -1) = 0 ]" ||
	fail "stream: stored $(r XLEN sankaku:alerts), pending $(r XPENDING suricata sankaku | head -1)"
assert_eq "stream: normal alerts" 100 "$(unique_flows)"
assert_eq "stream: dead letters by their head" 2 \
	"$(r --raw LRANGE sankaku:deadletter 0 -1 | jq -s 'map(select(.length == 20971520)) | length')"
[ $plain = 0 ] || [ "$(hwm)" -lt 81920 ] || fail "stream: peak RSS $(hwm) KB"
stop_pid $DPID
