#!/bin/sh
# sankaku-rules on every feed layout it reads (tests/fixtures/feeds: STIX
# 2.1 and 2.0 bundles, MISP events as files and REST responses, MISP CSV
# exports, abuse.ch Feodo Tracker, URLhaus and ThreatFox, a prefix list,
# the project's own CSV): every object deployed or counted under a
# reason, per source and feed, in the report, on stdout and as gauges;
# problems listed with file and position, printable; real `suricata -T`
# loads the result; and no feed content can add, change or break an
# index entry.
. "$(dirname "$0")/lib.sh"
F=$T/feeds
cp -r "$SANKAKU_TOP/tests/fixtures/feeds" "$F"
# a hostile feed: tabs, newlines and escapes where the index has fields
/usr/bin/python3 - "$F/hostile.csv" <<'PY'
import sys
rows = [
    'type,value,published,name,ref',
    'domain,ok-hostile.example,"2026-11-20T00:00:00Z\tcert\t2026",name,r',
    'domain,tab-name.example,,"evil\tname\ndomain\tforged.example\tcert\t-\tcompromise",x',
    'domain,esc.example,,"\x1b[2Jclear screen","a\tb"',
    'domain,"bad\x1b[31m.example",,,',
]
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
jq '.sources += [{"id": "hostile", "triangle": "speed-coverage", "tlp": "clear",
	"feeds": [{"path": "hostile.csv", "format": "csv"}]}]' \
	"$F/sankaku.json" >"$F/cfg.json"
set +e
"$B/sankaku-rules" -c "$F/cfg.json" -o "$F/out" --now 2026-11-26T00:00:00Z \
	>"$T/rules.out" 2>"$T/rules.err"
rc=$?
set -e
assert_eq "exit status: some indicators refused" 1 "$rc"
rep=$F/out/sankaku-report.json
jq -e . "$rep" >/dev/null || fail "report is not JSON"
src() { jq -r ".sources[] | select(.id == \"$1\") | $2" "$rep"; }
assert_eq "cert deployed" 8 "$(src cert .deployed)"
assert_eq "cert skipped" \
	'{"not-indicator":5,"expired":1,"not-yet-valid":1,"revoked":1,"superseded":1,"unsupported-type":1,"unsupported-pattern":1,"https-url":1,"tlp-red":1,"prefix-too-wide":1,"bad-object":3}' \
	"$(src cert '.skipped | tojson')"
assert_eq "vendor (STIX 2.0)" '4 {"not-indicator":3,"unsupported-type":1,"tlp-red":1}' \
	"$(src vendor '"\(.deployed) \(.skipped | tojson)"')"
assert_eq "isac (MISP event, REST, attributes)" 15 "$(src isac .deployed)"
assert_eq "isac skipped" '{"deleted":2,"not-for-ids":4,"unsupported-type":3,"tlp-red":1,"bad-object":1}' \
	"$(src isac '.skipped | tojson')"
assert_eq "misp csv" 7 "$(src misp-csv .deployed)"
assert_eq "abuse.ch" '13 {"https-url":1,"bad-value":1}' \
	"$(src abusech '"\(.deployed) \(.skipped | tojson)"')"
assert_eq "prefix list" '3 {"prefix-too-wide":1}' "$(src drop '"\(.deployed) \(.skipped | tojson)"')"
assert_eq "feeds all read" "ok" "$(jq -r '[.sources[].feeds[].status] | unique | join(",")' "$rep")"
assert_eq "each problem kept with its place" "objects[15] indicator--0b8a6c4e-7c53-4f43-9f0e-2a1a4a6f1c13" \
	"$(jq -r '.sources[0].feeds[0].problems[] | select(.reason == "bad-object") | .position' "$rep" | sed -n 2p)"
grep -q "sankaku-rules: 59 indicators" "$T/rules.out" || fail "summary: $(cat "$T/rules.out")"
grep -q "^  cert: 8 deployed; skipped: not-indicator 5" "$T/rules.out" || fail "per source: $(cat "$T/rules.out")"
# listed with file and position, and printable: no raw escape reaches the terminal
grep -q "cert-advisory.stix21.json:objects\[15\] indicator--0b8a6c4e-7c53-4f43-9f0e-2a1a4a6f1c13: revoked is not true or false" \
	"$T/rules.err" || fail "position: $(head -5 "$T/rules.err")"
grep -q "hostile.csv:6: domain 'bad\\\\x1b\[31m.example'" "$T/rules.err" ||
	fail "escaped value: $(grep hostile "$T/rules.err")"
