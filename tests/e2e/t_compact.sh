#!/bin/sh
# The compact output form through real Suricata: the stream holds codes and
# ids and "ref", the reference document sankakud wrote names them, the
# channels still carry the full form (output.channel_form), sankaku-tail
# prints the names, and a compact entry is far smaller than the full one
# of the same alert.  A reload with other sources writes a new version.
. "$(dirname "$0")/lib.sh"
setup_redis
copy_demo "$T/demo"
jq --arg url "$URL" '.redis = $url | .output = {"form": "compact"} |
	.input = {"block_ms": 200}' "$T/demo/sankaku.json" >"$T/demo/cfg.json"
"$B/sankaku-rules" -c "$T/demo/cfg.json" -o "$T/demo/rules" --now 2026-11-26T00:00:00Z \
	>/dev/null 2>&1 || fail "sankaku-rules"
start_daemon "$T/demo/cfg.json"
redis-cli -p "$PORT" SUBSCRIBE sankaku:alerts >"$T/sub.out" &
track $!
sleep 1 # sankakud asks who listens every 500 ms
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$T/demo/rules/sankaku.rules"
(cd "$T/sc" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/demo.pcap" \
	-k none -l "$T/sc" >"$T/suricata.log" 2>&1) || fail "suricata"
wait_for 20 drained || fail "not drained"
r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' >"$T/alerts.json"
assert_ge "alerts" 18 "$(wc -l <"$T/alerts.json")"
ver=$(r GET sankaku:reference)
[ -n "$ver" ] || fail "no current reference version"
assert_eq "every entry names the reference" "$ver" "$(jq -r .sankaku.ref "$T/alerts.json" | sort -u)"
assert_eq "phase by id, roles by code" "string string" \
	"$(jq -r 'select(.sankaku.indicator.value == "update.evil-cdn.example") |
		"\(.sankaku.phase | type) \(.sankaku.roles[0] | type)"' "$T/alerts.json" | sort -u)"
r GET "sankaku:reference:$ver" >"$T/ref.json"
assert_eq "the document's own version" "$ver" "$(jq -r .version "$T/ref.json")"
assert_eq "it names the phase in Japanese" "封じ込め/根絶/復旧" \
	"$(jq -r '.phases["containment-eradication-recovery"].ja' "$T/ref.json")"
assert_eq "and each source with its triangle" "speed-accuracy" \
	"$(jq -r '.sources["jpcert-ew"].triangle.id' "$T/ref.json")"
# the channel: the full form
wait_for 5 grep -q '"sankaku"' "$T/sub.out" || fail "nothing published"
grep '"sankaku"' "$T/sub.out" | head -1 | jq -e '.sankaku.phase.ja and (.sankaku.ref | not)' >/dev/null ||
	fail "the channel does not carry the full form"
# the same alert, both forms: the compact entry is far smaller
id=$(head -1 "$T/alerts.json" | jq -r .sankaku.id)
compact=$(head -1 "$T/alerts.json" | wc -c)
full=$(grep "\"id\":\"$id\"" "$T/sub.out" | head -1 | wc -c)
[ "$full" -gt 0 ] || fail "alert $id not published"
[ $((compact * 100 / full)) -lt 70 ] || fail "compact $compact bytes against full $full"
# sankaku-tail expands it
"$B/sankaku-tail" --redis "$URL" -n 3 --once >"$T/tail.out" || fail "sankaku-tail"
grep -q "phase    : " "$T/tail.out" || fail "tail: $(head "$T/tail.out")"
grep -q "検知および分析\|封じ込め" "$T/tail.out" || fail "tail without names: $(head -5 "$T/tail.out")"
# a reload with one more source: a new version, the old one kept
jq '.sources += [{"id": "extra", "triangle": "speed-coverage", "tlp": "green"}]' \
	"$T/demo/cfg.json" >"$T/demo/cfg2.json"
cp "$T/demo/cfg2.json" "$T/demo/cfg.json"
kill -HUP "$DPID"
wait_for 10 sh -c "[ \"\$(redis-cli -p $PORT GET sankaku:reference)\" != $ver ]" || fail "no new version"
assert_eq "the old version stays readable" 1 "$(r EXISTS "sankaku:reference:$ver")"
stop_pid $DPID
