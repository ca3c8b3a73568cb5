# lib.sh: helpers shared by the demo, the end-to-end tests and the
# benchmarks.  Source it; every process it starts is recorded and stopped
# by PID, never by name.

SANKAKU_TOP=${SANKAKU_TOP:-$(cd "$(dirname "$0")/.." && pwd)}
SANKAKU_PIDS=""

# free_port: print a TCP port on 127.0.0.1 that nobody listens on.
free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_for SECONDS CMD...: retry CMD every 50 ms until it succeeds.
wait_for() {
	_n=$(($1 * 20))
	shift
	while [ "$_n" -gt 0 ]; do
		if "$@" >/dev/null 2>&1; then return 0; fi
		sleep 0.05
		_n=$((_n - 1))
	done
	return 1
}

# start_redis DIR PORT [extra redis.conf lines]: a private redis-server on
# loopback with a unix socket in DIR; sets REDIS_PID.
start_redis() {
	_dir=$1
	_port=$2
	shift 2
	mkdir -p "$_dir"
	cat >"$_dir/redis.conf" <<CONF
bind 127.0.0.1
port $_port
unixsocket $_dir/redis.sock
unixsocketperm 700
save ""
appendonly no
daemonize no
dir $_dir
logfile $_dir/redis.log
CONF
	for _l in "$@"; do echo "$_l" >>"$_dir/redis.conf"; done
	redis-server "$_dir/redis.conf" &
	REDIS_PID=$!
	SANKAKU_PIDS="$SANKAKU_PIDS $REDIS_PID"
	if ! wait_for 10 redis-cli -p "$_port" ping; then
		echo "redis-server did not start; log:" >&2
		cat "$_dir/redis.log" >&2
		return 1
	fi
}

# track PID: stop it at cleanup.
track() {
	SANKAKU_PIDS="$SANKAKU_PIDS $1"
}

# stop_pid PID [SIGNAL]: signal and wait up to 20 s, then SIGKILL.
stop_pid() {
	_pid=$1
	_sig=${2:-TERM}
	kill -0 "$_pid" 2>/dev/null || return 0
	kill -"$_sig" "$_pid" 2>/dev/null || true
	_n=400
	while kill -0 "$_pid" 2>/dev/null && [ "$_n" -gt 0 ]; do
		sleep 0.05
		_n=$((_n - 1))
	done
	if kill -0 "$_pid" 2>/dev/null; then
		kill -KILL "$_pid" 2>/dev/null || true
	fi
	wait "$_pid" 2>/dev/null || true
}

# cleanup: stop everything this shell started, newest first.
cleanup() {
	_rev=""
	for _p in $SANKAKU_PIDS; do _rev="$_p $_rev"; done
	for _p in $_rev; do stop_pid "$_p"; done
	SANKAKU_PIDS=""
}

# copy_demo DIR: the demo's config and feeds (etc/demo) into DIR, its
# rules.shipped made absolute (the project's suricata-rules).
copy_demo() {
	mkdir -p "$1"
	cp -r "$SANKAKU_TOP/etc/demo/." "$1/"
	sed -i "s|\"shipped\": \"../../suricata-rules\"|\"shipped\": \"$SANKAKU_TOP/suricata-rules\"|" \
		"$1/sankaku.json"
}
