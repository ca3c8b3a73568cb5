#!/bin/sh
# sankaku-fetch against stand-ins of the servers feeds come from
# (feeds_standin.py, HTTPS on loopback, the fixtures in their real
# layouts), then sankaku-rules on what it fetched:
#   - abuse.ch's CSV by a plain GET; asked again with its ETag, 304 and
#     the copy kept as it is;
#   - a TAXII 2.1 collection page by page, each "next" percent-encoded,
#     with HTTP Basic and TAXII's Accept: all the objects in one envelope;
#   - a MISP attributes/restSearch POSTed with the source's misp_key_file;
#   - a login page, nothing, or a bundle cut short, all with status 200,
#     a TAXII server saying "more" forever,
#     a server whose certificate we were not given, a wrong key: each
#     fails its feed alone, the copy there kept, exit 1;
#   - a redirect to another host follows without the key; a key in a
#     header of its own (abuse.ch's Auth-Key) is sent as that, and stops
#     redirects from being followed;
#   - a key systemd hands over (LoadCredential=) is read instead of the
#     file of the same name;
#   - a TAXII server that asks for a client certificate gets it;
#   - no key is ever printed; a URL that is not https stops the config;
#   - the gauges say which feed failed and since when it has not been
#     fetched.
. "$(dirname "$0")/lib.sh"
F=$T/feeds
mkdir -p "$F"
SPORT=$(free_port)
RND=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
MISP_KEY=misp-$RND
TAXII_AUTH="Basic $(printf 'soc:taxii-%s' "$RND" | base64)"
printf '%s\n' "$MISP_KEY" >"$F/misp.key"
printf '%s\n' "$TAXII_AUTH" >"$F/taxii.key"
printf 'wrong-%s\n' "$RND" >"$F/wrong.key"
feeds_standin "$SPORT" "$T/requests.log"
S=https://127.0.0.1:$SPORT
cat >"$F/sankaku.json" <<JSON
{
  "sources": [
    { "id": "abusech", "triangle": "speed-coverage", "tlp": "clear",
      "feeds": [ { "path": "feodo.csv", "format": "csv",
                   "url": "$S/feodo/ipblocklist.csv", "ca_file": "$T/srv.crt" },
                 { "path": "login.csv", "format": "csv",
                   "url": "$S/login.csv", "ca_file": "$T/srv.crt" },
                 { "path": "moved.csv", "format": "csv", "key_file": "misp.key",
                   "url": "$S/moved.csv", "ca_file": "$T/srv.crt" },
                 { "path": "empty.csv", "format": "csv",
                   "url": "$S/empty.csv", "ca_file": "$T/srv.crt" },
                 { "path": "authkey.csv", "format": "csv", "key_file": "misp.key",
                   "key_header": "Auth-Key", "url": "$S/authkey.csv", "ca_file": "$T/srv.crt" },
                 { "path": "moved-authkey.csv", "format": "csv", "key_file": "misp.key",
                   "key_header": "Auth-Key", "url": "$S/moved.csv", "ca_file": "$T/srv.crt" } ] },
    { "id": "cert", "triangle": "speed-accuracy", "tlp": "clear",
      "feeds": [ { "path": "cert.json", "format": "stix2", "fetch": "taxii",
                   "url": "$S/taxii2/api/collections/cert/objects/",
                   "key_file": "taxii.key", "ca_file": "$T/srv.crt" },
                 { "path": "loop.json", "format": "stix2", "fetch": "taxii",
                   "url": "$S/taxii2/api/collections/loop/objects/",
                   "key_file": "taxii.key", "ca_file": "$T/srv.crt" },
                 { "path": "cut.json", "format": "stix2",
                   "url": "$S/cut.json", "ca_file": "$T/srv.crt" } ] },
    { "id": "isac", "triangle": "speed-coverage", "tlp": "green",
      "misp_url": "$S/misp", "misp_key_file": "misp.key", "misp_ca_file": "$T/srv.crt",
      "feeds": [ { "path": "misp.json", "format": "misp", "fetch": "misp",
                   "url": "$S/misp/attributes/restSearch", "ca_file": "$T/srv.crt" },
                 { "path": "untrusted.json", "format": "misp", "fetch": "misp",
                   "url": "$S/misp/attributes/restSearch" },
                 { "path": "wrongkey.json", "format": "misp", "fetch": "misp",
                   "key_file": "wrong.key",
                   "url": "$S/misp/attributes/restSearch", "ca_file": "$T/srv.crt" } ] }
  ]
}
JSON
echo "last week's list" >"$F/login.csv"
echo '{"response": {"Attribute": []}}' >"$F/untrusted.json"
rc=0
mkdir "$T/textfile"
SANKAKU_TEXTFILE_DIR=$T/textfile "$B/sankaku-fetch" -c "$F/sankaku.json" \
	>"$T/fetch1.out" 2>"$T/fetch1-err.log" || rc=$?
