#!/bin/sh
# The shipped least-privilege Redis set-up, loaded into a real redis-server:
# Suricata (unauthenticated) can only push to the input list; sankakud
# (its own user, password from a file) can do its job and nothing more;
# an analyst can subscribe and read the stream, nothing more.
. "$(dirname "$0")/lib.sh"
SANKAKUD_PASSWORD=s3cret-daemon ANALYST_PASSWORD=s3cret-analyst \
	sh "$SANKAKU_TOP/scripts/sankaku-acl.sh" -o "$T/users.acl" -d "$T/desk-password" >"$T/acl.out"
grep -q "desk password" "$T/acl.out" && fail "a password written to a file was printed too"
# an administrator for the test's own checks only (ACL LOG)
echo "user admin on >admin-pw ~* &* +@all" >>"$T/users.acl"
setup_redis "aclfile $T/users.acl"
adm() { redis-cli -p "$PORT" --user admin --pass admin-pw --no-auth-warning "$@"; }
d() { redis-cli -p "$PORT" --user sankakud --pass s3cret-daemon --no-auth-warning "$@"; }
k() { redis-cli -p "$PORT" --user desk --pass "$(cat "$T/desk-password")" --no-auth-warning "$@"; }
a() { redis-cli -p "$PORT" --user analyst --pass s3cret-analyst --no-auth-warning "$@"; }
denied() { # WHO CMD...: the command must be refused
	_who=$1
	shift
	case $($_who "$@" 2>&1) in
	*NOPERM* | *"no permissions"*) ;;
	*) fail "$_who may run: $*" ;;
	esac
}

# default user: push to the input, nothing else
r LPUSH suricata '{"x":1}' >/dev/null || fail "default cannot LPUSH"
denied r LRANGE suricata 0 -1
denied r GET sankaku:alerts
denied r LPUSH other 1
denied r XADD sankaku:alerts '*' alert x
denied r FLUSHALL
denied r CONFIG GET requirepass
adm DEL suricata >/dev/null
adm ACL LOG RESET >/dev/null

# sankakud with its own user, password from a file, and real Suricata
copy_demo "$T/demo"
printf 's3cret-daemon\n' >"$T/demo/redis-password"
chmod 600 "$T/demo/redis-password"
sed -i "s|\"redis\": \"redis://127.0.0.1:6379\"|\"redis\": \"redis://sankakud@127.0.0.1:$PORT\", \"redis_password_file\": \"redis-password\"|" \
	"$T/demo/sankaku.json"
"$B/sankaku-rules" -c "$T/demo/sankaku.json" -o "$T/demo/rules" --now 2026-11-26T00:00:00Z >/dev/null
"$B/sankakud" -c "$T/demo/sankaku.json" 2>"$T/sankakud.log" &
DPID=$!
track $DPID
wait_for 10 grep -q "consuming input" "$T/sankakud.log" || fail "sankakud: $(cat "$T/sankakud.log")"
# acknowledged stores are the default and need no more rights
grep -q "stores checked per chunk\|stores acknowledged one by one" "$T/sankakud.log" &&
	fail "probed for checked stores although acks is each"
redis-cli -p "$PORT" --user analyst --pass s3cret-analyst --no-auth-warning \
	SUBSCRIBE sankaku:alerts >"$T/analyst.out" &
