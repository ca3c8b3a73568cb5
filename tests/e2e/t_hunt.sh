#!/bin/sh
# sankaku-hunt: real Suricata reads the demo capture and keeps only the
# protocol and flow events a sensor logs (SANKAKU_EVE=protocols, no
# alerts); the demo feeds' index, written by sankaku-rules, is searched
# against them.  Every listed value the capture carries is found by the
# events that carry it, each before its publication (the capture is from
# 2023); --source, --since and --previous filter; compressed logs come through
# standard input; a hostile line is printed escaped and an unreadable one
# named by its line, never by its bytes; no index or a missing file is an
# error (exit 2), nothing found is exit 1.
. "$(dirname "$0")/lib.sh"
copy_demo "$T/demo"
"$B/sankaku-rules" -c "$T/demo/sankaku.json" -o "$T/demo/rules" \
	--now 2026-11-26T00:00:00Z >"$T/rules.log" 2>&1 || fail "sankaku-rules: $(cat "$T/rules.log")"
SANKAKU_EVE=protocols sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" 6379 \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules"
(cd "$T/sc" && suricata -c suricata.yaml --runmode single -r "$SANKAKU_TOP/tests/pcap/demo.pcap" \
	-k none -l "$T/sc" >"$T/suricata.log" 2>&1) || fail "suricata: $(tail "$T/suricata.log")"
EVE=$T/sc/eve.json
assert_eq "the past logs hold no alerts" 0 "$(jq -c 'select(.event_type == "alert")' "$EVE" | wc -l)"
assert_ge "protocol and flow events" 40 "$(wc -l <"$EVE")"
hunt() { "$B/sankaku-hunt" -c "$T/demo/sankaku.json" "$@" 2>>"$T/hunt.log"; }

# 1. every listed value the capture carries, by the events that carry it
hunt --json "$EVE" >"$T/all.json" || fail "nothing found: $(cat "$T/hunt.log")"
assert_eq "what was found, and in which events" \
	"domain dl.badfiles.example: fileinfo http
