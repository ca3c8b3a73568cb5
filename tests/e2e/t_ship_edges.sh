#!/bin/sh
# sankaku-ship at its edges, against a real redis-server: lines that are
# not EVE events go to the dead-letter list with their reason (the bytes
# kept, never printed); a line over the limit is kept by its head; a
# partial last line waits for its end; a Redis that refuses pushes (out of
# memory) loses nothing once it accepts again; a list over max_backlog
# makes it wait; SIGTERM and a restart neither lose nor repeat.
. "$(dirname "$0")/lib.sh"
setup_redis
EVE=$T/eve.json
MPORT=$(free_port)
cat >"$T/ship.json" <<JSON
{ "ship": { "eve": "$EVE", "state": "$T/state.json", "redis": "$URL",
            "poll_ms": 50, "checkpoint_ms": 20, "max_event_bytes": 16384,
            "max_backlog": 300, "metrics_listen": "127.0.0.1:$MPORT" } }
JSON
"$B/sankaku-ship" --check-config -c "$T/ship.json" >"$T/check.out" ||
	fail "check-config: $(cat "$T/check.out")"
printf '{"ship": {"batch": 0}}' >"$T/bad.json"
"$B/sankaku-ship" --check-config -c "$T/bad.json" 2>"$T/bad.out" && fail "batch 0 accepted"
grep -q "bad.json: ship.batch: 0 is not between 1 and 10000" "$T/bad.out" ||
	fail "bad config message: $(cat "$T/bad.out")"
printf '{"ship": {"evee": "x"}}' >"$T/bad.json"
"$B/sankaku-ship" --check-config -c "$T/bad.json" 2>"$T/bad.out" && fail "unknown key accepted"
grep -q "ship.evee: unknown key" "$T/bad.out" || fail "unknown key message: $(cat "$T/bad.out")"

start_ship() {
	"$B/sankaku-ship" -c "$T/ship.json" 2>>"$T/ship.log" &
	SPID=$!
	track $SPID
}
metric() {
	curl -s "http://127.0.0.1:$MPORT/metrics" | awk -v m="$1" '$1 == m {print $2}'
}
alerts() { # N [START]: N alert lines, flow_id START..
	/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" "$1" "${2:-1}"
}
flows() { r LRANGE suricata 0 -1 | jq -r .flow_id | sort -n | uniq | wc -l; }

# hostile lines among alerts; a partial line at the end
alerts 10 1 >"$EVE"
printf 'not json <script>\n[1,2]\n{"alert":{}}\n' >>"$EVE"
long='{"event_type":"alert","x":"'$(head -c 70000 /dev/zero | tr '\0' a)'"}'
printf '%s\n' "$long" >>"$EVE"
long_sha1=$(printf '%s' "$long" | sha1sum | cut -d' ' -f1)
printf '{"event_type":"dns","dns":{}}\n' >>"$EVE"
printf '{"event_type":"alert","flow_id":999,' >>"$EVE"
start_ship
wait_for 10 sh -c "[ \$(redis-cli -p $PORT LLEN suricata) = 10 ]" || fail "10 alerts not shipped"
assert_eq "dead letters" 4 "$(r LLEN sankaku:deadletter)"
assert_eq "their reasons" "bad-json missing-field not-object too-large" \
	"$(r LRANGE sankaku:deadletter 0 -1 | jq -r .reason | sort | tr '\n' ' ' | sed 's/ $//')"
assert_eq "the bytes kept" "not json <script>" \
	"$(r LRANGE sankaku:deadletter 0 -1 | jq -r 'select(.reason == "bad-json") | .raw')"
assert_eq "the long line by its head, length and SHA-1" "70029 $long_sha1 4096" \
	"$(r LRANGE sankaku:deadletter 0 -1 | jq -r 'select(.reason == "too-large") |
		"\(.length) \(.sha1) \(.raw_head | length)"')"
grep -q "<script>" "$T/ship.log" && fail "attacker bytes in the log"
assert_eq "the partial line waits" 10 "$(r LLEN suricata)"
printf '"src_ip":"192.0.2.1"}\n' >>"$EVE"
wait_for 10 sh -c "[ \$(redis-cli -p $PORT LLEN suricata) = 11 ]" || fail "completed line not shipped"
assert_eq "dns skipped" 1 "$(metric sankaku_ship_skipped_total)"

