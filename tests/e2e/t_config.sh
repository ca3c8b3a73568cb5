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