track $!
sleep 1 # sankakud asks who listens every 500 ms
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$T/demo/rules/sankaku.rules"
(cd "$T/sc" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/demo.pcap" \
	-k none -l "$T/sc" >"$T/suricata.log" 2>&1) || fail "suricata"
wait_for 20 sh -c "[ \$(redis-cli -p $PORT --user admin --pass admin-pw --no-auth-warning XLEN sankaku:alerts) -ge 18 ]" ||
	fail "alerts not stored: $(adm XLEN sankaku:alerts); $(tail -3 "$T/sankakud.log")"
# neither Suricata nor sankakud was refused anything while doing its job
assert_eq "ACL denials while working" 0 "$(adm ACL LOG | grep -c -x -E 'default|sankakud' || true)"
denied d FLUSHALL
denied d GET other
denied d SET sankaku-not-ours 1
denied d KEYS '*'
denied d CONFIG SET appendonly no
denied d SUBSCRIBE other-channel
denied d CLIENT REPLY OFF # only for output.acks chunk, granted by hand
grep -q "cannot read Redis maxmemory-policy" "$T/sankakud.log" &&
	fail "the shipped user cannot check the eviction policy"

# analyst: reads, subscribes, nothing else
[ "$(a XLEN sankaku:alerts)" -ge 18 ] || fail "analyst cannot read the stream"
a XREAD COUNT 1 STREAMS sankaku:alerts 0 | grep -q sankaku || fail "analyst XREAD"
wait_for 5 grep -q '"sankaku"' "$T/analyst.out" || fail "analyst got nothing on sankaku:alerts"
denied a PUBLISH sankaku:alerts fake
denied a XADD sankaku:alerts '*' alert fake
denied a LRANGE suricata 0 -1
denied a LPUSH suricata fake
denied a DEL sankaku:alerts
# the names compact alerts refer to: readable; nothing else is
ver=$(a GET sankaku:reference)
[ -n "$ver" ] || fail "analyst cannot read the reference version"
a GET "sankaku:reference:$ver" | jq -e .phases >/dev/null || fail "analyst cannot read the reference"
denied a GET sankaku:deadletter:bytes
denied a SET sankaku:reference x
# TLP:RED alerts are not the analyst's: neither the stream nor the channel,
# nor a pattern that would take in the red channel
adm XADD sankaku:red:alerts '*' alert '{"sankaku":{"tlp":"red"}}' >/dev/null
denied a XRANGE sankaku:red:alerts - +
denied a XREAD STREAMS sankaku:red:alerts 0
denied a SUBSCRIBE sankaku:red:alerts
denied a PSUBSCRIBE 'sankaku:*'
denied a PSUBSCRIBE 'sankaku:red:*'
timeout 1 redis-cli -p "$PORT" --user analyst --pass s3cret-analyst --no-auth-warning \
	PSUBSCRIBE 'sankaku:phase:*' >"$T/psub.out" 2>&1 || true
grep -q "^psubscribe" "$T/psub.out" || fail "analyst cannot PSUBSCRIBE sankaku:phase:*: $(cat "$T/psub.out")"
stop_pid $DPID
assert_eq "sankakud stopped cleanly, nothing left" 0 "$(adm EXISTS suricata sankaku:inflight:demo sankaku:batch:demo:wait)"

# the desk with its own user (desk.redis, desk.redis_password_file): it
# makes incidents from the stored alerts and acts, refused nothing; it
# can do nothing else
DPORT=$(free_port)
cp "$T/desk-password" "$T/demo/desk-password"
python3 - "$T/demo/sankaku.json" "$PORT" "$DPORT" <<'PY'
import json, sys
p, port, dport = sys.argv[1], sys.argv[2], sys.argv[3]
c = json.load(open(p))
c["desk"] = {"listen": "127.0.0.1:" + dport, "redis": "redis://desk@127.0.0.1:" + port,
             "redis_password_file": "desk-password"}
json.dump(c, open(p, "w"), ensure_ascii=False)
PY
adm ACL LOG RESET >/dev/null
TOKEN=$("$B/sankaku-desk" -c "$T/demo/sankaku.json" --add-user aoi --team soc)
"$B/sankaku-desk" -c "$T/demo/sankaku.json" 2>"$T/desk.log" &
track $!
# the list that showed them is the one acted on (no second request)
wait_for 20 sh -c "curl -s -H 'Authorization: Bearer $TOKEN' http://127.0.0.1:$DPORT/api/incidents >'$T/list.json' &&
	jq -e '.incidents | length >= 3' '$T/list.json' >/dev/null" ||
	fail "the desk made no incidents under its user: $(tail -3 "$T/desk.log")"
ID=$(jq -r '.incidents[0].id' "$T/list.json")
code=$(curl -s -o "$T/act.json" -w '%{http_code}' -X POST \
	-H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"action":"ack"}' \
	"http://127.0.0.1:$DPORT/api/incidents/$ID/actions")
[ "$code" = 200 ] || fail "an action under the desk's user on $ID: $code $(cat "$T/act.json"); the list: $(head -c 300 "$T/list.json")"
wait_for 5 sh -c "redis-cli -p $PORT --user admin --pass admin-pw --no-auth-warning GET sankaku:incident:$ID | grep -q '\"owner\":\"aoi\"'" ||
	fail "the action was not stored under the desk's user"
grep -q "redis connected link=sankaku-desk" "$T/desk.log" || fail "the desk did not connect"
assert_eq "ACL denials of the desk while working" 0 "$(adm ACL LOG | grep -c -x desk || true)"
denied k LPUSH suricata fake
denied k XADD sankaku:alerts '*' alert fake
denied k DEL sankaku:alerts
denied k SET sankaku:alerts x
denied k DEL sankaku:desk:epoch
denied k FLUSHALL
denied k GET sankaku:deadletter:bytes
denied k CONFIG SET appendonly no
denied k PUBLISH sankaku:alerts fake
