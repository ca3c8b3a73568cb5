#!/bin/sh
# sankaku-rules on feeds with every remaining type (SHA-1, SHA-256, JA3,
# IPv6 shared by two sources, CIDR), hostile values that try to inject rule
# text, an AND pattern, and a TLP:RED source: the bad ones are reported as
# file:position: reason, exit status 1, the good ones still deployed and
# firing in real Suricata, enriched with their sources.
. "$(dirname "$0")/lib.sh"
setup_redis
F=$T/feeds
cp -r "$SANKAKU_TOP/tests/fixtures/rules" "$F"
set +e
"$B/sankaku-rules" -c "$F/sankaku.json" -o "$F/out" --now 2026-11-26T00:00:00Z \
	>"$T/rules.out" 2>"$T/rules.err"
rc=$?
set -e
assert_eq "exit status with rejected indicators" 1 "$rc"
grep -q "6 indicators" "$T/rules.out" || fail "$(cat "$T/rules.out")"
assert_eq "problems reported" 10 "$(wc -l <"$T/rules.err" | tr -d ' ')"
grep -q "hostile.csv:3: domain 'evil.example\"; sid:1; msg:\"x': character '\"'" "$T/rules.err" ||
	fail "injection report: $(cat "$T/rules.err")"
grep -q "isac.misp.json:Event.Attribute\[2\]: url" "$T/rules.err" || fail "MISP position"
grep -q "cert.stix.json:objects\[2\] indicator--00000000-0000-4000-8000-000000000003: .*AND" "$T/rules.err" ||
	fail "STIX AND pattern"
# a TLP:RED source is not deployed (its config does not say "red": "deploy"),
# and the report says why
assert_eq "TLP:RED counted" 1 \
	"$(jq '.sources[] | select(.id == "closed-group") | .skipped["tlp-red"]' "$F/out/sankaku-report.json")"
assert_eq "TLP:RED deployed" 0 \
	"$(jq '.sources[] | select(.id == "closed-group") | .deployed' "$F/out/sankaku-report.json")"
# nothing refused reaches the rules, the index or the datasets (decoded)
{
	cat "$F/out/sankaku.index" "$F/out/sankaku.rules"
	for d in "$F"/out/datasets/*.lst; do
		cat "$d"
		while read -r line; do printf '%s\n' "$line" | base64 -d 2>/dev/null || true; echo; done <"$d"
	done
} >"$T/everything.txt"
if grep -qE 'secret\.example|evil[. ]example|sid:1;|pwned|\$\(id\)' "$T/everything.txt"; then
	fail "a refused value reached the output: $(grep -E 'secret|evil|sid:1;|pwned' "$T/everything.txt" | head -3)"
fi
grep -q "good.example" "$T/everything.txt" || fail "the good domain was not written"
(cd / && suricata -T -c /etc/suricata/suricata.yaml -S "$F/out/sankaku.rules" \
	-l "$T" >"$T/suricata-T.log" 2>&1) || fail "suricata -T: $(tail -5 "$T/suricata-T.log")"

"$B/sankakud" -c "$F/sankaku.json" --redis "$URL" 2>"$T/sankakud.log" &
DPID=$!
track $DPID
wait_for 10 grep -q "consuming input" "$T/sankakud.log" || fail "daemon"
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" "$F/out/sankaku.rules"
for p in file-sha1 file-sha256 ja3 ipv6 cidr benign-web; do
	(cd "$T/sc" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/$p.pcap" \
		-k none -l "$T/sc" >>"$T/suricata.log" 2>&1) || fail "suricata on $p"
done
wait_for 20 sh -c "[ \$(redis-cli -p $PORT LLEN suricata) = 0 ]" || fail "not drained"
stop_pid $DPID
r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' >"$T/alerts.json"
got() { jq -r "select(.sankaku.indicator.type == \"$1\") |
	\"\(.sankaku.indicator.value) \([.sankaku.sources[].id] | join(\",\"))\"" "$T/alerts.json" | sort -u; }
assert_eq "sha1" "507c2b9e1b05db38206137e433feb96be8f0fe24 isac-misp" "$(got sha1)"
assert_eq "sha256" "c774e517cd9fd86871192a7c35e005168faadb9e6597923ae7bbea6bbd9e2cd5 cert-stix" "$(got sha256)"
assert_eq "ja3" "9b9ffe822e1c88bbd76d24a9e915802f isac-misp" "$(got ja3)"
assert_eq "ipv6 from two sources, cidr from one" \
	"$(printf '%s\n' '2001:db8::23 cert-stix,isac-misp' '203.0.113.200 cert-stix' | sort)" "$(got ip)"
assert_eq "ipv6: once per flow" 1 "$(jq -c 'select(.src_port == 40081 or .dest_port == 40081)' "$T/alerts.json" | wc -l | tr -d ' ')"
assert_eq "benign web: nothing" 0 "$(jq -c 'select(.src_port == 40061 or .dest_port == 40061)' "$T/alerts.json" | wc -l | tr -d ' ')"
