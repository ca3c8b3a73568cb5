#!/bin/sh
# The feed fixtures' indicators on the wire, through real Suricata, Redis
# and sankakud (tests/pcap/feeds-*.pcap, from scripts/mkpcap.py):
#   - a URL matches only as itself: its path on another host, or another
#     host's root, raises nothing in Suricata; a listed host asked for
#     another listed URL's path reaches sankakud, which drops it
#     (sankaku_alerts_unconfirmed_total); with a port, Host's port counts;
#   - address:port and domain:port match on their port only;
#   - an indicator marked TLP:AMBER in a source configured clear alerts
#     with sankaku.tlp amber; TLP:RED is not deployed unless the source
#     says "red": "deploy", and then its alerts go to sankaku:red:alerts
#     (stream and channel) and nowhere else.
. "$(dirname "$0")/lib.sh"
setup_redis
F=$T/feeds
cp -r "$SANKAKU_TOP/tests/fixtures/feeds" "$F"
MPORT=$(free_port)
jq --arg url "$URL" --arg m "127.0.0.1:$MPORT" \
	'.redis = $url | .metrics.listen = $m | .input = {"block_ms": 200}' \
	"$F/sankaku.json" >"$F/cfg.json"
"$B/sankaku-rules" -c "$F/cfg.json" -o "$F/out" --now 2026-11-26T00:00:00Z \
	>"$T/rules.out" 2>"$T/rules.err" || [ $? -eq 1 ] || fail "sankaku-rules: $(cat "$T/rules.err")"
mkdir "$T/pcaps"
cp "$SANKAKU_TOP"/tests/pcap/feeds-*.pcap "$T/pcaps/"
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" "$F/out/sankaku.rules"

run_suricata() { # the captures, one after the other, into Redis
	(cd "$T/sc" && suricata -c suricata.yaml -r "$T/pcaps" -k none \
		-l "$T/sc" >>"$T/suricata.log" 2>&1) || fail "suricata: $(tail -3 "$T/suricata.log")"
}

start_daemon "$F/cfg.json"
redis-cli -p "$PORT" SUBSCRIBE sankaku:alerts sankaku:red:alerts >"$T/sub.out" &
track $!
sleep 1 # sankakud asks who listens every 500 ms
run_suricata
wait_for 20 drained || fail "not drained"
wait_for 5 sh -c "curl -s http://127.0.0.1:$MPORT/metrics | grep -q '^sankaku_alerts_unconfirmed_total 1$'" ||
	fail "unconfirmed: $(curl -s "http://127.0.0.1:$MPORT/metrics" | grep -E 'unconfirmed|enriched')"
stop_pid $DPID
r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' >"$T/alerts.json"
by_port() { # CLIENT_PORT: "type value sources tlp" of its alerts
	jq -r "select(.src_port == $1 or .dest_port == $1) |
		\"\(.sankaku.indicator.type) \(.sankaku.indicator.value) \([.sankaku.sources[].id] | join(\",\")) \(.sankaku.tlp)\"" \
		"$T/alerts.json" | sort -u | tr '\n' ';' | sed 's/;$//'
}
assert_eq "listed URL" "url cdn.example/redirect.aspx?id=7 cert clear" "$(by_port 40201)"
assert_eq "its path on another host" "" "$(by_port 40202)"
assert_eq "listed host root" "url paypa1.banking.example/ cert green" "$(by_port 40203)"
assert_eq "a root on another host" "" "$(by_port 40204)"
assert_eq "listed host, another URL's path: dropped" "" "$(by_port 40205)"
assert_eq "URL with a port (Host carries it)" \
	"url 198.51.100.78:37352/bin.sh isac,abusech amber" "$(by_port 40206)"
assert_eq "address:port" "ip-port 198.51.100.77:8443 cert clear" "$(by_port 40207)"
assert_eq "the address on another port" "" "$(by_port 40208)"
assert_eq "domain:port" "domain-port tls-c2.example:8443 own clear" "$(by_port 40209)"
assert_eq "the domain on another port" "" "$(by_port 40210)"
assert_eq "TLP:AMBER marking in a source configured clear" \
	"domain update.evil-cdn.example cert amber" "$(by_port 53201)"
assert_eq "the indicator's context" \
	'{"agree":1,"name":"Loader C2 domain","published":"2026-11-20T03:00:00Z","refs":[{"id":"indicator--0b8a6c4e-7c53-4f43-9f0e-2a1a4a6f1c01","source":"cert"}]}' \
	"$(jq -cS 'select(.src_port == 53201) | .sankaku.indicator | {agree, name, published, refs}' "$T/alerts.json")"
assert_eq "TLP:RED not deployed by default" "" "$(by_port 53202)"
assert_eq "nothing on the red stream" 0 "$(r XLEN sankaku:red:alerts)"

# the source says RED may go to its sensors: alerts go to the red keys only
r DEL sankaku:alerts >/dev/null
jq '(.sources[] | select(.id == "cert")) += {"red": "deploy"}' "$F/cfg.json" >"$F/red.json"
"$B/sankaku-rules" -c "$F/red.json" -o "$F/out" --now 2026-11-26T00:00:00Z \
	>"$T/rules2.out" 2>/dev/null || [ $? -eq 1 ] || fail "sankaku-rules (red)"
: >"$T/sankakud.log"
start_daemon "$F/red.json"
sleep 1
rm -f "$T/pcaps"/*
cp "$SANKAKU_TOP/tests/pcap/feeds-tlp-red.pcap" "$T/pcaps/"
run_suricata
wait_for 20 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:red:alerts) -ge 1 ]" || fail "no red alert"
wait_for 20 drained || fail "not drained"
stop_pid $DPID
assert_eq "RED alert's TLP" "red red-only.example" \
	"$(r --raw XRANGE sankaku:red:alerts - + | awk 'NR % 3 == 0' | jq -r '"\(.sankaku.tlp) \(.sankaku.indicator.value)"')"
assert_eq "RED not in the shared stream" 0 "$(r XLEN sankaku:alerts)"
grep -q "red-only.example" "$T/sub.out" || fail "RED not published on its channel"
# on the shared channel only the first run's alerts, never the RED one
awk '/^sankaku:alerts$/ { getline; print }' "$T/sub.out" | grep -q "red-only" &&
	fail "RED published on the shared channel"
true
