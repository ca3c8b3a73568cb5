#!/bin/sh
# Redis across a network.  hiredis 0.14 and Suricata 7's Redis output speak
# no TLS, so a daemon or a sensor on another host reaches Redis' own TLS
# port through stunnel in client mode, which checks the server's
# certificate by name (OPERATIONS.md, "Redis across a network").  This
# Redis listens on TLS only, with the users sankaku-acl writes (Suricata's
# default user may only push): every alert stored came through a tunnel.
# A tunnel that expects another name gets nothing through.
. "$(dirname "$0")/lib.sh"
STUNNEL=$(command -v stunnel4 || command -v stunnel) || fail "stunnel4 is not installed (make deps)"

# a CA, and Redis' certificate for redis.example.test signed by it
cd "$T"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-days 2 -subj /CN=sankaku-test-ca -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	-subj /CN=redis.example.test -keyout redis.key -out redis.csr 2>/dev/null
echo "subjectAltName=DNS:redis.example.test" >san.ext
openssl x509 -req -in redis.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
	-days 2 -extfile san.ext -out redis.crt 2>/dev/null
cd - >/dev/null

PW=tunnel-test-password
TLSPORT=$(free_port)
mkdir -p "$T/redis"
cat >"$T/redis/redis.conf" <<CONF
bind 127.0.0.1
port 0
tls-port $TLSPORT
tls-cert-file $T/redis.crt
tls-key-file $T/redis.key
tls-ca-cert-file $T/ca.crt
tls-auth-clients no
save ""
appendonly no
dir $T/redis
logfile $T/redis/redis.log
user default on nopass ~suricata -@all +lpush +rpush
user sankakud on >$PW ~* &* +@all
CONF
redis-server "$T/redis/redis.conf" &
REDIS_PID=$!
track $REDIS_PID
admin() { redis-cli --tls --cacert "$T/ca.crt" -p "$TLSPORT" --user sankakud --pass "$PW" --no-auth-warning "$@"; }
wait_for 10 admin ping || fail "redis with TLS did not start: $(cat "$T/redis/redis.log")"

# tunnel NAME CHECKHOST: a client-mode stunnel on a free port, TPORT
tunnel() {
	_p=$(free_port)
	cat >"$T/$1.conf" <<CONF
foreground = yes
pid =
[redis]
client = yes
accept = 127.0.0.1:$_p
connect = 127.0.0.1:$TLSPORT
CAfile = $T/ca.crt
verifyChain = yes
checkHost = $2
sni = redis.example.test
CONF
	"$STUNNEL" "$T/$1.conf" >/dev/null 2>"$T/$1.log" &
	track $!
	wait_for 10 sh -c "ss -ltn | grep -q '127.0.0.1:$_p '" || fail "stunnel $1 did not listen: $(cat "$T/$1.log")"
	TPORT=$_p
}
tunnel good redis.example.test
GOOD=$TPORT
tunnel bad other.example.test
BAD=$TPORT

# the sensor's side: Suricata's default user, through the tunnel
sensor() { redis-cli -p "$GOOD" "$@"; }
assert_eq "the sensor may push" 1 "$(sensor LPUSH suricata '{}' 2>&1)"
sensor DEL suricata 2>&1 | grep -q NOPERM || fail "the sensor's user may do more than push"
admin DEL suricata >/dev/null

# the daemon's side: sankakud with its password, through the tunnel
echo "$PW" >"$T/pw"
URL="redis://sankakud@127.0.0.1:$GOOD"
write_config "$T/c.json" '"redis_password_file": "pw",'
start_daemon "$T/c.json"
# (redis-cli --pipe ends with an ECHO, which Suricata's user may not send)
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" 200 1 |
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata |
	redis-cli -p "$GOOD" --user sankakud --pass "$PW" --no-auth-warning --pipe >/dev/null
wait_for 20 sh -c "[ \"\$(redis-cli --tls --cacert $T/ca.crt -p $TLSPORT --user sankakud --pass $PW --no-auth-warning XLEN sankaku:alerts)\" = 200 ]" ||
	fail "alerts through the tunnel: $(admin XLEN sankaku:alerts), $(tail -3 "$T/sankakud.log")"
assert_eq "input drained" 0 "$(admin LLEN suricata)"
! grep -q "$PW" "$T/sankakud.log" || fail "the password is in the log"

# the certificate checked by name: the other tunnel gets nothing through
out=$(redis-cli -p "$BAD" PING 2>&1 || true)
[ "$out" != PONG ] || fail "a tunnel expecting another name reached Redis"
wait_for 10 grep -q "CERT: Subject checks failed" "$T/bad.log" ||
	fail "the refusal is not in stunnel's log: $(tail -5 "$T/bad.log")"
