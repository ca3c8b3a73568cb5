#!/bin/sh
# What the desk reads back from Redis is input too.  The desk makes its
# incidents from 40 alerts about 4 hosts; stopped, Redis then holds
# beside them an incident without a state, one cut short, one whose
# history has a number for a time, a copy of a good one under another
# key, an index entry with terminal escapes in it and a mute without its
# end.  (Before: a segmentation fault at every start, the desk down
# until someone found the key.)  Started again, the desk skips each,
# naming its key and why, with nothing raw printed; the gauge counts
# them; the good incidents are served and filtered, new alerts are
# counted; the keys it skipped are left as they were, across a restart,
# and a flood of them is named twenty at a time, the rest counted.
# With the incident sequence lost as well, a new incident is numbered
# after the ones there, not over them.  A team chat told of each
# incident as it opened is not told again of the ones loaded at a start.
. "$(dirname "$0")/lib.sh"
setup_redis
setup_desk
misp_standin "$T/misp.apikey"
echo "https://127.0.0.1:$MPORT/hooks/T1/B1/s3cr3t" >"$T/chat.url"
jq --arg ca "$T/misp.crt" --arg u "$T/chat.url" '.desk.notify = [{"url_file": $u, "ca_file": $ca}]' \
	"$T/c.json" >"$T/c2.json" && mv "$T/c2.json" "$T/c.json"
# new: the incidents a chat was told of as they opened, a line each
new_told() { jq -r 'select(.path | startswith("/hooks/")) | .body.text' "$T/misp.log" 2>/dev/null |
	sed -n 's/^\[sankaku\] 新規インシデント \([0-9]*-[0-9]*\) .*/\1/p'; }
counted() { # N: the desk has counted N alerts since it started
	wait_for 30 sh -c "[ \"\$(curl -s $API/metrics | awk '\$1 == \"sankaku_desk_alerts_total\" { print \$2 }')\" = $1 ]" ||
		fail "counted: $(desk_metric sankaku_desk_alerts_total), not $1"
}

start_daemon "$T/c.json"
start_desk
desk_wave 1 40 4
counted 40
wait_for 10 sh -c "[ \$(jq -r 'select(.path | startswith(\"/hooks/\")) | .body.text' '$T/misp.log' 2>/dev/null |
	grep -c '新規インシデント') -ge 4 ]" || fail "the chat not told of the four: $(new_told)"
stop_pid $DESK
good=$(r ZRANGE sankaku:incidents:open 0 -1)
assert_eq "the desk's own incidents" 4 "$(echo "$good" | wc -l | tr -d ' ')"
g1=$(echo "$good" | head -1)

# the bad ones, beside them
doc=$(r --raw GET "sankaku:incident:$g1")
r SET sankaku:incident:20261101-000001 "$(printf '%s' "$doc" | jq -c '.id = "20261101-000001" | del(.state)')" >/dev/null
r SET sankaku:incident:20261101-000002 "$(printf '%s' "$doc" | head -c 200)" >/dev/null
r SET sankaku:incident:20261101-000003 "$(printf '%s' "$doc" | jq -c '.id = "20261101-000003" | .history[0].at = 5')" >/dev/null
r SET sankaku:incident:20261101-000004 "$doc" >/dev/null # its id is g1's
r ZADD sankaku:incidents:open 1 20261101-000001 2 20261101-000002 3 20261101-000003 4 20261101-000004 >/dev/null
r ZADD sankaku:incidents:closed 5 "$(printf 'x\033[2J\033]0;owned\007')" >/dev/null
r HSET sankaku:desk:mutes '2 * *' '{"sid": 2, "count": 0}' >/dev/null
for k in 1 2 3 4; do r --raw GET "sankaku:incident:20261101-00000$k" | sha256sum; done >"$T/bad.sum"
r DEL sankaku:desk:seq >/dev/null # lost: new incidents must not take old numbers