domain update.evil-cdn.example: dns
ip 198.51.100.23: dns flow
ip 2001:db8::23: flow
ip-port 198.51.100.23:8443: flow
md5 357371fe019e95b769b54c8a543ba309: fileinfo
url cdn.example/payload/stage2.bin: fileinfo http" \
	"$(jq -r '"\(.indicator.type) \(.indicator.value)\t\(.event_type)"' "$T/all.json" | sort -u |
		awk -F'\t' '$1 != k { if (k != "") print k ": " v; k = $1; v = $2; next } { v = v " " $2 }
			END { print k ": " v }')"
assert_eq "a DNS answer's address, with the name it answered" "update.evil-cdn.example" \
	"$(jq -r 'select(.event_type == "dns" and .indicator.type == "ip") | .about | ascii_downcase' "$T/all.json" | sort -u)"
assert_eq "each seen before it was published (2023 against 2026)" 0 \
	"$(jq -c 'select(.before_publication_s <= 86400 * 365 * 2)' "$T/all.json" | wc -l)"
assert_eq "the lead is the publication less the event's time" true \
	"$(jq -s 'map(select(.indicator.value == "update.evil-cdn.example"))[0] |
		(.indicator.published | fromdate) - (.timestamp | sub("\\.[0-9]+\\+0000$"; "Z") | fromdate) ==
		.before_publication_s' "$T/all.json")"
grep -q '^  fin-isac  *10 hits, 10 before it published (up to 1102 d 10 h earlier)$' "$T/hunt.log" ||
	fail "the summary by source: $(cat "$T/hunt.log")"
hunt "$EVE" >"$T/all.txt"
assert_eq "text: a line a hit" "$(wc -l <"$T/all.json")" "$(wc -l <"$T/all.txt")"
grep -q '  dns  192.168.10.20:53001 -> 192.168.10.53:53  domain update.evil-cdn.example  \[jpcert-ew,fin-isac,open-blocklist\] published 2026-11-12T00:00:00Z  "C2 domain of the demo campaign"  seen 1093 d 1 h before it was published$' \
	"$T/all.txt" || fail "the text line: $(head -1 "$T/all.txt")"

# 2. filters: one source (against its own publication), the recent
# ones, what a refresh added
hunt --json --source open-blocklist "$EVE" >"$T/ob.json" || fail "--source found nothing"
assert_eq "--source: only its indicators" 0 \
	"$(jq -c 'select(.indicator.sources | index("open-blocklist") | not)' "$T/ob.json" | wc -l)"
assert_ge "--source: some" 1 "$(wc -l <"$T/ob.json")"
hunt --json --since 2026-11-20T00:00:00Z "$EVE" >"$T/late.json" || fail "--since found nothing"
assert_eq "--since: only the ones published since" \
	"2026-11-20T09:00:00Z 2026-11-21T09:00:00Z" \
	"$(jq -r .indicator.published "$T/late.json" | sort -u | tr '\n' ' ' | sed 's/ $//')"
# --previous: what a refresh added (the set before it had no fin-isac),
# whenever its sources say they published it
jq 'del(.sources[1])' "$T/demo/sankaku.json" >"$T/demo/before.json"
"$B/sankaku-rules" -c "$T/demo/before.json" -o "$T/demo/before" \
	--now 2026-11-26T00:00:00Z >>"$T/rules.log" 2>&1 || fail "sankaku-rules, the set before"
hunt --json --previous "$T/demo/before/sankaku.index" "$EVE" >"$T/added.json" || fail "--previous found nothing"
assert_eq "--previous: only the indicators the refresh added" \
	"domain dl.badfiles.example
ip-port 198.51.100.23:8443
url cdn.example/payload/stage2.bin" \
	"$(jq -r '"\(.indicator.type) \(.indicator.value)"' "$T/added.json" | sort -u)"
rc=0
hunt --since 2027-01-01T00:00:00Z "$EVE" >"$T/none.txt" || rc=$?
assert_eq "nothing found: exit 1, nothing printed" "1 0" "$rc $(wc -c <"$T/none.txt")"

# 3. compressed, rotated logs through standard input
gzip -c "$EVE" >"$T/eve.json.1.gz"
zcat "$T/eve.json.1.gz" | hunt --json - >"$T/gz.json" || fail "from standard input"
assert_eq "the same hits from standard input" "$(md5sum <"$T/all.json")" "$(md5sum <"$T/gz.json")"

# 4. hostile and unreadable lines; a TLS handshake as Suricata 7 logs it
esc=$(printf '\033')
{
	echo '{"timestamp":"2023-11-14T22:20:00.000001+0000","event_type":"tls","src_ip":"192.168.10.20","src_port":40090,"dest_ip":"203.0.113.90","dest_port":443,"proto":"TCP","tls":{"sni":"update.evil-cdn.example","version":"TLS 1.2","ja3":{"hash":"e7d705a3286e19ea42f587b344ee6865"}}}'
	echo '{"timestamp":"2023-11-14T22:21:00.000001+0000","event_type":"dns","src_ip":"192.168.10.20\u001b[2J<script>","dest_ip":"192.168.10.53","dns":{"type":"query","rrname":"update.evil-cdn.example"}}'
	printf 'not json %s[31m secret\n' "$esc"
	echo '[1,2]'
	echo '{"event_typ\u0065":"dns","dn\u0073":{"rrname":"update.evil-cdn.example"}}'
	# 1.5 MB in one line, then a listed name: the one passed over, the next read
	printf '{"event_type":"dns","dns":{"rrname":"update.evil-cdn.example"},"pad":"%s"}\n' \
		"$(head -c 1500000 /dev/zero | tr '\0' x)"
	echo '{"event_type":"dns","dns":{"rrname":"update.evil-cdn.example"}}'
	# an unlisted name resolving to a listed address: a sibling, named
	echo '{"timestamp":"2023-11-14T22:22:00.000001+0000","event_type":"dns","src_ip":"192.168.10.53","src_port":53,"dest_ip":"192.168.10.20","dest_port":53003,"proto":"UDP","dns":{"version":2,"type":"answer","id":17,"flags":"8180","qr":true,"rd":true,"ra":true,"opcode":0,"rrname":"cdn-mirror.example","rrtype":"A","rcode":"NOERROR","answers":[{"rrname":"cdn-mirror.example","rrtype":"A","ttl":300,"rdata":"198.51.100.23"}],"grouped":{"A":["198.51.100.23"]}}}'
} >"$T/hostile.json"
hunt "$T/hostile.json" >"$T/hostile.txt" || fail "the hostile lines: nothing found"
assert_eq "hits: the TLS SNI, the hostile and the escaped names, the line after the long one, the sibling" 5 \
	"$(wc -l <"$T/hostile.txt")"
grep -q '  tls  192.168.10.20:40090 -> 203.0.113.90:443  domain update.evil-cdn.example' "$T/hostile.txt" ||
	fail "the TLS SNI: $(cat "$T/hostile.txt")"
grep -q "$esc" "$T/hostile.txt" "$T/hunt.log" && fail "an escape byte reached the terminal"
grep -q 'secret\|not json' "$T/hunt.log" && fail "an unreadable line's bytes were printed"
grep -q '\\x1b\[2J<script>' "$T/hostile.txt" || fail "the hostile address, escaped: $(cat "$T/hostile.txt")"
grep -q "hostile.json:3: skipped: not JSON: position 0" "$T/hunt.log" || fail "line 3 not named: $(cat "$T/hunt.log")"
grep -q "hostile.json:4: skipped: not a JSON object" "$T/hunt.log" || fail "line 4 not named"
grep -q "hostile.json:6: skipped: $(($(sed -n 6p "$T/hostile.json" | wc -c) - 1)) bytes, more than 1048576$" "$T/hunt.log" ||
	fail "the long line: $(grep hostile.json:6 "$T/hunt.log")"
grep -q "5 events read, 3 lines unreadable; 5 with an indicator" "$T/hunt.log" || fail "the count: $(tail -4 "$T/hunt.log")"
grep -q '  dns  192.168.10.53:53 -> 192.168.10.20:53003  ip 198.51.100.23 (cdn-mirror.example)  \[jpcert-ew,open-blocklist\]' \
	"$T/hostile.txt" || fail "the sibling: $(grep cdn-mirror "$T/hostile.txt")"

# 4b. the bound: a line of 1 MiB is read, one byte more is not, nor a
# longer one without an end at the end of the file; CRLF lines are read
/usr/bin/python3 - "$T/bound.json" <<'GEN'
import sys
head = '{"event_type":"dns","dns":{"rrname":"update.evil-cdn.example"},"pad":"'
line = head + "x" * ((1 << 20) - len(head) - 2) + '"}'
assert len(line) == 1 << 20
with open(sys.argv[1], "w", newline="") as f:
    f.write(line + "\r\n" + line[:-2] + 'x"}\n' + head + "y" * 3000000)
GEN
hunt "$T/bound.json" >"$T/bound.txt" || fail "the 1 MiB line: $(tail -3 "$T/hunt.log")"
assert_eq "the 1 MiB line read" 1 "$(wc -l <"$T/bound.txt")"
grep -q "bound.json:2: skipped: 1048577 bytes, more than 1048576$" "$T/hunt.log" || fail "one byte more"
grep -q "bound.json:3: skipped: 3000070 bytes, more than 1048576$" "$T/hunt.log" || fail "the endless last line"

# 5. errors: exit 2, said plainly
rc=0
"$B/sankaku-hunt" "$EVE" >/dev/null 2>"$T/noidx.log" || rc=$?
assert_eq "no index: exit 2" 2 "$rc"
grep -q 'no index: -c FILE with an "index", or --index FILE' "$T/noidx.log" || fail "$(cat "$T/noidx.log")"
rc=0
"$B/sankaku-hunt" --index "$T/demo/rules/sankaku.index" "$EVE" "$T/missing.json" >"$T/idx.txt" 2>"$T/missing.log" || rc=$?
assert_eq "a missing file: exit 2, the others still read" "2 $(wc -l <"$T/all.txt")" "$rc $(wc -l <"$T/idx.txt")"
grep -q "missing.json: No such file or directory" "$T/missing.log" || fail "$(cat "$T/missing.log")"
rc=0
"$B/sankaku-hunt" --index "$T/demo/rules/sankaku.index" --since yesterday "$EVE" 2>"$T/since.log" || rc=$?
assert_eq "a bad --since: exit 2" 2 "$rc"
echo "hunt: ok"
