#!/bin/sh
# Attacker bytes on the wire (the red team's repro): a NUL, terminal
# escapes and markup in an HTTP User-Agent and request line, a DNS query
# name and a TLS SNI.  Real Suricata writes them as JSON escapes
# (\u0000, \u001b); every such alert is enriched, stored and published,
# none dead-lettered, and the bytes reach consumers unchanged.
. "$(dirname "$0")/lib.sh"
setup_redis
write_config "$T/c.json"
start_daemon "$T/c.json"
redis-cli -p "$PORT" SUBSCRIBE sankaku:alerts >"$T/analyst.out" &
track $!
sleep 1 # sankakud asks who listens every 500 ms
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" \
	"$SANKAKU_TOP/tests/e2e/rules/hostile.rules"
for p in hostile-http hostile-dns hostile-tls; do
	(cd "$T/sc" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/$p.pcap" \
		-k none -l "$T/sc" >>"$T/suricata.log" 2>&1) || fail "suricata $p: $(tail "$T/suricata.log")"
done
wait_for 20 drained || fail "not drained"
wait_for 5 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) -ge 3 ]" || true
r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' >"$T/alerts.json"
assert_eq "dead letters" 0 "$(r LLEN sankaku:deadletter)"
assert_eq "alerts of the three test rules" "9900001 9900002 9900003" \
	"$(jq -r .alert.signature_id "$T/alerts.json" | sort -u | tr '\n' ' ' | sed 's/ $//')"
# Suricata wrote the NUL as \u0000, and it reached the stream unchanged
# (the TLS parser keeps the SNI as a C string: it ends at the NUL)
grep -q 'Mozilla\\u0000\\u0001\\u001b\[31m<script>' "$T/alerts.json" ||
	fail "the User-Agent's bytes: $(grep -o '"http_user_agent":"[^"]*"' "$T/alerts.json")"
for sid in 9900001 9900002 9900003; do
	jq -e -s "map(select(.alert.signature_id == $sid)) |
		length > 0 and all(.[]; .sankaku.phase.id != null)" "$T/alerts.json" >/dev/null ||
		fail "sid $sid not enriched"
done
# the analyst got them on the channel, as valid JSON
wait_for 5 sh -c "[ \$(grep -c '\"sankaku\"' $T/analyst.out) -ge 3 ]" ||
	fail "published: $(grep -c '"sankaku"' "$T/analyst.out")"
grep '"sankaku"' "$T/analyst.out" | jq -e -s 'length >= 3' >/dev/null ||
	fail "a published alert is not valid JSON"
stop_pid $DPID
