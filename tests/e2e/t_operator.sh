#!/bin/sh
# Every documented operator command, run as the docs say under the ACL
# users sankaku-acl writes, each checked by its result in Redis (not only
# by its exit status):
#   sankaku-acl, sankakud --check-config, sankakud (its own user, its
#   password from a file), a reload, sankaku-replay-deadletter (the
#   replay, a replay that meets an error reply, a bounded one, an entry
#   that cannot be replayed), sankaku-tail (the analyst, stream and
#   channel).
. "$(dirname "$0")/lib.sh"
ACL="$SANKAKU_TOP/scripts/sankaku-acl.sh"
REPLAY="$SANKAKU_TOP/scripts/sankaku-replay-deadletter.sh"
export SANKAKUD="$B/sankakud"

# sankaku-acl: a failure prints no password and leaves what was there
echo "previous acl" >"$T/old.acl"
mkdir -p "$T/ro" && chmod 500 "$T/ro"
if sh "$ACL" -o "$T/ro/users.acl" >"$T/acl-fail.out" 2>&1; then
	[ "$(id -u)" = 0 ] || fail "wrote into a read-only directory"
fi
[ "$(id -u)" = 0 ] || ! grep -q "password:" "$T/acl-fail.out" || fail "a failed run printed a password"
sh "$ACL" -o "$T/old.acl" -t /nonexistent >"$T/acl-fail2.out" 2>&1 && fail "a missing template accepted"
grep -q "password:" "$T/acl-fail2.out" && fail "a failed run printed a password"
assert_eq "the file there before is kept" "previous acl" "$(cat "$T/old.acl")"
# the documented run: the daemons' passwords to files, the analyst's printed once
sh "$ACL" -o "$T/users.acl" -p "$T/redis-password" -d "$T/desk-password" >"$T/acl.out" 2>"$T/acl.err" ||
	fail "sankaku-acl: $(cat "$T/acl.err")"
assert_eq "only the analyst password is printed" 1 "$(grep -c "password:" "$T/acl.out")"
assert_eq "the desk's password file is private" 600 "$(stat -c %a "$T/desk-password")"
apw=$(sed -n 's/^analyst password: //p' "$T/acl.out")
printf '%s\n' "$apw" >"$T/analyst-password"
grep -q "$(head -1 "$T/redis-password")" "$T/users.acl" && fail "a password in clear in the ACL file"
assert_eq "the password file is private" 600 "$(stat -c %a "$T/redis-password")"
echo "user admin on >admin-pw ~* &* +@all" >>"$T/users.acl" # the test's own checks
setup_redis "aclfile $T/users.acl"
adm() { redis-cli -p "$PORT" --user admin --pass admin-pw --no-auth-warning "$@"; }
r() { adm "$@"; } # lib.sh's helpers read as the administrator

# sankakud as its own user, the password from a file
MPORT=$(free_port)
cat >"$T/c.json" <<JSON
{ "redis": "redis://sankakud@127.0.0.1:$PORT", "redis_password_file": "redis-password",
  "consumer": "t1", "metrics": { "listen": "127.0.0.1:$MPORT" },
  "input": { "block_ms": 200, "max_event_bytes": 2000 },
  "sources": [ { "id": "jpcert-ew", "triangle": "speed-accuracy" } ] }
JSON
"$B/sankakud" --check-config -c "$T/c.json" >/dev/null || fail "--check-config"
start_daemon "$T/c.json"
# 10 alerts that fit, 10 too large (pushed as the administrator: redis-cli
# --pipe ends with an ECHO, which Suricata's user may not run; t_acl has
# real Suricata push as that user)
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" 10 1 | /usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata |
	adm --pipe >/dev/null
FLOW=100 /usr/bin/python3 "$SANKAKU_TOP/scripts/gen-big.py" LPUSH suricata -- 3000:10 2>/dev/null |
	adm --pipe >/dev/null
wait_for 20 drained || fail "not drained"
wait_for 5 sh -c "[ \$(redis-cli -p $PORT --user admin --pass admin-pw --no-auth-warning XLEN sankaku:alerts) = 10 ]" ||
	fail "stored $(adm XLEN sankaku:alerts)"
assert_eq "dead letters" 10 "$(adm LLEN sankaku:deadletter)"

# a replay that meets an error reply: stops, the entry back in place
adm RENAME suricata suricata-saved >/dev/null 2>&1 || true
adm HSET suricata x 1 >/dev/null
set +e
sh "$REPLAY" -c "$T/c.json" >"$T/replay-err.out" 2>&1
rc=$?
set -e
assert_eq "replay exit status on an error reply" 1 "$rc"
grep -q "replay stopped: WRONGTYPE" "$T/replay-err.out" || fail "$(cat "$T/replay-err.out")"
assert_eq "no dead letter lost" 10 "$(adm LLEN sankaku:deadletter)"
assert_eq "nothing left aside" 0 "$(adm EXISTS sankaku:deadletter:replaying)"
adm DEL suricata >/dev/null
wait_for 15 sh -c "curl -s http://127.0.0.1:$MPORT/healthz | grep -qx ok" || fail "sankakud did not resume"