# Redis out of memory: pushes refused, then accepted; nothing lost
r DEL suricata >/dev/null
used=$(r INFO memory | awk -F: '/^used_memory:/ {print $2}' | tr -d '\r')
r CONFIG SET maxmemory $((used + 100000)) >/dev/null
r CONFIG SET maxmemory-policy noeviction >/dev/null
alerts 200 1001 >>"$EVE"
wait_for 20 sh -c "[ \"\$(curl -s http://127.0.0.1:$MPORT/metrics | awk '\$1 == \"sankaku_ship_push_errors_total\" {print \$2}')\" -ge 1 ]" ||
	fail "no refusal seen"
wait_for 5 sh -c "curl -s http://127.0.0.1:$MPORT/healthz | grep -q 'refuses'" ||
	fail "healthz silent about the refusals"
r CONFIG SET maxmemory 0 >/dev/null
wait_for 30 sh -c "[ \$(redis-cli -p $PORT LRANGE suricata 0 -1 | jq -r .flow_id | sort -u | wc -l) = 200 ]" ||
	fail "after the refusals: $(flows) of 200"

# backpressure: over max_backlog (300) it waits, and goes on when drained
r DEL suricata >/dev/null
alerts 1000 5001 >>"$EVE"
wait_for 10 sh -c "[ \"\$(curl -s http://127.0.0.1:$MPORT/metrics | awk '\$1 == \"sankaku_ship_waiting\" {print \$2}')\" = 1 ]" ||
	fail "did not wait: backlog $(r LLEN suricata)"
alerts 100 7001 >>"$EVE"
sleep 1
assert_eq "nothing read while waiting" 0 \
	"$(r LRANGE suricata 0 -1 | jq -r 'select(.flow_id >= 7001) | .flow_id' | wc -l)"
r DEL suricata >/dev/null # sankakud drained it
wait_for 20 sh -c "[ \$(redis-cli -p $PORT LLEN suricata) -ge 100 ]" || fail "did not go on"
# sankakud keeps up again: everything gets through
lag0() {
	redis-cli -p "$PORT" DEL suricata >/dev/null
	[ "$(metric sankaku_ship_lag_bytes)" = 0 ]
}
wait_for 30 lag0 || fail "lag stays at $(metric sankaku_ship_lag_bytes)"
sleep 0.3
r DEL suricata >/dev/null

# SIGTERM, more lines, restart: each new alert once, no old one again
stop_pid $SPID
grep -q "stopped: checkpoint written" "$T/ship.log" || fail "no clean stop"
alerts 50 9001 >>"$EVE"
start_ship
wait_for 10 sh -c "[ \$(redis-cli -p $PORT LLEN suricata) -ge 50 ]" || fail "not resumed"
sleep 0.5
assert_eq "the new alerts, once each" "50 50" \
	"$(r LRANGE suricata 0 -1 | jq -r .flow_id | sort -u | wc -l) $(r LLEN suricata)"
assert_eq "no old alert again" 0 \
	"$(r LRANGE suricata 0 -1 | jq -r 'select(.flow_id < 9001) | .flow_id' | wc -l)"

# as the template's least-privilege "ship" user: it ships, and that is all
stop_pid $SPID
line=$(sed -n 's/^# user ship on #SHA256-OF-ITS-PASSWORD //p' "$SANKAKU_TOP/etc/redis/sankaku-users.acl.in")
[ -n "$line" ] || fail "no ship user in the ACL template"
# shellcheck disable=SC2086
r ACL SETUSER ship on '>ship-secret-1' $line >/dev/null || fail "ACL SETUSER ship"
printf 'ship-secret-1\n' >"$T/ship-password"
sed -e "s|\"redis\": \"$URL\"|\"redis\": \"redis://ship@127.0.0.1:$PORT\", \"redis_password_file\": \"ship-password\"|" \
	-e "s|state.json|state2.json|" "$T/ship.json" >"$T/ship2.json"
r DEL suricata >/dev/null
"$B/sankaku-ship" -c "$T/ship2.json" 2>>"$T/ship2.log" &
SPID=$!
track $SPID
wait_for 20 sh -c "[ \$(redis-cli -p $PORT LLEN suricata) -ge 1000 ]" ||
	fail "as the ship user: $(r LLEN suricata); $(tail -3 "$T/ship2.log")"
grep -q "ship-secret-1" "$T/ship2.log" && fail "the password in the log"
assert_eq "the ship user may not read alerts" "NOPERM" \
	"$(redis-cli -p "$PORT" --user ship --pass ship-secret-1 --no-auth-warning XLEN sankaku:alerts 2>&1 | cut -c1-6)"
