#!/bin/sh
# Operations: the unit's exposure score, `make install DESTDIR=` lays out
# every file, the rules refresh switches only to good rules, dead letters
# replay once the cause is fixed, and /metrics counts what was pushed.
. "$(dirname "$0")/lib.sh"

# systemd: every service installed at an exposure of 1.2 or better
# (Debian's redis-server scores 1.2)
for unit in "$SANKAKU_TOP"/systemd/*.service; do
	name=$(basename "$unit")
	sed -e 's|@SBINDIR@|/usr/local/sbin|g' -e 's|@BINDIR@|/usr/local/bin|g' \
		"$unit" >"$T/$name"
	score=$(systemd-analyze security --offline=true "$T/$name" 2>&1 |
		sed -n "s/.*Overall exposure level for $name: \([0-9.]*\).*/\1/p")
	[ -n "$score" ] || fail "no exposure score for $name"
	echo "exposure $name $score"
	[ "$(echo "$score <= 1.2" | bc)" = 1 ] || fail "$name: exposure $score > 1.2"
done

# make install DESTDIR=... PREFIX=/usr
make -s -C "$SANKAKU_TOP" install DESTDIR="$T/root" PREFIX=/usr >"$T/install.log" 2>&1 ||
	fail "make install: $(tail "$T/install.log")"
for f in usr/sbin/sankakud usr/bin/sankaku-rules usr/bin/sankaku-tail usr/sbin/sankaku-refresh \
	usr/bin/sankaku-replay-deadletter usr/bin/sankaku-acl \
	usr/share/sankaku/rules/drupalgeddon2.rules \
	usr/share/sankaku/rules/sankaku-eve-redis.yaml \
	usr/share/sankaku/rules/sankaku-eve-file.yaml \
	usr/bin/sankaku-ship etc/sankaku/ship.json etc/sankaku/ship.json.example \
	usr/lib/systemd/system/sankaku-ship.service usr/share/man/man8/sankaku-ship.8 \
	usr/bin/sankaku-desk usr/lib/systemd/system/sankaku-desk.service \
	usr/share/man/man8/sankaku-desk.8 \
	usr/share/sankaku/rules/sankaku-file-hashes.yaml \
	usr/share/sankaku/redis/sankaku-users.acl.in \
	usr/share/doc/sankaku/README.ja.md usr/share/doc/sankaku/OPERATIONS.md \
	etc/sankaku/sankaku.json etc/sankaku/sankaku.json.example \
	usr/lib/systemd/system/sankakud.service \
	usr/lib/systemd/system/sankaku-rules.service \
	usr/lib/systemd/system/sankaku-rules.timer \
	usr/bin/sankaku-fetch usr/lib/systemd/system/sankaku-fetch.service \
	usr/share/man/man1/sankaku-fetch.1 \
	usr/share/man/man8/sankakud.8 usr/share/man/man1/sankaku-rules.1 \
	usr/share/man/man1/sankaku-tail.1 usr/share/man/man8/sankaku-acl.8 \
	usr/bin/sankaku-hunt usr/share/man/man1/sankaku-hunt.1 \
	usr/share/man/man8/sankaku-refresh.8 \
	usr/share/man/man8/sankaku-replay-deadletter.8 \
	usr/share/man/man5/sankaku.json.5; do
	[ -s "$T/root/$f" ] || fail "not installed: $f"
done
grep -q "^ExecStart=/usr/sbin/sankakud -c /etc/sankaku/sankaku.json$" \
	"$T/root/usr/lib/systemd/system/sankakud.service" || fail "unit paths"
"$T/root/usr/sbin/sankakud" --version | grep -q sankakud || fail "installed binary"
grep -q "^ExecStart=/usr/bin/sankaku-ship -c /etc/sankaku/ship.json$" \
	"$T/root/usr/lib/systemd/system/sankaku-ship.service" || fail "ship unit paths"
"$T/root/usr/bin/sankaku-ship" --check-config -c "$T/root/etc/sankaku/ship.json" >/dev/null ||
	fail "the installed ship.json does not check"
