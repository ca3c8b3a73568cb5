#!/bin/sh
# Real Suricata on the project's captures, rules from the bundled feeds and
# the shipped Drupalgeddon2 rules, real redis-server, sankakud: every
# variant and indicator fires and is enriched; expired, revoked and benign
# traffic does not fire.
. "$(dirname "$0")/lib.sh"
setup_redis
copy_demo "$T/demo"
"$B/sankaku-rules" -c "$T/demo/sankaku.json" -o "$T/demo/rules" \
	--now 2026-11-26T00:00:00Z >"$T/rules.out" || fail "sankaku-rules failed"
grep -q "8 indicators" "$T/rules.out" || fail "indicators: $(cat "$T/rules.out")"

# suricata -T from another working directory on what the generator wrote
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$T/demo/rules/sankaku.rules"
(cd / && suricata -T -c "$T/sc/suricata.yaml" -S "$T/demo/rules/sankaku.rules" \
	-l "$T/sc" >"$T/suricata-T.log" 2>&1) || fail "suricata -T: $(tail -5 "$T/suricata-T.log")"

"$B/sankakud" -c "$T/demo/sankaku.json" --redis "$URL" 2>"$T/sankakud.log" &
DPID=$!
track $DPID
wait_for 10 grep -q "consuming input" "$T/sankakud.log" || fail "daemon did not start"
(cd "$T/sc" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/demo.pcap" \
	-k none -l "$T/sc" >"$T/suricata.log" 2>&1) || fail "suricata: $(tail "$T/suricata.log")"
wait_for 20 drained || fail "not drained"
stop_pid $DPID
r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' >"$T/alerts.json"

# by PORT: alerts of the flow using that client port
sel() { jq -c "select(.src_port == $1 or .dest_port == $1)" "$T/alerts.json"; }
sids() { sel "$1" | jq -r .alert.signature_id | sort -u | tr '\n' ' ' | sed 's/ $//'; }
field() { sel "$1" | jq -r "$2" | sort -u | tr '\n' ' ' | sed 's/ $//'; }

assert_eq "drupal7 stage 1 (encoded)" "1869001" "$(sids 40001)"
assert_eq "drupal7 stage 2 + command output" "1869002 1869006" "$(sids 40002)"
assert_eq "drupal7 unencoded" "1869001" "$(sids 40003)"
assert_eq "drupal8 plain body" "1869003 1869004" "$(sids 40011)"
assert_eq "drupal8 url-encoded body" "1869003 1869004 1869006" "$(sids 40012)"
assert_eq "drupal8 #lazy_builder" "1869003 1869005" "$(sids 40013)"
assert_eq "benign drupal login" "" "$(sids 40021)"
assert_eq "exploit attempt phase" "detection-analysis" \
	"$(sel 40011 | jq -r .sankaku.phase.id | sort -u)"
assert_eq "successful exploit phase" "containment-eradication-recovery" \
	"$(sel 40002 | jq -r 'select(.alert.signature_id == 1869006) | .sankaku.phase.id')"
assert_eq "drupal: no sources" "0" "$(sel 40001 | jq '.sankaku.sources | length')"

assert_eq "dns domain" "domain update.evil-cdn.example" \
	"$(field 53001 '"\(.sankaku.indicator.type) \(.sankaku.indicator.value)"')"
assert_eq "dns domain sources, in the config's order" "jpcert-ew,fin-isac,open-blocklist" \
	"$(field 53001 '[.sankaku.sources[].id] | join(",")')"
assert_eq "dns: internal host resolving a C2 domain" "containment-eradication-recovery" \
	"$(field 53001 .sankaku.phase.id)"
assert_eq "dns upper-case query" "update.evil-cdn.example" "$(field 53002 .sankaku.indicator.value)"
assert_eq "tls sni" "login.phish-kit.example open-blocklist" \
	"$(field 44321 '"\(.sankaku.indicator.value) \([.sankaku.sources[].id] | join(","))"')"
assert_eq "http host" "dl.badfiles.example fin-isac" \
	"$(field 40031 '"\(.sankaku.indicator.value) \([.sankaku.sources[].id] | join(","))"')"
assert_eq "http url" "url cdn.example/payload/stage2.bin" \
	"$(field 40032 '"\(.sankaku.indicator.type) \(.sankaku.indicator.value)"')"
# the address (two sources) and the address:port (the MISP ip-dst|port)
# are two indicators: one alert each per flow
assert_eq "ip, ip-port: one alert each per flow" "2" "$(sel 40041 | wc -l | tr -d ' ')"
assert_eq "ip sources" "ip 198.51.100.23 jpcert-ew,open-blocklist ip-port 198.51.100.23:8443 fin-isac" \
	"$(field 40041 '"\(.sankaku.indicator.type) \(.sankaku.indicator.value) \([.sankaku.sources[].id] | join(","))"')"
assert_eq "file md5" "md5 fin-isac,open-blocklist" \
	"$(field 40051 '"\(.sankaku.indicator.type) \([.sankaku.sources[].id] | join(","))"')"
assert_eq "expired indicator (www.example) does not fire" "" "$(sids 40061)"
assert_eq "revoked indicator (files.example) does not fire" "0" \
	"$(jq -c 'select(.sankaku.indicator.value == "files.example")' "$T/alerts.json" | wc -l | tr -d ' ')"
assert_eq "source caveat in Japanese" "早くて正確なものは網羅性に問題が出る" \
	"$(sel 53001 | jq -r '.sankaku.sources[] | select(.id == "jpcert-ew") | .triangle.caveat.ja')"
# every alert Suricata raised was stored: nothing lost on the way
total=$(grep -c '"event_type":"alert"' "$T/alerts.json" || true)
assert_eq "alerts stored = alerts enriched" "$total" "$(r XLEN sankaku:alerts)"
assert_ge "alerts" 18 "$total"
echo "suricata pipeline: $total alerts checked"