# a bounded replay while the cause is not fixed: the events fail again and
# come back as new dead letters; the run ends after what it found
sh "$REPLAY" -c "$T/c.json" -n 4 >"$T/replay-bound.out" 2>&1 || fail "$(cat "$T/replay-bound.out")"
grep -q "replayed 4 dead letters" "$T/replay-bound.out" || fail "$(cat "$T/replay-bound.out")"
wait_for 10 sh -c "[ \$(redis-cli -p $PORT --user admin --pass admin-pw --no-auth-warning LLEN sankaku:deadletter) = 10 ]" ||
	fail "the failed ones did not come back: $(adm LLEN sankaku:deadletter)"

# the cause fixed (the limit raised, a reload), the replay puts them back
sed -i 's/"max_event_bytes": 2000/"max_event_bytes": 100000/' "$T/c.json"
kill -HUP $DPID
wait_for 10 grep -q "config reloaded" "$T/sankakud.log" || fail "reload"
adm LPUSH sankaku:deadletter '{"reason":"too-large","raw_head":"{\"event_type\":","length":99999999,"sha1":"00"}' >/dev/null
sh "$REPLAY" -c "$T/c.json" >"$T/replay.out" 2>&1 || fail "replay: $(cat "$T/replay.out")"
grep -q "replayed 10 dead letters, kept 1 that hold only the head" "$T/replay.out" || fail "$(cat "$T/replay.out")"
wait_for 20 sh -c "[ \$(redis-cli -p $PORT --user admin --pass admin-pw --no-auth-warning XLEN sankaku:alerts) = 20 ]" ||
	fail "replayed alerts not stored: $(adm XLEN sankaku:alerts)"
assert_eq "every alert once (or more)" 20 "$(unique_flows)"
assert_eq "the head-only entry stays" 1 "$(adm LLEN sankaku:deadletter)"
assert_eq "nothing left aside" 0 "$(adm EXISTS sankaku:deadletter:replaying)"
assert_eq "ACL denials while the operator worked" 0 \
	"$(adm ACL LOG | grep -c -x -E 'sankakud' || true)"

# the analyst follows the alerts with sankaku-tail
"$B/sankaku-tail" --redis "redis://analyst@127.0.0.1:$PORT" --password-file "$T/analyst-password" \
	-n 3 --once >"$T/tail.out" 2>"$T/tail.err" || fail "sankaku-tail: $(cat "$T/tail.err")"
assert_eq "three alerts, readable" 3 "$(grep -c '^  phase    : ' "$T/tail.out")"
rc=0
"$B/sankaku-tail" --redis "redis://analyst@127.0.0.1:$PORT" -n 3x --once >/dev/null 2>"$T/tail-n.log" || rc=$?
assert_eq "a count that is not one: usage" 2 "$rc"
grep -q -- '-n takes a count' "$T/tail-n.log" || fail "sankaku-tail -n 3x: $(cat "$T/tail-n.log")"
"$B/sankaku-tail" --redis "redis://analyst@127.0.0.1:$PORT" --password-file "$T/analyst-password" \
	--channel 'sankaku:phase:*' >"$T/chan.out" 2>&1 &
track $!
sleep 1 # sankakud learns who listens every 500 ms
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" 2 900 | /usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata |
	adm --pipe >/dev/null
wait_for 10 sh -c "[ \$(grep -c '^  phase    : ' $T/chan.out) -ge 2 ]" || fail "channel: $(cat "$T/chan.out")"
stop_pid $DPID

# the incident desk as the guide runs it: its own user and password file,
# a user added, /healthz, the incidents exported
DPORT=$(free_port)
cat >"$T/d.json" <<JSON
{ "redis": "redis://sankakud@127.0.0.1:$PORT", "redis_password_file": "redis-password",
  "desk": { "listen": "127.0.0.1:$DPORT", "redis": "redis://desk@127.0.0.1:$PORT",
            "redis_password_file": "desk-password" },
  "sources": [ { "id": "jpcert-ew", "triangle": "speed-accuracy" } ] }
JSON
"$B/sankaku-desk" --check-config -c "$T/d.json" >/dev/null || fail "desk --check-config"
"$B/sankaku-desk" -c "$T/d.json" --add-user aoi --team soc >"$T/aoi-token" || fail "--add-user"
adm ACL LOG RESET >/dev/null
"$B/sankaku-desk" -c "$T/d.json" 2>"$T/desk.log" &
track $!
wait_for 10 sh -c "curl -s http://127.0.0.1:$DPORT/healthz | grep -q ok" || fail "desk /healthz: $(tail -3 "$T/desk.log")"
wait_for 10 sh -c "curl -s http://127.0.0.1:$DPORT/metrics | grep -q '^sankaku_desk_alerts_total [1-9]'" ||
	fail "the desk counted nothing: $(curl -s http://127.0.0.1:$DPORT/metrics | grep alerts_total)"
"$B/sankaku-desk" -c "$T/d.json" --export >"$T/incidents.jsonl" || fail "--export"
assert_ge "incidents exported" 1 "$(grep -c '"id"' "$T/incidents.jsonl")"
assert_eq "ACL denials while the desk worked" 0 "$(adm ACL LOG | grep -c -x desk || true)"
if grep -q -F "$(head -1 "$T/desk-password")" "$T/desk.log"; then fail "a password in the desk's log"; fi
