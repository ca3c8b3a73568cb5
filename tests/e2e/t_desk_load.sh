#!/bin/sh
# The desk under load, killed: 30,000 alerts about 300 hosts go through
# sankakud into the desk while the desk is killed with SIGKILL twice and
# Redis (AOF on) is restarted under it; 2,000 stream entries are then
# written a second time (the same sankaku.id).  Afterwards, from what is
# stored in Redis (the export): every alert counted in exactly one
# incident, none twice — 300 incidents of 100 alerts each.
. "$(dirname "$0")/lib.sh"
setup_redis "appendonly yes" "appendfsync everysec"
DPORT=$(free_port)
write_config "$T/c.json" "\"desk\": { \"listen\": \"127.0.0.1:$DPORT\", \"users_file\": \"$T/users.json\" },"
N=30000
HOSTS=300
API="http://127.0.0.1:$DPORT"

/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" --hosts $HOSTS $N 1 |
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata |
	redis-cli -p "$PORT" --pipe >/dev/null
start_daemon "$T/c.json"

desk() { # start the desk; DESK
	"$B/sankaku-desk" -c "$T/c.json" 2>>"$T/desk.log" &
	DESK=$!
	track $DESK
}
group() { # FIELD of the desk's consumer group
	r XINFO GROUPS sankaku:alerts | awk -v f="$1" '
		p == "desk" && $0 == f { getline; print; exit }
		$0 == "name" { getline; p = $0 }'
}

# 1. killed twice, each time in the middle of its work
kills=0
for round in 1 2; do
	desk
	wait_for 20 sh -c "[ \"\$(curl -s $API/metrics | awk '/^sankaku_desk_alerts_total /{print \$2}')\" -ge $((round * 2000)) ] 2>/dev/null" ||
		fail "round $round: the desk counts nothing: $(tail -5 "$T/desk.log")"
	kill -KILL $DESK && kills=$((kills + 1))
	wait $DESK 2>/dev/null || true
done
# 2. Redis restarts under a running desk
desk
wait_for 20 sh -c "curl -s $API/healthz | grep -q ok" || fail "desk not healthy: $(tail -5 "$T/desk.log")"
stop_pid $REDIS_PID
sleep 0.5
redis-server "$T/redis/redis.conf" &
REDIS_PID=$!
track $REDIS_PID
wait_for 10 r ping || fail "redis did not come back"
wait_for 60 drained || fail "sankakud did not drain: $(r LLEN suricata)"
# 3. some entries again: the same alert, a new stream entry
r --raw XRANGE sankaku:alerts - + COUNT 2000 | awk 'NR % 3 == 0' >"$T/again.jsonl"
/usr/bin/python3 - "$T/again.jsonl" <<'PY' | redis-cli -p "$PORT" --pipe >/dev/null
import sys
for line in open(sys.argv[1], "rb"):
    doc = line.rstrip(b"\n")
    args = [b"XADD", b"sankaku:alerts", b"*", b"alert", doc]
    sys.stdout.buffer.write(b"*%d\r\n" % len(args) + b"".join(
        b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
PY
# caught up: everything delivered to the group, nothing pending (the
# group's "lag" is no witness: Redis 7.0 does not keep it across a
# restart from the AOF)
caught_up() {
	[ "$(group last-delivered-id)" = "$(r XINFO STREAM sankaku:alerts |
		awk '$0 == "last-generated-id" { getline; print; exit }')" ] &&
		[ "$(group pending)" = 0 ]
}
wait_for 120 caught_up ||
	fail "the desk did not catch up: delivered $(group last-delivered-id) pending $(group pending)"
kill -0 $DESK || fail "the desk died: $(tail -5 "$T/desk.log")"

# 4. what Redis holds
"$B/sankaku-desk" -c "$T/c.json" --export >"$T/export.jsonl" 2>"$T/export.err" ||
	fail "export: $(cat "$T/export.err")"
unique=$(r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' | jq -r .sankaku.id | sort -u | wc -l)
assert_eq "alerts in the stream, each once" "$N" "$unique"
entries=$(r XLEN sankaku:alerts) # sankakud may store some twice too
assert_ge "stream entries" $((N + 2000)) "$entries"
assert_eq "one incident per host" "$HOSTS" "$(jq -s 'map(select(.asset | startswith("10.20."))) | length' "$T/export.jsonl")"
assert_eq "no incident for anything else" "$HOSTS" "$(wc -l <"$T/export.jsonl" | tr -d ' ')"
assert_eq "every alert counted once" "$N" "$(jq -s 'map(.alerts.count) | add' "$T/export.jsonl")"
assert_eq "100 alerts on each host" "100" "$(jq -s 'map(.alerts.count) | unique | map(tostring) | join(",")' -r "$T/export.jsonl")"
assert_eq "kills" 2 "$kills"
dups=$(curl -s "$API/metrics" | awk '/^sankaku_desk_duplicates_total /{print $2}')
assert_ge "the repeated entries recognised" 2000 "${dups:-0}"
r --scan --pattern 'sankaku:desk:seen:*' >"$T/seen.keys"
grep -q . "$T/seen.keys" || fail "no seen set"
grep -v -E '^sankaku:desk:seen:20[0-9]{6}T[0-9]{6}$' "$T/seen.keys" && fail "a seen set with a bad name"
# each expires as the window after its own ends (desk.dedup_window_s,
# 3600 by default): Redis never holds more than two windows of ids
while read -r k; do
	ttl=$(r TTL "$k")
	[ "$ttl" -gt 0 ] && [ "$ttl" -le 7200 ] || fail "$k expires in $ttl s, not within two windows"
done <"$T/seen.keys"
grep -q "incidents loaded" "$T/desk.log" || fail "the desk never loaded its state"
assert_eq "no warning at the default stream cap" 0 "$(grep -c 'stream_maxlen .* is below' "$T/desk.log")"
echo "alerts=$N entries=$entries hosts=$HOSTS kills=$kills duplicates_recognised=$dups reloads=$(grep -c 'incidents loaded' "$T/desk.log")"