assert_eq "exit status with failed feeds" 1 "$rc"
cat "$T/fetch1.out" "$T/fetch1-err.log" >"$T/fetch1.all"
for k in "$MISP_KEY" "$RND" "$TAXII_AUTH"; do
	if grep -qF "$k" "$T/fetch1.all"; then fail "a key was printed: $(cat "$T/fetch1.all")"; fi
done
cmp -s "$F/feodo.csv" "$SANKAKU_TOP/tests/fixtures/feeds/feodo-ipblocklist.csv" ||
	fail "feodo.csv is not the server's file"
grep -q "abusech feeds\[0\]: [0-9]* bytes into $F/feodo.csv" "$T/fetch1.out" ||
	fail "no line for feodo: $(cat "$T/fetch1.all")"
# every object of the collection, in order, from five pages
want=$(jq -c '.objects' "$SANKAKU_TOP/tests/fixtures/feeds/cert-advisory.stix21.json")
assert_eq "the collection's objects" "$want" "$(jq -c '.objects' "$F/cert.json")"
grep -q "cert feeds\[0\]: [0-9]* bytes in 8 pages into" "$T/fetch1.out" ||
	fail "no page count: $(cat "$T/fetch1.all")"
# (jq -s and any(): jq 1.6's -e looks only at the last line's result)
jq -s -e --arg a "$TAXII_AUTH" 'any(.[]; (.path | startswith("/taxii2/api/collections/cert/"))
	and (.auth != $a or (.accept | startswith("application/taxii+json;version=2.1") | not)))' \
	"$T/requests.log" >/dev/null && fail "a TAXII request without its key or Accept"
assert_eq "pages asked" 8 "$(grep -c '/collections/cert/objects/' "$T/requests.log")"
cmp -s "$F/misp.json" "$SANKAKU_TOP/tests/fixtures/feeds/misp-attributes.json" ||
	fail "misp.json is not MISP's reply"
# the failures, each named, each copy kept
grep -q "abusech feeds\[1\]: an HTML page came, not the feed" "$T/fetch1-err.log" ||
	fail "the login page: $(cat "$T/fetch1-err.log")"
assert_eq "login.csv kept" "last week's list" "$(cat "$F/login.csv")"
grep -q "abusech feeds\[3\]: an empty reply; the copy at $F/empty.csv stays" "$T/fetch1-err.log" ||
	fail "the empty reply: $(cat "$T/fetch1-err.log")"
[ ! -e "$F/empty.csv" ] || fail "an empty reply was written"
grep -q 'cert feeds\[1\]: page 2: the server keeps saying "more"' "$T/fetch1-err.log" ||
	fail "the endless collection: $(cat "$T/fetch1-err.log")"
[ ! -e "$F/loop.json" ] || fail "the endless collection left a file"
grep -q "cert feeds\[2\]: cut short: it does not end with }; the copy at $F/cut.json stays" \
	"$T/fetch1-err.log" || fail "the bundle cut short: $(cat "$T/fetch1-err.log")"
[ ! -e "$F/cut.json" ] || fail "the bundle cut short was written"
grep -q "isac feeds\[1\]: .*certificate.*; the copy at $F/untrusted.json stays" "$T/fetch1-err.log" ||
	fail "the untrusted server: $(cat "$T/fetch1-err.log")"
assert_eq "untrusted.json kept" '{"response": {"Attribute": []}}' "$(cat "$F/untrusted.json")"
grep -q "isac feeds\[2\]: HTTP 403 (the key in key_file refused?)" "$T/fetch1-err.log" ||
	fail "the wrong key: $(cat "$T/fetch1-err.log")"
[ -z "$(find "$F" -name '.*.??????')" ] || fail "temporary files left: $(ls -a "$F")"
# the redirect: the key went to 127.0.0.1, not to localhost
jq -s -e --arg k "$MISP_KEY" 'any(.[]; .path == "/moved.csv" and .auth == $k)' "$T/requests.log" >/dev/null ||
	fail "the first request of the redirect without its key"
jq -s -e 'any(.[]; .host == "localhost:'"$SPORT"'")' "$T/requests.log" >/dev/null ||
	fail "the redirect was not followed to localhost"
