#!/bin/sh
# Two desks on one Redis (a standby started while the first still runs):
# each load takes a new epoch, and a batch of an older epoch is refused
# whole (FENCED), so the two fence each other instead of both writing.
# 20,000 alerts about 200 hosts go through sankakud in three waves: to
# the first desk alone, to both, and (the first stopped) to the second
# alone.  Afterwards, from what Redis holds: every alert counted in
# exactly one incident, none twice, and the fencing said in the log.
. "$(dirname "$0")/lib.sh"
setup_redis
N=20000
HOSTS=200
P1=$(free_port)
P2=$(free_port)
write_config "$T/c1.json" "\"desk\": { \"listen\": \"127.0.0.1:$P1\", \"users_file\": \"$T/users.json\" },"
write_config "$T/c2.json" "\"desk\": { \"listen\": \"127.0.0.1:$P2\", \"users_file\": \"$T/users.json\" },"
desk() { # N CONFIG: start a desk, wait until it serves; D<N>
	"$B/sankaku-desk" -c "$2" 2>>"$T/desk$1.log" &
	eval "D$1=\$!"
	track $!
	wait_for 20 sh -c "grep -q 'incidents loaded' $T/desk$1.log" ||
		fail "desk $1 did not load: $(tail -5 "$T/desk$1.log")"
}
group() { # FIELD of the desk's consumer group
	r XINFO GROUPS sankaku:alerts | awk -v f="$1" '
		p == "desk" && $0 == f { getline; print; exit }
		$0 == "name" { getline; p = $0 }'
}
caught_up() {
	[ "$(group last-delivered-id)" = "$(r XINFO STREAM sankaku:alerts |
		awk '$0 == "last-generated-id" { getline; print; exit }')" ] &&
		[ "$(group pending)" = 0 ]
}

wave() { # FIRST COUNT: alerts into Suricata's list
	/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" --hosts $HOSTS "$2" "$1" |
		/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata |
		redis-cli -p "$PORT" --pipe >/dev/null
}

desk 1 "$T/c1.json"
start_daemon "$T/c1.json"
wave 1 8000 # waves of whole rounds of the 200 hosts
desk 2 "$T/c2.json" # the first's next batch is refused
wave 8001 8000
wait_for 60 drained || fail "sankakud did not drain: $(r LLEN suricata)"
sleep 2 # both desks at work on what is left
stop_pid $D1
wave 16001 4000
wait_for 60 drained || fail "sankakud did not drain: $(r LLEN suricata)"
wait_for 120 caught_up ||
	fail "the desk did not catch up: delivered $(group last-delivered-id) pending $(group pending)"
kill -0 $D2 || fail "the second desk died: $(tail -5 "$T/desk2.log")"

"$B/sankaku-desk" -c "$T/c2.json" --export >"$T/export.jsonl" 2>"$T/export.err" ||
	fail "export: $(cat "$T/export.err")"
assert_eq "alerts in the stream, each once" "$N" \
	"$(r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' | jq -r .sankaku.id | sort -u | wc -l | tr -d ' ')"
assert_eq "one incident per host" "$HOSTS" "$(wc -l <"$T/export.jsonl" | tr -d ' ')"
assert_eq "every alert counted once" "$N" "$(jq -s 'map(.alerts.count) | add' "$T/export.jsonl")"
assert_eq "as many on each host" "100" "$(jq -s -r 'map(.alerts.count) | unique | map(tostring) | join(",")' "$T/export.jsonl")"
fenced=$(cat "$T/desk1.log" "$T/desk2.log" | grep -c 'another sankaku-desk loaded since this one')
assert_ge "fencing said" 1 "$fenced"
echo "alerts=$N hosts=$HOSTS fenced=$fenced loads=$(cat "$T/desk1.log" "$T/desk2.log" | grep -c 'incidents loaded')"
