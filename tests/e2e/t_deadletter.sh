#!/bin/sh
# Bad input goes whole to sankaku:deadletter with its reason; good input
# around it is enriched; non-alerts are counted, not published; the daemon
# never stops.
. "$(dirname "$0")/lib.sh"
setup_redis
write_config "$T/c.json" '"input": { "max_event_bytes": 4096, "block_ms": 200 },'
sed -i '0,/"input": { "block_ms": 200 },/{/"input": { "block_ms": 200 },/d}' "$T/c.json"
start_daemon "$T/c.json"
push 10 1
{
	printf '%s\n' 'not json at all'
	printf '%s\n' '[1,2,3]'
	printf '%s\n' '{"event_type":"alert","src_ip":"10.0.0.1"}'
	printf '%s\n' '{"timestamp":"x","event_type":"alert","alert":{"signature_id":"x"}}'
	printf '%s\n' '{"event_type":"alert","event_type":"dns"}'
	printf '{"event_type":"alert","bad":"\377\376"}\n'
	printf '{"event_type":"alert","pad":"%s"}\n' "$(head -c 5000 /dev/zero | tr '\0' a)"
	printf '%s\n' '{"timestamp":"2026-11-26T00:00:00+0000","event_type":"flow","flow_id":7}'
	printf '%s\n' '{"timestamp":"2026-11-26T00:00:00+0000","event_type":"dns","flow_id":8}'
} | /usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata | r --pipe >/dev/null
push 10 11
wait_for 20 drained || fail "not drained"
wait_for 5 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) = 20 ]" || fail "stored $(r XLEN sankaku:alerts), want 20"
assert_eq "dead letters" 7 "$(r LLEN sankaku:deadletter)"
r --raw LRANGE sankaku:deadletter 0 -1 >"$T/dl.json"
assert_eq "reasons" "bad-json bad-json bad-json missing-field missing-field not-object too-large" \
	"$(jq -r .reason "$T/dl.json" | sort | tr '\n' ' ' | sed 's/ $//')"
jq -e -s 'map(select(.raw == "{\"event_type\":\"alert\",\"event_type\":\"dns\"}")) | .[0].detail | test("duplicate")' \
	"$T/dl.json" >/dev/null || fail "duplicate keys are dead-lettered with the reason"
assert_eq "invalid UTF-8 kept whole as base64" \
	"$(printf '{"event_type":"alert","bad":"\377\376"}' | base64 -w0)" \
	"$(jq -r 'select(.raw_base64) | .raw_base64' "$T/dl.json")"
assert_eq "raw kept whole" "not json at all" \
	"$(jq -r 'select(.raw == "not json at all") | .raw' "$T/dl.json")"
jq -e -s 'map(select(.reason == "too-large")) | .[0].detail | test("input.max_event_bytes")' "$T/dl.json" >/dev/null ||
	fail "too-large detail names the key"
kill -0 $DPID || fail "daemon died"
assert_eq "no batch left" 0 "$(batches)"

# a flood of bad events: a few lines a second, and one that sums up
stop_pid $DPID
: >"$T/sankakud.log"
start_daemon "$T/c.json"
i=0
while [ $i -lt 500 ]; do echo "bad event $i"; i=$((i + 1)); done |
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata | r --pipe >/dev/null
wait_for 20 drained || fail "not drained (flood)"
sleep 1.1
printf '%s\n' 'one more' | /usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata | r --pipe >/dev/null
wait_for 10 drained || fail "not drained (one more)"
lines=$(grep -c "dead-lettered" "$T/sankakud.log")
echo "501 dead letters, $lines log lines"
[ "$lines" -le 40 ] || fail "$lines log lines for 501 dead letters"
grep -q "events dead-lettered without a line of their own count=[0-9]" "$T/sankakud.log" ||
	fail "no summing-up line"
stop_pid $DPID