jq -s -e 'any(.[]; (.host | startswith("localhost")) and .auth != null)' "$T/requests.log" >/dev/null &&
	fail "the key followed a redirect to another host"
cmp -s "$F/moved.csv" "$SANKAKU_TOP/tests/fixtures/feeds/feodo-ipblocklist.csv" ||
	fail "moved.csv was not fetched through the redirect"
# a key in a header of its own (abuse.ch's Auth-Key): sent as that, and
# redirects are not followed with it, since libcurl would carry it along
cmp -s "$F/authkey.csv" "$SANKAKU_TOP/tests/fixtures/feeds/feodo-ipblocklist.csv" ||
	fail "authkey.csv not fetched with its Auth-Key: $(cat "$T/fetch1-err.log")"
grep -q "abusech feeds\[5\]: HTTP 302 (a redirect, not followed with the key in a header of its own" \
	"$T/fetch1-err.log" || fail "the redirect with Auth-Key: $(cat "$T/fetch1-err.log")"
jq -s -e 'any(.[]; (.host | startswith("localhost")) and .authkey != null)' "$T/requests.log" >/dev/null &&
	fail "Auth-Key followed a redirect to another host"

# the gauges: each feed ok or not, and when it last succeeded
P=$T/textfile/sankaku-fetch.prom
grep -q "^sankaku_fetch_ok{source=\"abusech\",feed=\"$F/feodo.csv\"} 1$" "$P" || fail "feodo ok: $(cat "$P")"
grep -q "^sankaku_fetch_ok{source=\"abusech\",feed=\"$F/login.csv\"} 0$" "$P" || fail "login not ok: $(cat "$P")"
grep -q "^sankaku_fetch_bytes{source=\"cert\",feed=\"$F/cert.json\"} [1-9]" "$P" || fail "cert bytes: $(cat "$P")"
grep -q "^sankaku_fetch_bytes{source=\"abusech\",feed=\"$F/login.csv\"} 0$" "$P" || fail "bytes of a failure: $(cat "$P")"
assert_eq "feeds that succeeded once" 5 "$(grep -c '^sankaku_fetch_last_success_timestamp_seconds{' "$P")"
grep -q "^sankaku_fetch_last_success_timestamp_seconds{source=\"abusech\",feed=\"$F/login.csv\"}" "$P" &&
	fail "a feed never fetched has a last success"

# again: the ETag is sent back, 304, the file untouched
touch -d '2020-01-01' "$F/feodo.csv"
first=$(sed -n "s|^ok ||p" "$F/.feodo.csv.fetch")
sleep 1
"$B/sankaku-fetch" -c "$F/sankaku.json" --source abusech --prom "$T/fetch2.prom" \
	>"$T/fetch2.out" 2>"$T/fetch2-err.log" || true
grep -q "abusech feeds\[0\]: unchanged since the last fetch" "$T/fetch2.out" ||
	fail "no 304: $(cat "$T/fetch2.out" "$T/fetch2-err.log")"
assert_eq "If-None-Match sent" '"feodo-v1"' \
	"$(jq -r 'select(.path == "/feodo/ipblocklist.csv") | .inm' "$T/requests.log" | tail -1)"
assert_eq "feodo.csv untouched" 2020 "$(date -r "$F/feodo.csv" +%Y)"
grep -q "cert" "$T/fetch2.out" "$T/fetch2-err.log" && fail "--source abusech fetched another source"
grep -q "^sankaku_fetch_bytes{source=\"abusech\",feed=\"$F/feodo.csv\"} 0$" "$T/fetch2.prom" ||
	fail "unchanged, yet bytes: $(cat "$T/fetch2.prom")"
[ "$(sed -n "s|^ok ||p" "$F/.feodo.csv.fetch")" -gt "$first" ] || fail "a 304 is not a success"
# a failed fetch keeps the time of the last success
now=$(sed -n "s|^ok ||p" "$F/.feodo.csv.fetch")
jq --arg u "https://127.0.0.1:$SPORT/nowhere.csv" '.sources[0].feeds[0].url = $u' "$F/sankaku.json" >"$F/gone.json"
"$B/sankaku-fetch" -c "$F/gone.json" --source abusech --prom "$T/fetch3.prom" \
	>"$T/fetch3.out" 2>"$T/fetch3-err.log" && fail "a 404 is not a failure"
grep -q "abusech feeds\[0\]: HTTP 404; the copy at $F/feodo.csv stays" "$T/fetch3-err.log" ||
	fail "the 404: $(cat "$T/fetch3-err.log")"