grep -q "hostile.csv:2: published '2026-11-20T00:00:00Z\\\\x09cert\\\\x092026' is not a time" "$T/rules.err" ||
	fail "escaped tab: $(grep hostile "$T/rules.err")"
if grep -q "$(printf '\033')" "$T/rules.err" "$T/rules.out"; then fail "a raw escape was printed"; fi
# gauges for node_exporter's textfile collector
prom=$F/out/sankaku-rules.prom
grep -q '^sankaku_rules_indicators{source="cert"} 8$' "$prom" || fail "gauges: $(head "$prom")"
grep -q '^sankaku_rules_skipped{source="isac",reason="deleted"} 2$' "$prom" || fail "skip gauges"
grep -q '^sankaku_rules_feed_ok{source="abusech",feed=".*urlhaus-recent.csv"} 1$' "$prom" || fail "feed gauge"

# the index: every entry exactly 10 fields, names only in @ lines, the
# hostile feed could not forge an entry
idx=$F/out/sankaku.index
awk -F'\t' '!/^#/ && !/^@/ && NF != 10 { print "line " NR ": " NF " fields"; bad = 1 } END { exit bad }' "$idx" ||
	fail "index fields"
assert_eq "entries = indicators" 59 "$(grep -c -v -e '^#' -e '^@' "$idx")"
assert_eq "a name cannot forge an entry" "" "$(awk -F'\t' '$2 == "forged.example"' "$idx")"
assert_eq "a time that is not one: refused, not written" "" \
	"$(awk -F'\t' '$2 == "ok-hostile.example"' "$idx")"
assert_eq "a name made safe" "evil name domain forged.example cert - compromise" \
	"$(awk -F'\t' '$2 == "tab-name.example" { n = $9 } /^@/ { sub(/^@/, ""); split($0, a, "\t"); names[a[1]] = a[2] } END { print names[n] }' "$idx")"
assert_eq "a ref with a tab is dropped" "-" "$(awk -F'\t' '$2 == "esc.example" { print $8 }' "$idx")"
# sankakud loads it
cat >"$T/d.json" <<JSON
{ "index": "$idx", "sources": $(jq .sources "$F/cfg.json") }
JSON
"$B/sankakud" -c "$T/d.json" --check-config 2>"$T/check.log" || fail "sankakud: $(cat "$T/check.log")"

# real Suricata loads what was written, from another directory
(cd / && suricata -T -c /etc/suricata/suricata.yaml -S "$F/out/sankaku.rules" \
	-l "$T" >"$T/suricata-T.log" 2>&1) || fail "suricata -T: $(tail -5 "$T/suricata-T.log")"

# a Japanese ISAC's spreadsheet saved from Excel: CP932, Japanese headers
# named in the config; read as what it is, its names reach the index as
# UTF-8; declared as plain Shift_JIS it is refused with the byte, and the
# set deployed before stays
cat >"$F/jp.json" <<'JSON'
{ "sources": [ { "id": "jp-isac", "triangle": "speed-coverage", "tlp": "green",
  "feeds": [ { "path": "isac-cp932.csv", "format": "csv", "encoding": "cp932",
    "columns": { "type": "種別", "value": "指標", "name": "説明", "published": "公開日" } } ] } ] }
JSON
"$B/sankaku-rules" -c "$F/jp.json" -o "$F/jp" --now 2026-11-26T00:00:00Z >"$T/jp.out" 2>&1 ||
	fail "cp932: $(cat "$T/jp.out")"
assert_eq "cp932 deployed" 3 "$(jq '.sources[0].deployed' "$F/jp/sankaku-report.json")"
grep -q "^@[0-9]*	フィッシングサイト①（ｶﾞｽ料金の請求を装う）$" "$F/jp/sankaku.index" ||
	fail "the name, made UTF-8: $(grep '^@' "$F/jp/sankaku.index")"
sed 's/"cp932"/"shift_jis"/' "$F/jp.json" >"$F/jp-sjis.json"
set +e
"$B/sankaku-rules" -c "$F/jp-sjis.json" -o "$F/jp2" --previous "$F/jp" \
	--now 2026-11-26T01:00:00Z >"$T/jp2.out" 2>"$T/jp2.err"
rc=$?
set -e
assert_eq "a feed not of its encoding: exit status" 3 "$rc"
grep -q "isac-cp932.csv: FEED BROKEN: not shift_jis at byte " "$T/jp2.err" ||
	fail "refusal: $(cat "$T/jp2.err")"
assert_eq "the set before stays" 3 "$(grep -c -v -e '^#' -e '^@' "$F/jp2/sankaku.index")"