start_desk
kill -0 $DESK || fail "the desk died: $(tail -5 "$T/desk.log")"
said() { grep -c -F "$1" "$T/desk.log" || true; }
assert_eq "missing state named" 1 "$(said 'desk: sankaku:incident:20261101-000001: state: missing: skipped (left as it is)')"
assert_eq "cut short named" 1 "$(said 'desk: sankaku:incident:20261101-000002: not JSON (at byte 200): skipped')"
assert_eq "a time that is not named" 1 "$(said 'desk: sankaku:incident:20261101-000003: history[0].at: not a time')"
assert_eq "a copy under another key named" 1 "$(said 'desk: sankaku:incident:20261101-000004: id: not its key'"'"'s: skipped')"
assert_eq "the bad index entry said, not printed" 1 "$(said 'desk: an entry of sankaku:incidents:closed is not an incident id: skipped')"
assert_eq "the mute said" 1 "$(said 'desk: a mute in sankaku:desk:mutes is not one')"
if LC_ALL=C grep -q "$(printf '\033')" "$T/desk.log"; then fail "an escape byte reached the log"; fi
assert_eq "counted on the gauge" 6 "$(desk_metric sankaku_desk_stored_unreadable)"
assert_eq "the good ones served" 4 "$(api '/api/incidents?state=all' | jq '.incidents | length')"
assert_eq "open, by the filter" 4 "$(api '/api/incidents?state=open' | jq '.incidents | length')"
assert_eq "closed, by the filter" 0 "$(api '/api/incidents?state=closed' | jq '.incidents | length')"
assert_eq "one of them whole" "$g1" "$(api "/api/incidents/$g1" | jq -r .id)"
assert_eq "a skipped one is not served" 404 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$API/api/incidents/20261101-000001")"

desk_wave 41 20 5 # the desk goes on, and a fifth host opens an incident
counted 20
assert_eq "counted into the incidents" 60 "$(api '/api/incidents?state=all' | jq '[.incidents[].alerts.count] | add')"
assert_eq "the fifth host's incident beside the four" 5 "$(api '/api/incidents?state=all' | jq '[.incidents[].id] | unique | length')"
assert_eq "numbered after the others" "$(date -u +%Y%m%d)-000005" "$(api '/api/incidents?state=all' | jq -r --arg g "$good" '[.incidents[].id] - ($g | split("\n")) | .[0]')"
assert_eq "the lost sequence said" 1 "$(said 'desk: sankaku:desk:seq was 0, behind the incidents'"'"' own numbers: new incidents go on from 5')"
wait_for 10 sh -c "[ \$(jq -r 'select(.path | startswith(\"/hooks/\")) | .body.text' '$T/misp.log' |
	grep -c '新規インシデント') -ge 5 ]" || fail "the chat not told of the fifth: $(new_told)"
assert_eq "each told once, across the restart" "5 5" "$(new_told | wc -l | tr -d ' ') $(new_told | sort -u | wc -l | tr -d ' ')"
stop_pid $DESK
i=0
while [ $i -lt 25 ]; do i=$((i + 1)); echo "ZADD sankaku:incidents:closed $i bad/$i"; done | r >/dev/null
: >"$T/desk.log"
start_desk # and again: no crash at a start either, and a flood not printed
kill -0 $DESK || fail "the desk died at its second start: $(tail -5 "$T/desk.log")"
assert_eq "skipped again, and the 25" 31 "$(desk_metric sankaku_desk_stored_unreadable)"
assert_eq "twenty named" 20 "$(grep -c ': skipped' "$T/desk.log" | tr -d ' ')"
assert_eq "the rest counted" 1 "$(said 'desk: 11 more incidents, index entries or mutes skipped, not named')"
for k in 1 2 3 4; do r --raw GET "sankaku:incident:20261101-00000$k" | sha256sum; done >"$T/bad.sum2"
cmp -s "$T/bad.sum" "$T/bad.sum2" || fail "a skipped incident was changed"
assert_eq "the mute left" '{"sid": 2, "count": 0}' "$(r HGET sankaku:desk:mutes '2 * *')"
echo "good=4 skipped=6 counted_after=20 new_incident=5 left_as_they_were=yes"
