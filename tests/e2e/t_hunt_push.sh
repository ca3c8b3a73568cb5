#!/bin/sh
# sankaku-hunt --push: what the late sources' new indicators find in past
# logs (real Suricata's protocol and flow events of the demo capture)
# becomes retro-hunt alerts in Suricata's list; sankakud enriches them
# like any alert (the phase by the indicator's evidence, its sources and
# their caveats), and the desk opens incidents for the hosts.  A second
# run pushes the same bytes: the desk counts each alert once.
# --max-push bounds a run; without -c there is nowhere to push.
. "$(dirname "$0")/lib.sh"
setup_redis
copy_demo "$T/demo"
DPORT=$(free_port)
API="http://127.0.0.1:$DPORT"
jq --arg url "$URL" --arg l "127.0.0.1:$DPORT" --arg u "$T/users.json" \
	'.redis = $url | .input = {"block_ms": 200} | .desk = {"listen": $l, "users_file": $u}' \
	"$T/demo/sankaku.json" >"$T/demo/c.json"
"$B/sankaku-rules" -c "$T/demo/c.json" -o "$T/demo/rules" \
	--now 2026-11-26T00:00:00Z >"$T/rules.log" 2>&1 || fail "sankaku-rules: $(cat "$T/rules.log")"
TOKEN=$("$B/sankaku-desk" -c "$T/demo/c.json" --add-user aoi --team soc 2>"$T/adduser.log") ||
	fail "add-user: $(cat "$T/adduser.log")"
start_daemon "$T/demo/c.json"
"$B/sankaku-desk" -c "$T/demo/c.json" 2>>"$T/desk.log" &
track $!
wait_for 20 sh -c "curl -s $API/healthz | grep -q ok" || fail "desk not healthy: $(tail -5 "$T/desk.log")"
SANKAKU_EVE=protocols sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules"
(cd "$T/sc" && suricata -c suricata.yaml --runmode single -r "$SANKAKU_TOP/tests/pcap/demo.pcap" \
	-k none -l "$T/sc" >"$T/suricata.log" 2>&1) || fail "suricata: $(tail "$T/suricata.log")"
hunt() { "$B/sankaku-hunt" -c "$T/demo/c.json" "$@" 2>>"$T/hunt.log"; }

# 1. the indicators published since 2026-11-20, pushed
hunt --json --since 2026-11-20T00:00:00Z --push "$T/sc/eve.json" >"$T/hits.json" ||
	fail "nothing found or pushed: $(cat "$T/hunt.log")"
N=$(wc -l <"$T/hits.json")
assert_ge "hits" 4 "$N"
grep -q "^  $N retro-hunt alerts pushed to suricata$" "$T/hunt.log" || fail "the push count: $(cat "$T/hunt.log")"
wait_for 20 sh -c "[ \"\$(redis-cli -p $PORT XLEN sankaku:alerts)\" = $N ]" ||
	fail "enriched: $(r XLEN sankaku:alerts) of $N; $(tail -3 "$T/sankakud.log")"
r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' >"$T/alerts.json"
assert_eq "each a retro-hunt alert of sid_base + 900" "1860900 SANKAKU retro-hunt: a listed indicator in past logs, seen before the rules knew it" \
	"$(jq -r '"\(.alert.signature_id) \(.alert.signature)"' "$T/alerts.json" | sort -u)"
assert_eq "each enriched about the indicator it was pushed for" \
	"$(jq -r '.indicator.value' "$T/hits.json" | sort)" \
	"$(jq -r '.sankaku.indicator.value' "$T/alerts.json" | sort)"
assert_eq "and says what it was and how early" 0 \
	"$(jq -c 'select(.retro_hunt.before_publication_s <= 0 or .retro_hunt.event_type == "" or
		.retro_hunt.indicator != .sankaku.indicator.value)' "$T/alerts.json" | wc -l)"
assert_eq "the URL's alerts (its HTTP request and its file), enriched by its evidence and source" \
	'fileinfo detection-analysis attack-attempt fin-isac /payload/stage2.bin
http detection-analysis attack-attempt fin-isac /payload/stage2.bin' \
	"$(jq -r 'select(.sankaku.indicator.value == "cdn.example/payload/stage2.bin") |
		"\(.retro_hunt.event_type) \(.sankaku.phase.id) \(.sankaku.evidence) \(.sankaku.sources | map(.id) | join(",")) \(.http.url)"' \
		"$T/alerts.json" | sort)"

# 2. the desk: an incident for each host, holding the retro-hunt alerts
wait_for 20 sh -c "[ \"\$(curl -s $API/metrics | awk '/^sankaku_desk_alerts_total /{print \$2}')\" = $N ]" ||
	fail "the desk counted $(desk_metric sankaku_desk_alerts_total) of $N"
assert_eq "incidents for the hosts" "192.168.10.20 fd00:10::20" \
	"$(api "/api/incidents?state=all" | jq -r '[.incidents[] | select(.signatures[].sid == 1860900) | .asset] | unique | join(" ")')"

# 3. a second run pushes the same bytes: counted once
hunt --since 2026-11-20T00:00:00Z --push "$T/sc/eve.json" >/dev/null || fail "the second run"
wait_for 20 sh -c "[ \"\$(curl -s $API/metrics | awk '/^sankaku_desk_duplicates_total /{print \$2}')\" = $N ]" ||
	fail "duplicates: $(desk_metric sankaku_desk_duplicates_total) of $N"
assert_eq "still $N alerts in the desk" "$N" "$(desk_metric sankaku_desk_alerts_total)"

# 4. --max-push: at most that many go in, the rest said
"$B/sankaku-hunt" -c "$T/demo/c.json" --push --max-push 2 "$T/sc/eve.json" >/dev/null 2>"$T/max.log" ||
	fail "--max-push: nothing found"
grep -q "^  2 retro-hunt alerts pushed to suricata$" "$T/max.log" || fail "$(cat "$T/max.log")"
grep -q "more not pushed (--max-push 2): look at the hits first" "$T/max.log" || fail "$(cat "$T/max.log")"
wait_for 20 sh -c "[ \"\$(redis-cli -p $PORT XLEN sankaku:alerts)\" = $((2 * N + 2)) ]" ||
	fail "after --max-push 2: $(r XLEN sankaku:alerts) entries"

# 5. --push needs -c
rc=0
"$B/sankaku-hunt" --index "$T/demo/rules/sankaku.index" --push "$T/sc/eve.json" >/dev/null 2>"$T/noc.log" || rc=$?
assert_eq "--push without -c: exit 2" 2 "$rc"
grep -q -- "--push needs -c FILE" "$T/noc.log" || fail "$(cat "$T/noc.log")"
# --push without --since says what it will do
rc=0
"$B/sankaku-hunt" -c "$T/demo/c.json" --push /dev/null >/dev/null 2>"$T/nosince.log" || rc=$?
assert_eq "nothing to push: exit 1" 1 "$rc"
grep -q -- "--push without --since or --previous: every hit goes in" "$T/nosince.log" || fail "$(cat "$T/nosince.log")"
grep -q -- "--push without --since" "$T/hunt.log" && fail "warned with --since"
echo "hunt push: ok"
