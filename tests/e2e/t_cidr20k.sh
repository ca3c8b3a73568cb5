#!/bin/sh
# 20,000 CIDR prefixes (a large blocklist) with the bundled feeds and the
# shipped rules: sankaku-rules writes them in block rules that Suricata
# reads (no rule over its 8192-byte line, no SID clash with the shipped
# rules or each other), real Suricata loads everything, and an address
# inside one listed prefix alerts once and is enriched with that prefix.
. "$(dirname "$0")/lib.sh"
setup_redis
copy_demo "$T/demo"
/usr/bin/python3 - "$T/demo/feeds/prefixes.csv" <<'PY'
import ipaddress, random, sys
random.seed(7)
seen = set()
with open(sys.argv[1], "w") as f:
    f.write("type,value\n")
    # the capture's server sits in 203.0.113.192/26 (tests/pcap/cidr.pcap)
    f.write("cidr,203.0.113.192/26\n")
    seen.add("203.0.113.192/26")
    while len(seen) < 20000:
        a = random.randint(11, 223) << 24 | random.getrandbits(24)
        n = str(ipaddress.ip_network((a, random.choice([16, 20, 22, 24, 28])), strict=False))
        if n.startswith(("127.", "203.0.113.", "192.168.")) or n in seen:
            continue
        seen.add(n)
        f.write("cidr,%s\n" % n)
PY
jq '.sources += [{"id": "big-list", "triangle": "accuracy-coverage", "tlp": "clear",
	"feeds": [{"path": "feeds/prefixes.csv", "format": "csv"}]}]' \
	"$T/demo/sankaku.json" >"$T/demo/cfg.json"
"$B/sankaku-rules" -c "$T/demo/cfg.json" -o "$T/demo/rules" --now 2026-11-26T00:00:00Z \
	>"$T/rules.out" 2>"$T/rules.err" || [ $? -eq 1 ] || fail "sankaku-rules: $(cat "$T/rules.err")"
assert_eq "big list deployed" 20000 \
	"$(jq '.sources[] | select(.id == "big-list") | .deployed' "$T/demo/rules/sankaku-report.json")"
awk '{ if (length($0) >= 8192) { print "line " NR ": " length($0); bad = 1 } } END { exit bad }' \
	"$T/demo/rules/sankaku.rules" || fail "a rule longer than Suricata reads"
cat "$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$T/demo/rules/sankaku.rules" |
	grep -o 'sid:[0-9]*;' | sort | uniq -d >"$T/dup-sids"
assert_eq "duplicate SIDs" "" "$(cat "$T/dup-sids")"
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$T/demo/rules/sankaku.rules"
(cd / && suricata -T -c "$T/sc/suricata.yaml" -l "$T/sc" >"$T/suricata-T.log" 2>&1) ||
	fail "suricata -T: $(grep -E '^E' "$T/suricata-T.log" | head -3)"
"$B/sankakud" -c "$T/demo/cfg.json" --redis "$URL" 2>"$T/sankakud.log" &
DPID=$!
track $DPID
wait_for 10 grep -q "consuming input" "$T/sankakud.log" || fail "daemon"
(cd "$T/sc" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/cidr.pcap" \
	-k none -l "$T/sc" >"$T/suricata.log" 2>&1) || fail "suricata"
wait_for 20 drained || fail "not drained"
stop_pid $DPID
r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' >"$T/alerts.json"
assert_eq "one alert, the longest listed prefix" "ip 203.0.113.200 big-list" \
	"$(jq -r 'select(.sankaku.indicator.type == "ip") |
		"\(.sankaku.indicator.type) \(.sankaku.indicator.value) \([.sankaku.sources[].id] | join(","))"' "$T/alerts.json")"
