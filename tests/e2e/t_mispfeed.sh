#!/bin/sh
# sankaku-fetch on a MISP feed as MISP publishes one (CIRCL's OSINT feed,
# botvrij.eu: manifest.json naming each event with when it last changed,
# the events as UUID.json), served by feeds_standin.py:
#   - the events changed in the feed's "days" come into one array of
#     events, oldest first (an event's byte-order mark left out), which
#     sankaku-rules reads; an older event and a name that is not a UUID
#     are never asked for;
#   - each event is kept beside the file: the next fetch asks only for the
#     manifest, and an event that changed again only for itself, its old
#     copy going;
#   - an event that cannot be fetched (a login page) fails the feed and
#     the copy there stays, the events fetched before it kept for the
#     next run.
. "$(dirname "$0")/lib.sh"
F=$T/feeds
FIX=$SANKAKU_TOP/tests/fixtures/feeds
mkdir -p "$F"
export MISP_FEED_BUMP="$T/bump"
SPORT=$(free_port)
feeds_standin "$SPORT" "$T/requests.log"
S=https://127.0.0.1:$SPORT
cat >"$F/sankaku.json" <<JSON
{ "sources": [ { "id": "circl", "triangle": "accuracy-coverage", "tlp": "clear",
  "feeds": [
    { "path": "osint.json", "format": "misp", "fetch": "misp-feed",
      "url": "$S/misp-feed/", "ca_file": "$T/srv.crt" } ] } ] }
JSON
# run [CONFIG]: sankaku-fetch, which must succeed; its output in $T/run.out
run() {
	"$B/sankaku-fetch" -c "${1:-$F/sankaku.json}" >"$T/run.out" 2>"$T/run-err.log" ||
		fail "sankaku-fetch: $(cat "$T/run.out" "$T/run-err.log")"
}
said() { grep -q "^sankaku-fetch: circl feeds\[0\]: $1" "$T/run.out" || fail "no '$1' in: $(cat "$T/run.out")"; }
# the paths asked since mark
mark() { LINES=$(cat "$T/requests.log" 2>/dev/null | wc -l); }
asked() { tail -n +"$((LINES + 1))" "$T/requests.log" | jq -r .path | sort | tr '\n' ' '; }
kept() { ls "$F/.osint.json.events" | sort | tr '\n' ' '; }
PHISH=$(jq -r .Event.uuid "$FIX/misp-event.json")
VULN=$(jq -r .Event.uuid "$FIX/misp-vuln-event.json")

# the first fetch: the two recent events, the older first
mark
run
said "manifest.json: 1 event not asked for (a name that is not a UUID"
said "2 events changed in the last 30 days (of 4 in the manifest): 2 fetched, 0 kept from before; [0-9]* bytes into $F/osint.json"
assert_eq "the events, the older first" \
	"$(jq -c -s '[.[1], .[0]]' "$FIX/misp-event.json" "$FIX/misp-vuln-event.json")" "$(jq -c . "$F/osint.json")"
assert_eq "what was asked" "/misp-feed/$PHISH.json /misp-feed/$VULN.json /misp-feed/manifest.json " "$(asked)"
case $(kept) in
"$PHISH".[0-9]*.json\ "$VULN".[0-9]*.json\ ) ;;
*) fail "the events kept: $(kept)" ;;
esac
grep -q secret "$T/requests.log" && fail "a name that is not a UUID was asked for"
[ "$(stat -c %a "$F/osint.json")" = 640 ] || fail "osint.json is not 0640"
first=$(kept)

# again: only the manifest
mark
run
said "2 events changed in the last 30 days (of 4 in the manifest): 0 fetched, 2 kept from before"
assert_eq "what was asked" "/misp-feed/manifest.json " "$(asked)"
assert_eq "the same events kept" "$first" "$(kept)"

# an event changed again: only it, its old copy gone
touch "$MISP_FEED_BUMP"
mark
run
said "2 events changed in the last 30 days (of 4 in the manifest): 1 fetched, 1 kept from before"
assert_eq "what was asked" "/misp-feed/$PHISH.json /misp-feed/manifest.json " "$(asked)"
[ "$(kept)" != "$first" ] || fail "the changed event's copy is the old one: $(kept)"
assert_eq "two events kept" 2 "$(ls "$F/.osint.json.events" | wc -l)"

# a shorter window: what left it goes from the file and from beside it
jq '.sources[0].feeds[0].days = 1' "$F/sankaku.json" >"$F/day.json"
run "$F/day.json"
said "1 event changed in the last 1 day (of 4 in the manifest): 0 fetched, 1 kept from before"
assert_eq "the one event" "$PHISH" "$(jq -r '.[].Event.uuid' "$F/osint.json")"
case $(kept) in "$PHISH".[0-9]*.json\ ) ;; *) fail "kept after the shorter window: $(kept)" ;; esac

# sankaku-rules reads the feed
run
rc=0
"$B/sankaku-rules" -c "$F/sankaku.json" -o "$T/out" --now 2026-11-26T00:00:00Z \
	>"$T/rules.out" 2>"$T/rules-err.log" || rc=$?
[ "$rc" -le 3 ] || fail "sankaku-rules: $(cat "$T/rules-err.log")"
assert_ge "indicators deployed from the feed" 5 "$(jq '.sources[0].deployed' "$T/out/sankaku-report.json")"
assert_eq "events read" 0 "$(jq '[.sources[0].skipped["bad-object"] // 0] | add' "$T/out/sankaku-report.json")"

# an event that is a login page: the feed fails, the copy stays, what
# came before it is kept for the next run
jq --arg u "$S/misp-feed-broken/" '.sources[0].feeds[0].url = $u
	| .sources[0].feeds[0].path = "broken.json"' "$F/sankaku.json" >"$F/broken.json.conf"
echo '[]' >"$F/broken.json"
rc=0
"$B/sankaku-fetch" -c "$F/broken.json.conf" >"$T/run.out" 2>"$T/run-err.log" || rc=$?
assert_eq "exit status" 1 "$rc"
grep -q "^sankaku-fetch: circl feeds\[0\]: event $PHISH: an HTML page came, not the feed .*; the copy at $F/broken.json stays$" \
	"$T/run-err.log" || fail "the login page: $(cat "$T/run-err.log")"
assert_eq "the copy stays" "[]" "$(cat "$F/broken.json")"
case $(ls "$F/.broken.json.events" | tr '\n' ' ') in
"$VULN".[0-9]*.json\ ) ;;
*) fail "kept before the failure: $(ls -a "$F/.broken.json.events")" ;;
esac
