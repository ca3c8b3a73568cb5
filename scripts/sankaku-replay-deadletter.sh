#!/bin/sh
# sankaku-replay-deadletter: put dead-lettered events back into the input,
# oldest first, once their cause is fixed (a raised input.max_event_bytes,
# a repaired sensor).  It runs `sankakud --replay-deadletter` with
# sankakud's own config and credentials (see sankakud(8)): nothing is lost
# on the way, any error reply stops it (exit 1) with the entry back in
# place, and it takes at most the entries there were when it started.
#
#   sankaku-replay-deadletter [-c CONFIG] [-n COUNT] [-r REDIS_URL]
set -eu
SANKAKUD=${SANKAKUD:-@SBINDIR@/sankakud}
conf=/etc/sankaku/sankaku.json
count=
redis=
usage() {
	echo "usage: sankaku-replay-deadletter [-c CONFIG] [-n COUNT] [-r REDIS_URL]" >&2
	exit 2
}
while getopts c:n:r:h o; do
	case $o in
	c) conf=$OPTARG ;;
	n) count=$OPTARG ;;
	r) redis=$OPTARG ;;
	h) echo "usage: sankaku-replay-deadletter [-c CONFIG] [-n COUNT] [-r REDIS_URL]"; exit 0 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || usage
set -- -c "$conf"
[ -n "$redis" ] && set -- "$@" --redis "$redis"
set -- "$@" --replay-deadletter
[ -n "$count" ] && set -- "$@" --count "$count"
exec "$SANKAKUD" "$@"
