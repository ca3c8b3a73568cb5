#!/bin/sh
# Fail closed: a feed that is truncated, missing or empty never removes
# its source's detections.  With --previous (the set in force), its last
# good set stays deployed, exit status 3, and the report, the summary and
# the gauges say so and how old that set is; later runs carry it on with
# its first time.  Without a last good set, a truncated feed deploys what
# could be read ("partial").  sankaku-refresh passes the set in force,
# deploys such a run with a warning, and only if `suricata -T` passes.
. "$(dirname "$0")/lib.sh"
F=$T/feeds
cp -r "$SANKAKU_TOP/tests/fixtures/feeds" "$F"
rules() { # OUT [ARGS...]: run sankaku-rules, print its exit status
	_out=$1
	shift
	set +e
	"$B/sankaku-rules" -c "$F/sankaku.json" -o "$_out" "$@" >"$_out.stdout" 2>"$_out.stderr"
	echo $?
	set -e
}
feed() { # OUT SOURCE FIELD: a field of the source's first feed in the report
	jq -r ".sources[] | select(.id == \"$2\") | .feeds[0].$3" "$1/sankaku-report.json"
}
has() { awk -F'\t' -v t="$2" -v v="$3" '$1 == t && $2 == v { f = 1 } END { exit !f }' "$1/sankaku.index"; }

assert_eq "first run" 1 "$(rules "$T/r1" --now 2026-11-26T00:00:00Z)"
has "$T/r1" domain update.evil-cdn.example || fail "first run lacks the CERT's domain"

# the CERT's bundle cut in the middle, the ISAC's event gone, our list empty
head -c 3000 "$SANKAKU_TOP/tests/fixtures/feeds/cert-advisory.stix21.json" >"$F/cert-advisory.stix21.json"
rm "$F/misp-event.json"
: >"$F/own.csv"
assert_eq "broken feeds: exit 3" 3 "$(rules "$T/r2" --previous "$T/r1" --now 2026-11-27T00:00:00Z)"
assert_eq "cert kept" "kept-last-good" "$(feed "$T/r2" cert status)"
assert_eq "cert's set dates from the first run" "2026-11-26T00:00:00Z 86400" \
	"$(feed "$T/r2" cert last_good) $(feed "$T/r2" cert age_s)"
feed "$T/r2" cert reason | grep -q "truncated" || fail "reason: $(feed "$T/r2" cert reason)"
assert_eq "isac's event kept" "kept-last-good" "$(feed "$T/r2" isac status)"
assert_eq "own list kept" "kept-last-good" "$(feed "$T/r2" own status)"
assert_eq "the others read" "ok" "$(feed "$T/r2" abusech status)"
for v in update.evil-cdn.example evil-login.example login.phish-kit.example; do
	has "$T/r2" domain "$v" || fail "$v removed by a broken feed"
done
has "$T/r2" ip-port 198.51.100.77:8443 || fail "the CERT's address:port removed"
grep -q "FEED .*cert-advisory.stix21.json kept-last-good (from 2026-11-26T00:00:00Z)" "$T/r2.stdout" ||
	fail "summary: $(cat "$T/r2.stdout")"
grep -q "cert-advisory.stix21.json: FEED TRUNCATED" "$T/r2.stderr" || fail "not said loudly: $(cat "$T/r2.stderr")"
grep -q 'sankaku_rules_feed_ok{source="cert",feed=".*cert-advisory.stix21.json"} 0' "$T/r2/sankaku-rules.prom" ||
	fail "gauge"
grep -q 'sankaku_rules_feed_last_good_timestamp_seconds{source="cert",feed=".*"} 1795651200' \
	"$T/r2/sankaku-rules.prom" || fail "age gauge"
(cd / && suricata -T -c /etc/suricata/suricata.yaml -S "$T/r2/sankaku.rules" \
	-l "$T" >"$T/suricata-T.log" 2>&1) || fail "suricata -T"

# still broken a day later: still the first run's set, with its time
assert_eq "third run" 3 "$(rules "$T/r3" --previous "$T/r2" --now 2026-11-28T00:00:00Z)"
assert_eq "carried on" "kept-last-good 2026-11-26T00:00:00Z" \
	"$(feed "$T/r3" cert status) $(feed "$T/r3" cert last_good)"
has "$T/r3" domain update.evil-cdn.example || fail "lost on the third run"

# no last good set: what the truncated bundle held before the cut
assert_eq "no previous" 3 "$(rules "$T/r4" --now 2026-11-27T00:00:00Z)"
assert_eq "partial" "partial" "$(feed "$T/r4" cert status)"
has "$T/r4" domain update.evil-cdn.example || fail "partial read lost what came before the cut"
assert_eq "missing: nothing" "failed 0" "$(feed "$T/r4" isac status) $(feed "$T/r4" isac deployed)"

# sankaku-refresh: the good set in force, then a broken run deployed with
# the last good sets, a warning, and the gauges copied for node_exporter
cp -r "$SANKAKU_TOP/tests/fixtures/feeds" "$T/good"
mkdir -p "$T/state" "$T/textfile"
refresh() {
	SANKAKU_RULES="$B/sankaku-rules" SANKAKU_TEXTFILE_DIR="$T/textfile" \
		sh "$SANKAKU_TOP/scripts/sankaku-refresh.sh" -c "$1" -s "$T/state"
}
refresh "$T/good/sankaku.json" >"$T/refresh1.log" 2>&1 || fail "refresh: $(cat "$T/refresh1.log")"
first=$(readlink "$T/state/rules")
head -c 3000 "$SANKAKU_TOP/tests/fixtures/feeds/cert-advisory.stix21.json" >"$T/good/cert-advisory.stix21.json"
sleep 1 # a new directory name
refresh "$T/good/sankaku.json" >"$T/refresh2.log" 2>&1 || fail "refresh with a broken feed: $(cat "$T/refresh2.log")"
[ "$(readlink "$T/state/rules")" != "$first" ] || fail "not switched"
grep -q "a feed is broken" "$T/refresh2.log" || fail "no warning: $(cat "$T/refresh2.log")"
has "$T/state/rules" ip-port 198.51.100.77:8443 || fail "refresh lost the CERT's set"
grep -q 'feed_ok{source="cert"' "$T/textfile/sankaku-rules.prom" || fail "gauges not copied"
# a set Suricata refuses is never put in force
printf 'alert ip any any -> any any (msg:"broken"; nosuchkeyword; sid:1;)\n' >"$T/bad.rules"
cat >"$T/fake-rules.sh" <<EOF
#!/bin/sh
"$B/sankaku-rules" "\$@"; rc=\$?
while [ \$# -gt 0 ]; do [ "\$1" = -o ] && out=\$2; shift; done
cat "$T/bad.rules" >>"\$out/sankaku.rules"
exit \$rc
EOF
chmod +x "$T/fake-rules.sh"
second=$(readlink "$T/state/rules")
sleep 1
if SANKAKU_RULES="$T/fake-rules.sh" sh "$SANKAKU_TOP/scripts/sankaku-refresh.sh" \
	-c "$T/good/sankaku.json" -s "$T/state" >"$T/refresh3.log" 2>&1; then
	fail "a set suricata -T refuses was switched to"
fi
assert_eq "rules in force kept" "$second" "$(readlink "$T/state/rules")"