grep -q '^ExecStart=/usr/bin/sankaku-desk -c /etc/sankaku/sankaku.json --users ${CREDENTIALS_DIRECTORY}/desk-users.json$' \
	"$T/root/usr/lib/systemd/system/sankaku-desk.service" || fail "desk unit paths"
[ -f "$T/root/etc/sankaku/desk-users.json" ] || fail "no users file for the desk's credential"
assert_eq "the users file is root's alone" 600 "$(stat -c %a "$T/root/etc/sankaku/desk-users.json")"
# --users (the unit's credential copy) is where users are read and added
"$T/root/usr/bin/sankaku-desk" -c "$T/root/etc/sankaku/sankaku.json.example" --users "$T/cred-users.json" \
	--add-user aoi --team soc >"$T/token" || fail "add-user with --users"
assert_eq "one user in the --users file" 1 "$(grep -c '"name":"aoi"' "$T/cred-users.json")"
grep -q "$(cat "$T/token")" "$T/cred-users.json" && fail "a token stored in clear"
# every program and script installed has its page
for p in usr/sbin/sankakud usr/bin/sankaku-rules usr/bin/sankaku-tail usr/sbin/sankaku-refresh \
	usr/bin/sankaku-replay-deadletter usr/bin/sankaku-acl usr/bin/sankaku-ship usr/bin/sankaku-desk \
	usr/bin/sankaku-fetch usr/bin/sankaku-hunt; do
	ls "$T/root/usr/share/man"/man*/"$(basename "$p")".[158] >/dev/null 2>&1 ||
		fail "no man page for $p"
done
grep -q "^default_tmpl=/usr/share/sankaku/redis/sankaku-users.acl.in$" "$T/root/usr/bin/sankaku-acl" ||
	fail "the installed sankaku-acl does not find the installed template"
grep -q "^SANKAKUD=.*/usr/sbin/sankakud" "$T/root/usr/bin/sankaku-replay-deadletter" ||
	fail "the installed replay does not find sankakud"
echo '{"sources": []}' >"$T/root/etc/sankaku/sankaku.json"
make -s -C "$SANKAKU_TOP" install DESTDIR="$T/root" PREFIX=/usr >/dev/null 2>&1
assert_eq "an upgrade keeps the operator's config" '{"sources": []}' "$(cat "$T/root/etc/sankaku/sankaku.json")"

# refresh: good feeds switch the symlink, broken ones keep the rules in force
copy_demo "$T/demo"
STATE="$T/state"
mkdir -p "$STATE"
SANKAKU_RULES="$B/sankaku-rules" sh "$SANKAKU_TOP/scripts/sankaku-refresh.sh" \
	-c "$T/demo/sankaku.json" -s "$STATE" >"$T/refresh.log" 2>&1 || fail "refresh: $(cat "$T/refresh.log")"
first=$(readlink "$STATE/rules")
[ -s "$STATE/rules/sankaku.rules" ] || fail "no rules after refresh"
grep -q "sankaku-fetch" "$T/refresh.log" && fail "a refresh without -f fetched"
# -f: sankaku-fetch first (the demo's feeds have no url: nothing to fetch)
SANKAKU_RULES="$B/sankaku-rules" SANKAKU_FETCH="$B/sankaku-fetch" \
	sh "$SANKAKU_TOP/scripts/sankaku-refresh.sh" -f -c "$T/demo/sankaku.json" -s "$STATE" \
	>"$T/refresh-f.log" 2>&1 || fail "refresh -f: $(cat "$T/refresh-f.log")"
