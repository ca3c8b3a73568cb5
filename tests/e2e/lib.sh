# tests/e2e/lib.sh: assertions and set-up shared by the end-to-end tests.
# Each test is a script that sources this, uses a private redis-server on a
# free port, and exits non-zero on the first failed assertion.
set -eu
SANKAKU_TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$SANKAKU_TOP/scripts/lib.sh"
B=$SANKAKU_TOP/${BUILD:-build}
T=$(mktemp -d /tmp/sankaku-e2e.XXXXXX)
# On exit: stop what the test started; a sanitizer report in any log fails
# the test; logs are kept only for failures.
finish() {
	rc=$1
	cleanup
	# a sanitizer report, or a valgrind error line (==PID==), fails it
	if grep -l -E "Sanitizer|runtime error:|^==[0-9]+== " "$T"/*.log >/dev/null 2>&1; then
		grep -h -A20 -E "Sanitizer|runtime error:|^==[0-9]+== " "$T"/*.log | head -60 >&2
		rc=1
	fi
	if [ "$rc" -eq 0 ]; then rm -rf "$T"; else echo "  (logs kept in $T)" >&2; fi
	exit "$rc"
}
trap 'finish $?' EXIT

fail() {
	echo "  FAIL: $*" >&2
	exit 1
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# assert_ge WHAT MIN ACTUAL
assert_ge() {
	[ "$3" -ge "$2" ] || fail "$1: expected at least $2, got $3"
}

# setup_redis [redis.conf lines]: PORT, URL and r() for redis-cli.
setup_redis() {
	PORT=$(free_port)
	start_redis "$T/redis" "$PORT" "$@"
	URL="redis://127.0.0.1:$PORT"
}
r() { redis-cli -p "$PORT" "$@"; }

# write_config FILE [extra top-level JSON members]: a daemon config with
# three sources, like the demo's.
write_config() {
	_extra=${2:-}
	cat >"$1" <<JSON
{
  "redis": "$URL",
  "consumer": "${CONSUMER:-t1}",
  "metrics": { "listen": "${METRICS:-}" },
  "input": { "block_ms": 200 },
  $_extra
  "sources": [
    { "id": "jpcert-ew", "triangle": "speed-accuracy", "tlp": "amber" },
    { "id": "fin-isac", "triangle": "speed-coverage", "tlp": "green" },
    { "id": "open-blocklist", "triangle": "accuracy-coverage", "tlp": "clear" }
  ]
}
JSON
}

# start_daemon CONFIG [LOG]: run sankakud, wait until it consumes; DPID.
start_daemon() {
	_log=${2:-$T/sankakud.log}
	"$B/sankakud" -c "$1" 2>>"$_log" &
	DPID=$!
	track $DPID
	wait_for 10 grep -q "consuming input" "$_log" ||
		fail "sankakud did not start consuming: $(cat "$_log")"
}

# push N [START]: LPUSH N synthetic alerts, flow_id START..START+N-1.
push() {
	/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" "$1" "${2:-1}" |
		/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata |
		redis-cli -p "$PORT" --pipe >/dev/null
}

# drained: the input empty and no batch of the consumer left.
drained() {
	[ "$(r EXISTS suricata "sankaku:inflight:${CONSUMER:-t1}" \
		"sankaku:batch:${CONSUMER:-t1}:wait")" = 0 ]
}

# batches: batch lists of the consumer that still hold events.
batches() {
	r EXISTS "sankaku:inflight:${CONSUMER:-t1}" "sankaku:batch:${CONSUMER:-t1}:wait"
}

# unique_flows: distinct flow_ids in the output stream.
unique_flows() {
	r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' |
		jq -r .flow_id | sort -u | wc -l | tr -d ' '
}

# setup_desk: $T/c.json (write_config) with the desk on a free port and a
# user aoi of team soc; DPORT, API, TOKEN.
setup_desk() {
	DPORT=$(free_port)
	write_config "$T/c.json" "\"desk\": { \"listen\": \"127.0.0.1:$DPORT\", \"users_file\": \"$T/users.json\" },"
	API="http://127.0.0.1:$DPORT"
	TOKEN=$("$B/sankaku-desk" -c "$T/c.json" --add-user aoi --team soc 2>"$T/adduser.log") ||
		fail "add-user: $(cat "$T/adduser.log")"
}

# start_desk: run the desk on $T/c.json (log $T/desk.log), wait until
# it is healthy; DESK.
start_desk() {
	"$B/sankaku-desk" -c "$T/c.json" 2>>"$T/desk.log" &
	DESK=$!
	track $DESK
	wait_for 20 sh -c "curl -s $API/healthz | grep -q ok" ||
		fail "desk not healthy: $(tail -5 "$T/desk.log")"
}

# api PATH: GET the desk's API with the token; desk_metric NAME: a value
# of its /metrics.
api() { curl -s -H "Authorization: Bearer $TOKEN" "$API$1"; }
desk_metric() { curl -s "$API/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }

# desk_wave FIRST COUNT HOSTS: alerts about HOSTS hosts into Suricata's
# list.
desk_wave() {
	/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" --hosts "$3" "$2" "$1" |
		/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata |
		redis-cli -p "$PORT" --pipe >/dev/null
}

# feeds_standin PORT LOG [CLIENT_CA]: the servers feeds come from
# (feeds_standin.py) on https://127.0.0.1:PORT, keys $TAXII_AUTH and
# $MISP_KEY (made from $RND when not set), each request a line of LOG;
# its certificate $T/srv.crt is made the first time.
feeds_standin() {
	: "${RND:=$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}"
	: "${MISP_KEY:=misp-$RND}"
	: "${TAXII_AUTH:=Basic $(printf 'soc:taxii-%s' "$RND" | base64)}"
	if [ ! -e "$T/srv.crt" ]; then
		openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
			-keyout "$T/srv.key" -out "$T/srv.crt" -subj /CN=127.0.0.1 \
			-addext subjectAltName=IP:127.0.0.1,DNS:localhost >"$T/openssl.out" 2>&1 ||
			fail "openssl: $(cat "$T/openssl.out")"
	fi
	python3 "$SANKAKU_TOP/tests/e2e/feeds_standin.py" "$1" "$T/srv.crt" "$T/srv.key" \
		"$SANKAKU_TOP/tests/fixtures/feeds" "$TAXII_AUTH" "$MISP_KEY" "$2" ${3:+"$3"} \
		>"$2.out" 2>&1 &
	track $!
	wait_for 10 grep -q ready "$2.out" || fail "the stand-in on $1: $(cat "$2.out")"
}

# misp_standin KEYFILE [FAIL_FIRST]: a stand-in for a source's MISP
# (misp_standin.py) on https://127.0.0.1:$MPORT, its certificate
# $T/misp.crt, a new API key $MISP_KEY written to KEYFILE; each request a
# line of $T/misp.log.
misp_standin() {
	MPORT=$(free_port)
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-keyout "$T/misp.key" -out "$T/misp.crt" -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 >"$T/openssl.out" 2>&1 ||
		fail "openssl: $(cat "$T/openssl.out")"
	MISP_KEY=misp-key-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
	printf '%s\n' "$MISP_KEY" >"$1"
	python3 "$SANKAKU_TOP/tests/e2e/misp_standin.py" "$MPORT" "$T/misp.crt" "$T/misp.key" \
		"$MISP_KEY" "$T/misp.log" ${2:+"$2"} >"$T/misp-standin.out" 2>&1 &
	track $!
	wait_for 10 grep -q ready "$T/misp-standin.out" || fail "the MISP stand-in: $(cat "$T/misp-standin.out")"
}
