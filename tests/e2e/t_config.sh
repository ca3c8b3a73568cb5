#!/bin/sh
# --check-config: 0 for a valid config, 2 with "FILE: KEY: reason".
. "$(dirname "$0")/lib.sh"
URL=redis://127.0.0.1:1
write_config "$T/ok.json"
"$B/sankakud" -c "$T/ok.json" --check-config >/dev/null || fail "valid config refused"
"$B/sankakud" --check-config -c "$SANKAKU_TOP/etc/sankaku.json" >/dev/null ||
	fail "the shipped example config is invalid"
check() { # FILE-CONTENT EXPECTED-MESSAGE
	printf '%s\n' "$1" >"$T/bad.json"
	set +e
	msg=$("$B/sankakud" -c "$T/bad.json" --check-config 2>&1)
	rc=$?
	set -e
	assert_eq "exit status for: $1" 2 "$rc"
	case $msg in "$T/bad.json: $2"*) ;; *) fail "message '$msg' does not start with '$T/bad.json: $2'" ;; esac
}
check '{}' 'sources: missing'
check '{"sources": [], "input": {"batch": 0}}' 'input.batch: 0 is out of range'
check '{"sources": [], "input": {"mode": "pubsub"}}' "input.mode: 'pubsub' is not one of"
check '{"sources": [], "colour": 1}' 'colour: unknown key'
check '{"sources": [{"id": "a b", "triangle": "speed-accuracy"}]}' 'sources[0].id'
check '{"sources": [{"id": "a", "triangle": "speed-accuracy", "tlp": "purple"}]}' 'sources[0].tlp'
check '{"sources": [{"id": "a", "triangle": "speed"}]}' 'sources[0].triangle'
check '{"sources": [], "mapping": {"attack-attempt": {"phase": "panic"}}}' 'mapping.attack-attempt.phase'
check '{"sources": [], "phase_roles": {"triage": ["Z-9"]}}' 'phase_roles.triage[0]'
check '{"sources": [], "redis": "http://x"}' 'redis:'
check '{"sources": [] "x": 1}' 'line 1'
set +e
"$B/sankakud" -c "$T/ok.json" --check-config --redis 'redis://h:99999' >/dev/null 2>"$T/err"
rc=$?
set -e
assert_eq "bad --redis" 2 "$rc"
grep -q "^--redis: redis: bad port" "$T/err" || fail "--redis message: $(cat "$T/err")"

# -h answers on stdout with every flag; a bad flag is an error
"$B/sankakud" -h >"$T/help" || fail "-h is an error"
for f in -c -d --redis --check-config --help-config --version; do
	grep -q -- "$f" "$T/help" || fail "usage lacks $f"
done
"$B/sankakud" --nope >/dev/null 2>&1 && fail "an unknown flag accepted"
grep -q "redis_password_file" "$("$B/sankakud" --help-config >"$T/hc"; echo "$T/hc")" ||
	fail "--help-config lacks redis_password_file"

# starting with a bad config: an error with the journal's priority
printf '{"sources": [], "colour": 1}\n' >"$T/bad.json"
"$B/sankakud" -c "$T/bad.json" 2>"$T/start.err" && fail "started on a bad config"
grep -q '^<3>sankakud: level=error refusing to start: .*colour: unknown key' "$T/start.err" ||
	fail "startup failure not logged as an error: $(cat "$T/start.err")"

# an index not written yet (the first start, before the first refresh):
# the config checks out, with a warning, and the daemon starts
write_config "$T/idx.json" '"index": "rules/sankaku.index",'
"$B/sankakud" --check-config -c "$T/idx.json" >/dev/null 2>"$T/idx.err" ||
	fail "a missing index fails the check: $(cat "$T/idx.err")"
grep -q "index not found" "$T/idx.err" || fail "no warning for the missing index"
mkdir -p "$T/rules"
printf 'not\ta valid line\n' >"$T/rules/sankaku.index"
"$B/sankakud" --check-config -c "$T/idx.json" >/dev/null 2>&1 && fail "a broken index passes the check"
rm "$T/rules/sankaku.index"

# a reload whose redis_timeout_ms does not outlast the block_ms in force
setup_redis
write_config "$T/r.json" '"index": "rules/sankaku.index",'
sed -i 's/"input": { "block_ms": 200 }/"input": { "block_ms": 5000 }/' "$T/r.json"
start_daemon "$T/r.json"
grep -q "index not found" "$T/sankakud.log" || fail "no warning at start"
printf 'domain\tevil.example\tjpcert-ew\t-\tindicator\n' >"$T/rules/sankaku.index"
kill -HUP $DPID
wait_for 5 grep -q "config reloaded .* indicators=1" "$T/sankakud.log" ||
	fail "the index written after the start was not loaded: $(tail -2 "$T/sankakud.log")"
sed -i 's/"input": { "block_ms": 5000 }/"input": { "block_ms": 100 }, "redis_timeout_ms": 2000/' "$T/r.json"
kill -HUP $DPID
wait_for 5 grep -q "reload refused, old config kept: redis_timeout_ms: 2000 must be longer than the input.block_ms in force (5000" "$T/sankakud.log" ||
	fail "the reload was not refused: $(tail -2 "$T/sankakud.log")"
stop_pid $DPID