grep -q "^sankaku-fetch: no feed has a url" "$T/refresh-f.log" || fail "refresh -f: $(cat "$T/refresh-f.log")"
first=$(readlink "$STATE/rules")
echo '{ "sources": [ { "id": "x", "triangle": "speed-accuracy", "feeds": [ { "path": "/nonexistent/feed.csv", "format": "csv" } ] } ], "colour": 1 }' >"$T/broken.json"
if SANKAKU_RULES="$B/sankaku-rules" sh "$SANKAKU_TOP/scripts/sankaku-refresh.sh" \
	-c "$T/broken.json" -s "$STATE" >>"$T/refresh.log" 2>&1; then
	fail "a broken refresh succeeded"
fi
assert_eq "rules in force after a failed refresh" "$first" "$(readlink "$STATE/rules")"

# dead letters: an event too large for the config, then replayed once fixed
setup_redis
MPORT=$(free_port)
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"input": { "max_event_bytes": 1000, "block_ms": 200 },'
sed -i '0,/"input": { "block_ms": 200 },/{/"input": { "block_ms": 200 },/d}' "$T/c.json"
start_daemon "$T/c.json"
push 20 1                  # 1.4 KB each: dead-lettered as too large
printf '%s\n' '{"event_type":"flow","flow_id":1}' '{"event_type":"dns"}' 'oops' |
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata | r --pipe >/dev/null
wait_for 20 drained || fail "not drained"
wait_for 5 sh -c "[ \$(redis-cli -p $PORT LLEN sankaku:deadletter) = 21 ]" || fail "dead letters: $(r LLEN sankaku:deadletter)"
curl -s "http://127.0.0.1:$MPORT/metrics" >"$T/m1.txt"
metric() { awk -v k="$1" '$1 == k {print $2}' "$2"; }
assert_eq "consumed" 23 "$(metric sankaku_events_consumed_total "$T/m1.txt")"
assert_eq "skipped" 2 "$(metric sankaku_events_skipped_total "$T/m1.txt")"
assert_eq "dead-lettered too-large" 20 "$(metric 'sankaku_events_deadlettered_total{reason="too-large"}' "$T/m1.txt")"
assert_eq "dead-lettered bad-json" 1 "$(metric 'sankaku_events_deadlettered_total{reason="bad-json"}' "$T/m1.txt")"
assert_eq "skipped flow" 1 "$(metric 'sankaku_events_skipped_by_type_total{event_type="flow"}' "$T/m1.txt")"
# fix the cause, reload, replay
sed -i 's/"max_event_bytes": 1000/"max_event_bytes": 100000/' "$T/c.json"
kill -HUP $DPID
wait_for 10 grep -q "config reloaded" "$T/sankakud.log" || fail "reload"
SANKAKUD="$B/sankakud" sh "$SANKAKU_TOP/scripts/sankaku-replay-deadletter.sh" -c "$T/c.json" -n 20 \
	>"$T/replay.log" 2>&1 ||
	fail "replay: $(cat "$T/replay.log")"
grep -q "replayed 20 dead letters" "$T/replay.log" || fail "$(cat "$T/replay.log")"
wait_for 20 sh -c "[ \$(redis-cli -p $PORT XLEN sankaku:alerts) = 20 ]" || fail "replayed alerts not stored: $(r XLEN sankaku:alerts)"
assert_eq "replayed events are the originals" 20 "$(unique_flows)"
assert_eq "dead letters left (the one bad JSON)" 1 "$(r LLEN sankaku:deadletter)"
assert_eq "replay list empty" 0 "$(r EXISTS sankaku:deadletter:replaying)"
curl -s "http://127.0.0.1:$MPORT/metrics" >"$T/m2.txt"
assert_eq "stored" 20 "$(metric sankaku_alerts_stored_total "$T/m2.txt")"
assert_eq "enriched" 20 "$(metric sankaku_alerts_enriched_total "$T/m2.txt")"
assert_eq "reloads ok" 1 "$(metric 'sankaku_config_reloads_total{result="ok"}' "$T/m2.txt")"
assert_eq "by phase" 20 "$(awk '/^sankaku_alerts_by_phase_total/ {s += $2} END {print s}' "$T/m2.txt")"
grep -q '^sankaku_processing_seconds_count ' "$T/m2.txt" || fail "latency histogram"
