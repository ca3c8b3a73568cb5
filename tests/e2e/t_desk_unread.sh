#!/bin/sh
# Alerts the stream trims before the desk reads them: the desk is
# stopped while 3,000 enriched alerts arrive in a stream capped at 1,000
# (output.stream_maxlen too small for the backlog).  Started again, it
# counts the 1,000 still there, and says the other 2,000 were trimmed
# unread: the log line, the counter, once (not again after a restart).
# The desk warns at each start that such a cap is below what it can hold
# unread under load.
. "$(dirname "$0")/lib.sh"
setup_redis
DPORT=$(free_port)
write_config "$T/c.json" "\"desk\": { \"listen\": \"127.0.0.1:$DPORT\", \"users_file\": \"$T/users.json\" }, \"output\": { \"stream_maxlen\": 1000 },"
API="http://127.0.0.1:$DPORT"

alerts() { # FIRST N: enriched alerts into the stream, capped at 1,000
	/usr/bin/python3 - "$SANKAKU_TOP/tests/fixtures/enrich/drupal-success/expected.json" "$1" "$2" <<'PY' |
import json, sys
alert = json.load(open(sys.argv[1]))
first, n = int(sys.argv[2]), int(sys.argv[3])
for i in range(first, first + n):
    alert["sankaku"]["id"] = "%032x" % i
    doc = json.dumps(alert, ensure_ascii=False, separators=(",", ":")).encode()
    args = [b"XADD", b"sankaku:alerts", b"MAXLEN", b"1000", b"*", b"alert", doc]
    sys.stdout.buffer.write(b"*%d\r\n" % len(args) + b"".join(
        b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
PY
		redis-cli -p "$PORT" --pipe >/dev/null
}

start_desk # reading: nothing trimmed yet
alerts 1 10
wait_for 20 sh -c "[ \"\$(curl -s $API/metrics | awk '\$1 == \"sankaku_desk_alerts_total\" { print \$2 }')\" = 10 ]" ||
	fail "first alerts: $(desk_metric sankaku_desk_alerts_total)"
stop_pid $DESK
alerts 11 3000
assert_eq "the stream holds its cap" 1000 "$(r XLEN sankaku:alerts)"

start_desk
wait_for 20 sh -c "[ \"\$(curl -s $API/metrics | awk '\$1 == \"sankaku_desk_alerts_total\" { print \$2 }')\" = 1000 ]" ||
	fail "counted: $(desk_metric sankaku_desk_alerts_total)"
assert_eq "trimmed unread, counted" 2000 "$(desk_metric sankaku_desk_unread_trimmed_total)"
assert_eq "and said" 1 "$(grep -c '2000 alerts were trimmed from sankaku:alerts before the desk read them' "$T/desk.log")"
stop_pid $DESK
start_desk # the same loss is not told twice
assert_eq "told so far, kept in Redis" 2000 "$(r GET sankaku:desk:unread)"
sleep 1
assert_eq "not told again" 0 "$(desk_metric sankaku_desk_unread_trimmed_total)"
assert_eq "said once" 1 "$(grep -c 'alerts were trimmed' "$T/desk.log")"
assert_eq "the small cap warned at each start" 3 "$(grep -c 'output.stream_maxlen 1000 is below 40000' "$T/desk.log")"
echo "counted=1000 trimmed_unread=2000 told_once=yes"
