#!/bin/sh
# sankaku-fetch keeps a TAXII 2.1 collection by what was added to it
# (feeds_standin.py dates each object and honours added_after):
#   - the first fetch is whole, and the date the server gave the newest
#     object (X-TAXII-Date-Added-Last) is kept beside the copy;
#   - then each fetch asks, on every page, only for what was added after
#     it, and adds the new objects behind the copy's own; when nothing
#     was added the copy stays as it is;
#   - a new version revoking an indicator comes as an object added, and
#     sankaku-rules takes the latest version: the indicator is gone;
#   - the collection is fetched whole again with --whole, a day after its
#     last whole fetch, when the feed's url changed, when the copy is not
#     one sankaku-fetch wrote,
#     when the server sends what was added before (it ignores
#     added_after), and every time a server does not date its pages.
. "$(dirname "$0")/lib.sh"
F=$T/feeds
FIX=$SANKAKU_TOP/tests/fixtures/feeds
mkdir -p "$F"
export TAXII_GROW="$T/grow"
echo 4 >"$TAXII_GROW"
SPORT=$(free_port)
feeds_standin "$SPORT" "$T/requests.log"
printf '%s\n' "$TAXII_AUTH" >"$F/taxii.key"
S=https://127.0.0.1:$SPORT/taxii2/api/collections
cat >"$F/sankaku.json" <<JSON
{ "sources": [ { "id": "cert", "triangle": "speed-accuracy", "tlp": "amber",
  "feeds": [
    { "path": "grow.json", "format": "stix2", "fetch": "taxii", "key_file": "taxii.key",
      "url": "$S/grow/objects/", "ca_file": "$T/srv.crt" },
    { "path": "deaf.json", "format": "stix2", "fetch": "taxii", "key_file": "taxii.key",
      "url": "$S/deaf/objects/", "ca_file": "$T/srv.crt" },
    { "path": "undated.json", "format": "stix2", "fetch": "taxii", "key_file": "taxii.key",
      "url": "$S/undated/objects/", "ca_file": "$T/srv.crt" } ] } ] }
JSON
# run [ARGS]: sankaku-fetch, which must succeed; its output in $T/run.out
run() {
	"$B/sankaku-fetch" -c "$F/sankaku.json" "$@" >"$T/run.out" 2>"$T/run-err.log" ||
		fail "sankaku-fetch $*: $(cat "$T/run.out" "$T/run-err.log")"
}
said() { grep -qF "sankaku-fetch: cert $1" "$T/run.out" || fail "no '$1' in: $(cat "$T/run.out")"; }
# the collection's first N objects (past the bundle's: the revoked version)
want() {
	jq -c --argjson n "$1" '.objects + [.objects[2] + {"modified": "2026-11-26T00:00:00.000Z",
		"revoked": true}] | .[:$n]' "$FIX/cert-advisory.stix21.json"
}
got() { jq -c .objects "$F/$1"; }
added_last() { sed -n 's/^taxii-added-last //p' "$F/.$1.fetch"; }
# the paths asked of collection C in the last run
asked() { tail -n +"$((LINES + 1))" "$T/requests.log" | jq -r --arg c "/$1/" 'select(.path | contains($c)) | .path'; }
mark() { LINES=$(cat "$T/requests.log" 2>/dev/null | wc -l); }
D3=2026-11-25T09:03:00.003123Z
D8=2026-11-25T09:08:00.008123Z
Q3=added_after=2026-11-25T09%3A03%3A00.003123Z

# the first fetch: whole, and the newest object's date kept beside
mark
run
grep -q "cert feeds\[0\]: [0-9]* bytes in 2 pages into $F/grow.json" "$T/run.out" ||
	fail "the first fetch: $(cat "$T/run.out")"
assert_eq "the first four objects" "$(want 4)" "$(got grow.json)"
assert_eq "the newest's date" "$D3" "$(added_last grow.json)"
grep -q '^whole [0-9]*$' "$F/.grow.json.fetch" || fail "no whole fetch kept: $(cat "$F/.grow.json.fetch")"
asked grow | grep -q added_after && fail "the first fetch asked for what was added after: $(asked grow)"

# nothing added: asked with added_after, the copy left as it was
touch -d 2020-01-01 "$F/grow.json"
mark
run
said "feeds[0]: nothing added since $D3 ($F/grow.json)"
assert_eq "grow.json untouched" 2020 "$(date -r "$F/grow.json" +%Y)"
assert_eq "what was asked" "/taxii2/api/collections/grow/objects/?$Q3" "$(asked grow)"
[ -z "$(find "$F" -name '.*.??????')" ] || fail "temporary files left: $(ls -a "$F")"

