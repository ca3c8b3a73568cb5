#!/bin/sh
# sankaku-replay-deadletter: put dead-lettered events back into the input
# once the cause is fixed (a raised input.max_event_bytes, a fixed sensor),
# oldest first, without losing any on the way:
#   each entry is first moved (LMOVE) from the dead-letter list to a replay
#   list, its raw event pushed into the input, then removed from the replay
#   list.  An interrupted run leaves the entry in the replay list, where the
#   next run finds it first.  An event that still cannot be enriched comes
#   back to the dead-letter list.
#
#   sankaku-replay-deadletter [-n COUNT] [-r] [-k INPUT] [-d DEADLETTER] [--] [redis-cli options]
#     -n COUNT   at most COUNT entries (default: all)
#     -r         Suricata writes with RPUSH (input.push: rpush)
#     -k, -d     key names (default suricata, sankaku:deadletter)
#   e.g. sankaku-replay-deadletter -n 10 -- -h 127.0.0.1 -p 6379 --user sankakud --askpass
set -eu
n=-1
push=LPUSH
input=suricata
dead=sankaku:deadletter
while getopts n:rk:d: o; do
	case $o in
	n) n=$OPTARG ;;
	r) push=RPUSH ;;
	k) input=$OPTARG ;;
	d) dead=$OPTARG ;;
	*) sed -n '2,20p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
replay="$dead:replaying"
cli() { redis-cli --no-auth-warning "$@"; }
done_n=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
while [ "$n" -lt 0 ] || [ "$done_n" -lt "$n" ]; do
	# an entry left by an interrupted run comes first
	cli "$@" --raw LINDEX "$replay" -1 >"$tmp"
	if [ ! -s "$tmp" ] || [ "$(cat "$tmp")" = "" ]; then
		cli "$@" --raw LMOVE "$dead" "$replay" RIGHT LEFT >"$tmp"
		[ -s "$tmp" ] && [ "$(head -c 1 "$tmp")" = "{" ] || break
	fi
	entry=$(cat "$tmp")
	if printf '%s' "$entry" | jq -e 'has("raw")' >/dev/null; then
		printf '%s' "$entry" | jq -j .raw | cli "$@" -x "$push" "$input" >/dev/null
	else
		printf '%s' "$entry" | jq -r .raw_base64 | base64 -d | cli "$@" -x "$push" "$input" >/dev/null
	fi
	printf '%s' "$entry" | cli "$@" -x LREM "$replay" -1 >/dev/null
	done_n=$((done_n + 1))
	echo "replayed reason=$(printf '%s' "$entry" | jq -r .reason) at=$(printf '%s' "$entry" | jq -r .at)"
done
echo "replayed $done_n dead letters into $input"