grep -q "^sankaku_fetch_last_success_timestamp_seconds{source=\"abusech\",feed=\"$F/feodo.csv\"} $now$" \
	"$T/fetch3.prom" || fail "the last success lost: $(cat "$T/fetch3.prom")"
[ -z "$(find "$F" -name '.*.??????')" ] || fail "temporary files left: $(ls -a "$F")"

# under systemd, a key handed over with LoadCredential= of the same name
# is read instead of the file the config names (which can stay root's)
mkdir "$T/creds"
cp "$F/taxii.key" "$T/creds/taxii.key"
echo "Basic d3Jvbmc6d3Jvbmc=" >"$F/taxii.key"
CREDENTIALS_DIRECTORY=$T/creds "$B/sankaku-fetch" -c "$F/sankaku.json" --source cert \
	>"$T/fetch4.out" 2>"$T/fetch4-err.log" || true
# (the collection asked only for what was added since: nothing)
grep -q "cert feeds\[0\]: nothing added since 2026-11-25T09:23:00.023123Z" "$T/fetch4.out" ||
	fail "the credential's key was not used: $(cat "$T/fetch4.out" "$T/fetch4-err.log")"
"$B/sankaku-fetch" -c "$F/sankaku.json" --source cert >"$T/fetch5.out" 2>"$T/fetch5-err.log" &&
	fail "the wrong key in the file was taken"
grep -q "cert feeds\[0\]: HTTP 401" "$T/fetch5-err.log" || fail "$(cat "$T/fetch5-err.log")"
cp "$T/creds/taxii.key" "$F/taxii.key"

# a TAXII server that asks for a client certificate (mutual TLS)
CPORT=$(free_port)
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-keyout "$T/client.key" -out "$T/client.crt" -subj /CN=soc-sensor-01 \
	>>"$T/openssl.out" 2>&1 || fail "openssl: $(cat "$T/openssl.out")"
feeds_standin "$CPORT" "$T/mtls.log" "$T/client.crt"
C=https://127.0.0.1:$CPORT/taxii2/api/collections/cert/objects/
cat >"$F/mtls.json" <<JSON
{ "sources": [ { "id": "m", "triangle": "speed-accuracy", "tlp": "amber",
  "feeds": [
    { "path": "mtls.json", "format": "stix2", "fetch": "taxii", "key_file": "taxii.key",
      "url": "$C", "ca_file": "$T/srv.crt",
      "client_cert": "$T/client.crt", "client_key": "$T/client.key" },
    { "path": "nocert.json", "format": "stix2", "fetch": "taxii", "key_file": "taxii.key",
      "url": "$C", "ca_file": "$T/srv.crt" } ] } ] }
JSON
"$B/sankaku-fetch" -c "$F/mtls.json" >"$T/mtls.out" 2>"$T/mtls-err.log" &&
	fail "a server asking for a certificate served one without"
grep -q "m feeds\[0\]: [0-9]* bytes in 8 pages" "$T/mtls.out" ||
	fail "with the client certificate: $(cat "$T/mtls.out" "$T/mtls-err.log")"
grep -q "m feeds\[1\]: .*; the copy at $F/nocert.json stays" "$T/mtls-err.log" ||
	fail "without it: $(cat "$T/mtls-err.log")"

# what was fetched makes rules
rc=0
"$B/sankaku-rules" -c "$F/sankaku.json" -o "$T/out" --now 2026-11-26T00:00:00Z \
	>"$T/rules.out" 2>"$T/rules-err.log" || rc=$?
[ "$rc" -le 3 ] || fail "sankaku-rules: $(cat "$T/rules-err.log")"
for s in abusech cert isac; do
	n=$(jq --arg s "$s" '[.sources[] | select(.id == $s) | .deployed] | add' "$T/out/sankaku-report.json")
	assert_ge "indicators deployed from $s" 1 "$n"
done

# a URL that is not https, or with a user in it, stops at the config
for u in "http://127.0.0.1:$SPORT/feodo/ipblocklist.csv" "https://soc:pw@127.0.0.1:$SPORT/x"; do
	jq --arg u "$u" '.sources[0].feeds[0].url = $u' "$F/sankaku.json" >"$F/bad.json"
	rc=0
	"$B/sankaku-fetch" -c "$F/bad.json" >"$T/bad.log" 2>&1 || rc=$?
	assert_eq "exit status for $u" 2 "$rc"
	grep -q 'sources\[0\].feeds\[0\].url: an https:// URL' "$T/bad.log" || fail "$(cat "$T/bad.log")"
	if grep -qF 'pw@' "$T/bad.log"; then fail "the password was printed"; fi