# five added: two pages, each asked with added_after, the new objects
# behind the four, each once
echo 9 >"$TAXII_GROW"
mark
run
grep -q "cert feeds\[0\]: 5 objects added since $D3, [0-9]* bytes in 2 pages, into $F/grow.json" \
	"$T/run.out" || fail "the pages added: $(cat "$T/run.out")"
assert_eq "the first nine objects, each once" "$(want 9)" "$(got grow.json)"
assert_eq "both pages asked with added_after" 2 "$(asked grow | grep -c "?$Q3")"
asked grow | grep -q "?$Q3&next=" || fail "the second page without added_after: $(asked grow)"
assert_eq "the newest's date" "$D8" "$(added_last grow.json)"

# the rest, then a version revoking an indicator: sankaku-rules takes it
echo 25 >"$TAXII_GROW"
run
said "feeds[0]: 16 objects added since $D8, "
assert_eq "the whole collection, the revoked version last" "$(want 25)" "$(got grow.json)"
jq '.sources[0].feeds = [.sources[0].feeds[0]]' "$F/sankaku.json" >"$F/rules.json"
rc=0
"$B/sankaku-rules" -c "$F/rules.json" -o "$T/out" --now 2026-11-27T00:00:00Z \
	>"$T/rules.out" 2>"$T/rules-err.log" || rc=$?
[ "$rc" -le 3 ] || fail "sankaku-rules: $(cat "$T/rules-err.log")"
# (the bundle revokes one of its own; the whole bundle deploys nine)
assert_eq "indicators revoked" 2 "$(jq '.sources[0].skipped.revoked' "$T/out/sankaku-report.json")"
assert_eq "indicators deployed" 8 "$(jq '.sources[0].deployed' "$T/out/sankaku-report.json")"
if grep -rq 'update\.evil-cdn\.example\|dXBkYXRlLmV2aWwtY2RuLmV4YW1wbGU' "$T/out/sankaku.rules" "$T/out/datasets"; then
	fail "the revoked indicator was deployed"
fi

# a server that ignores added_after: its copy fetched whole, each object once
said "feeds[1]: the server sent objects added at 2026-11-25T09:00:00.000123Z, not after 2026-11-25T09:23:00.023123Z (it ignores added_after?): fetched whole"
assert_eq "deaf.json, each object once" "$(want 24)" "$(got deaf.json)"
# a server that does not date its pages: whole each time
grep -q "cert feeds\[2\]: [0-9]* bytes in 8 pages into $F/undated.json" "$T/run.out" ||
	fail "the undated collection: $(cat "$T/run.out")"
grep -q '^taxii-added-last' "$F/.undated.json.fetch" && fail "an undated collection has a date"

# --whole: the collection whole, its date the newest's
mark
run --whole
grep -q "cert feeds\[0\]: [0-9]* bytes in 9 pages into $F/grow.json" "$T/run.out" ||
	fail "--whole: $(cat "$T/run.out")"
asked grow | grep -q added_after && fail "--whole asked for what was added after"
assert_eq "whole, each object once" "$(want 25)" "$(got grow.json)"
assert_eq "the newest's date" 2026-11-25T09:24:00.024123Z "$(added_last grow.json)"

# a day after the last whole fetch: whole again
sed -i "s/^whole .*/whole $(($(date +%s) - 86401))/" "$F/.grow.json.fetch"
run
grep -q "cert feeds\[0\]: [0-9]* bytes in 9 pages into $F/grow.json" "$T/run.out" ||
	fail "a day later: $(cat "$T/run.out")"
[ "$(sed -n 's/^whole //p' "$F/.grow.json.fetch")" -ge "$(($(date +%s) - 60))" ] ||
	fail "the whole fetch's time not kept: $(cat "$F/.grow.json.fetch")"

# a copy sankaku-fetch did not write (the bundle put there by hand): whole
cp "$FIX/cert-advisory.stix21.json" "$F/grow.json"
run
said "feeds[0]: the copy at $F/grow.json is not one sankaku-fetch wrote: fetched whole"
assert_eq "whole, each object once" "$(want 25)" "$(got grow.json)"

# the feed's url changed (another collection, or a filter added): whole
jq --arg u "$S/grow/objects/?match%5Btype%5D=indicator" '.sources[0].feeds[0].url = $u' \
	"$F/sankaku.json" >"$F/moved.json"
"$B/sankaku-fetch" -c "$F/moved.json" >"$T/run.out" 2>"$T/run-err.log" ||
	fail "another url: $(cat "$T/run.out" "$T/run-err.log")"
grep -q "cert feeds\[0\]: [0-9]* bytes in 9 pages into $F/grow.json" "$T/run.out" ||
	fail "another url: $(cat "$T/run.out")"
