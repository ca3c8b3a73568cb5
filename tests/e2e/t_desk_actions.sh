#!/bin/sh
# The desk's actions through the API, merge and mute above all: 60 alerts
# about two hosts make two incidents.  One merged into the other: it
# closes as a duplicate, the other takes its alerts, each history entry
# names the other incident; merging a closed one, into itself or into
# nothing is refused and changes nothing.  A signature muted on the
# survivor (with a note): its next alerts are counted on the mute, not
# on the incident, the mute and its count are in Redis, the history
# entry says what was muted until when; a duration out of bounds is
# refused.  Between them assign, share and check, each with a body it
# refuses.
. "$(dirname "$0")/lib.sh"
setup_redis
setup_desk
act() { # ID BODY: the action's status, its answer in $T/act.json
	curl -s -o "$T/act.json" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
		-H 'Content-Type: application/json' -d "$2" "$API/api/incidents/$1/actions"
}
counted() { # N: alerts counted or muted since the desk started
	wait_for 30 sh -c "[ \$((\$(curl -s $API/metrics | awk '\$1 == \"sankaku_desk_alerts_total\" || \$1 == \"sankaku_desk_muted_total\" { s += \$2 } END { print s + 0 }'))) = $1 ]" ||
		fail "counted: $(desk_metric sankaku_desk_alerts_total) + muted $(desk_metric sankaku_desk_muted_total), not $1"
}

start_daemon "$T/c.json"
start_desk
desk_wave 1 60 2
counted 60
api '/api/incidents?state=open' >"$T/open.json"
assert_eq "two incidents" 2 "$(jq '.incidents | length' "$T/open.json")"
A=$(jq -r '.incidents[0].id' "$T/open.json")
Z=$(jq -r '.incidents[1].id' "$T/open.json")
na=$(jq '.incidents[0].alerts.count' "$T/open.json")
nz=$(jq '.incidents[1].alerts.count' "$T/open.json")

# merge
assert_eq "merge into nothing" 404 "$(act "$A" '{"action": "merge", "into": "20990101-000001"}')"
assert_eq "merge into itself" 409 "$(act "$A" "{\"action\": \"merge\", \"into\": \"$A\"}")"
assert_eq "merge without into" 400 "$(act "$A" '{"action": "merge"}')"
assert_eq "merged" 200 "$(act "$A" "{\"action\": \"merge\", \"into\": \"$Z\"}")"
api "/api/incidents/$A" >"$T/a.json"
api "/api/incidents/$Z" >"$T/z.json"
assert_eq "closed as a duplicate, into the other" "closed duplicate $Z" \
	"$(jq -r '[.state, .verdict, .merged_into] | join(" ")' "$T/a.json")"
assert_eq "the other took its alerts" $((na + nz)) "$(jq '.alerts.count' "$T/z.json")"
assert_eq "each history names the other" "$Z $A" \
	"$(jq -r '.history[-1].incident' "$T/a.json") $(jq -r '.history[-1].incident' "$T/z.json")"
assert_eq "as stored" "$Z" "$(r --raw GET "sankaku:incident:$A" | jq -r .merged_into)"
assert_eq "a closed one is not merged again" 409 "$(act "$A" "{\"action\": \"merge\", \"into\": \"$Z\"}")"
grep -q 'reopen it first' "$T/act.json" || fail "why: $(cat "$T/act.json")"
assert_eq "nothing changed by the refusals" $((na + nz)) "$(api "/api/incidents/$Z" | jq '.alerts.count')"

# assign, share, check: the plain actions through the API
assert_eq "assign without a user" 400 "$(act "$Z" '{"action": "assign"}')"
assert_eq "assigned" 200 "$(act "$Z" '{"action": "assign", "user": "sato"}')"
phase=$(api "/api/incidents/$Z" | jq -r .phase.id)
assert_eq "shared" 200 "$(act "$Z" '{"action": "share", "note": "to the ISAC"}')"
assert_eq "a need ticked" 200 "$(act "$Z" '{"action": "check", "item": 0, "done": true}')"
assert_eq "a need that is not there" 400 "$(act "$Z" '{"action": "check", "item": 99}')"
assert_eq "done that is not true or false" 400 "$(act "$Z" '{"action": "check", "item": 0, "done": "yes"}')"
api "/api/incidents/$Z" >"$T/z1.json"
assert_eq "owner, phase kept, shared in the history, need ticked" "sato $phase share information-sharing to the ISAC true" \
	"$(jq -r '[.owner, .phase.id, (.history | map(select(.action == "share"))[-1] | .action, .to, .note), .what[0].done] | map(tostring) | join(" ")' "$T/z1.json")"

# mute: the survivor's most frequent signature
sid=$(jq '.signatures | max_by(.count) | .sid' "$T/z.json")
assert_eq "a duration out of bounds" 400 "$(act "$Z" "{\"action\": \"mute\", \"sid\": $sid, \"duration_s\": 30}")"
assert_eq "muted" 200 "$(act "$Z" "{\"action\": \"mute\", \"sid\": $sid, \"duration_s\": 3600, \"note\": \"scanner of our own\"}")"
api "/api/incidents/$Z" >"$T/z2.json"
assert_eq "the history says what, and the note apart" "$sid * * scanner of our own" \
	"$(jq -r '.history[-1] | select(.action == "mute") | .mute | [.key, .note] | join(" ")' "$T/z2.json")"
until=$(jq -r '.history[-1].mute.until' "$T/z2.json")
assert_eq "until an hour on" 1 "$(jq -n --arg u "$until" '($u | fromdateiso8601) - now | if . > 3500 and . <= 3600 then 1 else 0 end')"
before=$(jq '.alerts.count' "$T/z2.json")
# the next alerts: those of the muted signature go on the mute
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" --hosts 2 40 61 >"$T/w.jsonl"
muted=$(jq -s --argjson s "$sid" '[.[] | select(.alert.signature_id == $s)] | length' "$T/w.jsonl")
assert_ge "some of the next alerts are of it" 1 "$muted"
/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata <"$T/w.jsonl" | redis-cli -p "$PORT" --pipe >/dev/null
counted 100
assert_eq "counted on the mute" "$muted" "$(desk_metric sankaku_desk_muted_total)"
assert_eq "in Redis with its count" "$muted" "$(r HGET sankaku:desk:mutes "$sid * *" | jq .count)"
assert_eq "not on the incidents (the merged one's alerts are the survivor's)" $((before + 40 - muted)) \
	"$(api '/api/incidents?state=open' | jq '[.incidents[].alerts.count] | add')"
echo "merged=$A into $Z muted_sid=$sid muted=$muted"