done

# what else goes wrong, each named and nothing replaced: a collection
# page that is not an envelope, a TAXII key refused, MISP's error with
# status 200, a reply over --max-mb, a server that stalls past --timeout,
# a server not listening, a directory that is not there
DEAD=$(free_port)
cat >"$F/more.json" <<JSON
{ "sources": [ { "id": "x", "triangle": "speed-coverage", "tlp": "clear",
  "feeds": [
    { "path": "notenv.json", "format": "stix2", "fetch": "taxii", "key_file": "taxii.key",
      "url": "$S/taxii2/api/collections/bad/objects/", "ca_file": "$T/srv.crt" },
    { "path": "nokey.json", "format": "stix2", "fetch": "taxii", "key_file": "wrong.key",
      "url": "$S/taxii2/api/collections/cert/objects/", "ca_file": "$T/srv.crt" },
    { "path": "err.json", "format": "misp", "fetch": "misp", "key_file": "misp.key",
      "url": "$S/misp-error/attributes/restSearch", "ca_file": "$T/srv.crt" },
    { "path": "big.csv", "format": "csv", "url": "$S/big.csv", "ca_file": "$T/srv.crt" },
    { "path": "dead.csv", "format": "csv", "url": "https://127.0.0.1:$DEAD/x.csv" },
    { "path": "nodir/f.csv", "format": "csv", "url": "$S/feodo/ipblocklist.csv", "ca_file": "$T/srv.crt" },
    { "path": "nokeyfile.csv", "format": "csv", "key_file": "absent.key",
      "url": "$S/feodo/ipblocklist.csv", "ca_file": "$T/srv.crt" },
    { "path": "slow.csv", "format": "csv", "url": "$S/slow.csv", "ca_file": "$T/srv.crt" } ] } ] }
JSON
rc=0
"$B/sankaku-fetch" -c "$F/more.json" --max-mb 1 --timeout 1 >"$T/more.out" 2>"$T/more-err.log" || rc=$?
assert_eq "exit status, all failed" 1 "$rc"
for want in 'feeds\[0\]: page 1: not a TAXII 2.1 envelope' \
	'feeds\[1\]: HTTP 401 (the key in key_file refused?)' \
	"feeds\[2\]: no \"response\" in MISP's reply" \
	'feeds\[3\]: the reply is larger than 1048576 bytes' \
	'feeds\[4\]: .*[Cc]onnect' \
	"feeds\[5\]: cannot write beside $F/nodir/f.csv" \
	"feeds\[6\]: key_file $F/absent.key: No such file" \
	'feeds\[7\]: .*[Tt]imed out'; do
	grep -q "^sankaku-fetch: x $want.*; the copy at .* stays$" "$T/more-err.log" ||
		fail "no '$want' in: $(cat "$T/more-err.log")"
done
[ -s "$T/more.out" ] && fail "a success was printed: $(cat "$T/more.out")"
for f in notenv.json nokey.json err.json big.csv dead.csv nokeyfile.csv slow.csv; do
	[ ! -e "$F/$f" ] || fail "$f was written"
done
[ -z "$(find "$F" -name '.*.??????')" ] || fail "temporary files left: $(ls -a "$F")"

# the command line
"$B/sankaku-fetch" --version | grep -q '^sankaku-fetch [0-9]' || fail "--version"
for args in "--max-mb 0" "--timeout x" "--nope" ""; do
	rc=0
	# shellcheck disable=SC2086
	"$B/sankaku-fetch" -c "$F/sankaku.json" $args >/dev/null 2>"$T/usage.log" || rc=$?
	[ -n "$args" ] || { rc=0; "$B/sankaku-fetch" >/dev/null 2>"$T/usage.log" || rc=$?; }
	assert_eq "exit status for '$args'" 2 "$rc"
	grep -q '^usage: sankaku-fetch -c FILE' "$T/usage.log" || fail "no usage for '$args'"
done
rc=0
"$B/sankaku-fetch" -c "$F/sankaku.json" --source nope >/dev/null 2>"$T/usage.log" || rc=$?
assert_eq "exit status for an unknown source" 2 "$rc"
grep -q -- "--source nope: no such source" "$T/usage.log" || fail "$(cat "$T/usage.log")"
echo '{"sources": [{"id": "own", "triangle": "accuracy-coverage", "feeds": [{"path": "own.csv", "format": "csv"}]}]}' \
	>"$F/none.json"
"$B/sankaku-fetch" -c "$F/none.json" | grep -q "no feed has a url: nothing to fetch" ||
	fail "a config without urls"
