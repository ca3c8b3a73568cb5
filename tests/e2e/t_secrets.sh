#!/bin/sh
# A password is never printed: not by --check-config, --redis or a refused
# reload on any malformed URL (rediss://, upper case, a leading space, a
# '/' in the password that makes part of it look like a port), not by a
# broken JSON file around it, not by a failed AUTH, not in /metrics or
# /healthz.  Every output of the daemon is searched for it.
. "$(dirname "$0")/lib.sh"
PW=S3cr3tPw-x9
setup_redis "requirepass $PW"
MPORT=$(free_port)
: >"$T/all.out"
check() { # URL: refused by --check-config, with no password in the output
	printf '{ "redis": "%s", "sources": [] }\n' "$1" >"$T/u.json"
	if "$B/sankakud" --check-config -c "$T/u.json" >>"$T/all.out" 2>&1; then
		fail "accepted: $1"
	fi
	if "$B/sankakud" --check-config -c "$T/ok.json" --redis "$1" >>"$T/all.out" 2>&1; then
		fail "--redis accepted: $1"
	fi
}
printf '{ "sources": [] }\n' >"$T/ok.json"
check "rediss://u:$PW@127.0.0.1:6379"
check "REDIS://:$PW@127.0.0.1"
check " redis://:$PW@127.0.0.1"
check "redis://u:S3c/r3tPw-x9@127.0.0.1:6379"
check "redis://u:$PW@127.0.0.1:99999"
check "redis://u:$PW@127.0.0.1:6379/x"
check "redis://u:$PW@127.0.0.1:6379 "
check "unix:///tmp/r.sock?pass=$PW"
printf '{ "redis": "redis://:%s@127.0.0.1\n' "$PW" >"$T/broken.json"
"$B/sankakud" --check-config -c "$T/broken.json" >>"$T/all.out" 2>&1 && fail "broken JSON accepted"
grep -q "bad port" "$T/all.out" || fail "no reason given: $(cat "$T/all.out")"

# a wrong password, then the right one and a reload to a malformed URL
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json"
sed -i "s|\"redis\": \"$URL\"|\"redis\": \"redis://:wrong-$PW@127.0.0.1:$PORT\"|" "$T/c.json"
"$B/sankakud" -c "$T/c.json" 2>"$T/wrong.log" &
pid=$!
track $pid
wait_for 10 grep -q "handshake failed" "$T/wrong.log" || fail "AUTH did not fail: $(cat "$T/wrong.log")"
stop_pid $pid
cat "$T/wrong.log" >>"$T/all.out"
sed -i "s|redis://:wrong-$PW@|redis://:$PW@|" "$T/c.json"
start_daemon "$T/c.json"
sed -i "s|redis://:$PW@127.0.0.1:$PORT|rediss://:$PW@127.0.0.1:$PORT|" "$T/c.json"
kill -HUP $DPID
wait_for 10 grep -q "reload refused" "$T/sankakud.log" || fail "no refusal"
curl -s "http://127.0.0.1:$MPORT/metrics" >>"$T/all.out"
curl -s "http://127.0.0.1:$MPORT/healthz" >>"$T/all.out"
stop_pid $DPID
cat "$T/sankakud.log" >>"$T/all.out"
grep -q "redis=redis://:\*\*\*@127.0.0.1" "$T/all.out" || fail "the address is not shown masked"
if grep -n -F -e "$PW" -e "S3c/r3tPw" -e "r3tPw" "$T/all.out"; then
	fail "the password, or part of it, was printed"
fi
echo "$(wc -l <"$T/all.out") lines of output, none with the password"
