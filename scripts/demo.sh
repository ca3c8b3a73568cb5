#!/bin/sh
# demo.sh: the whole sankaku pipeline on embedded defaults.
#   shared feeds (etc/demo/feeds), published over HTTPS on loopback
#   --sankaku-fetch--> files --sankaku-rules--> Suricata rules
#   Suricata 7 on a bundled capture --EVE--> Redis list "suricata"
#   sankakud --> enriched alerts on the stream and channels
#   the same capture again through eve.json and sankaku-ship
#   sankaku-desk --> incidents, and the console's URL (kept open until
#   Enter when run at a terminal)
# Starts a private redis-server on a free loopback port unless REDIS_URL
# (redis://host:port, no password: Suricata 7 cannot authenticate) is set,
# and stops everything it started.
set -eu
SANKAKU_TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$SANKAKU_TOP/scripts/lib.sh"
B=${BUILD:-build}
work=$(mktemp -d /tmp/sankaku-demo.XXXXXX)
trap 'cleanup; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP
# its reader gone (make demo | head): stop what it started all the same
trap 'exit 141' PIPE

if [ -n "${REDIS_URL:-}" ]; then
	hostport=${REDIS_URL#redis://}
	hostport=${hostport%%/*}
	case $hostport in *@*)
		echo "demo: REDIS_URL with a password: Suricata 7 cannot authenticate" >&2
		exit 2 ;;
	esac
	host=${hostport%%:*}
	port=${hostport##*:}
	[ "$port" = "$hostport" ] && port=6379
	url=$REDIS_URL
	echo "demo: using Redis at $url"
else
	host=127.0.0.1
	port=$(free_port)
	start_redis "$work/redis" "$port"
	url="redis://127.0.0.1:$port"
	echo "demo: private redis-server on $url (pid $REDIS_PID)"
fi
rcli() { redis-cli -h "$host" -p "$port" "$@"; }

# 1. Shared indicators, fetched from where they are published (a local
# HTTPS server stands in for the CERT, the ISAC and the blocklist), ->
# rules, datasets and the index.
copy_demo "$work"
mkdir "$work/publisher"
mv "$work/feeds/"* "$work/publisher/"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
	-keyout "$work/publisher.key" -out "$work/publisher.crt" -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 >"$work/openssl.log" 2>&1 || {
	cat "$work/openssl.log" >&2
	exit 1
}
pport=$(free_port)
/usr/bin/python3 "$SANKAKU_TOP/scripts/publisher.py" "$pport" "$work/publisher.crt" \
	"$work/publisher.key" "$work/publisher" >"$work/publisher.log" 2>&1 &
track $!
wait_for 10 grep -q ready "$work/publisher.log"
/usr/bin/python3 - "$work/sankaku.json" "https://127.0.0.1:$pport" "$work/publisher.crt" <<'PY'
import json, os, sys
path, base, crt = sys.argv[1:4]
c = json.load(open(path))
for s in c["sources"]:
    for f in s["feeds"]:
        f.update(url=base + "/" + os.path.basename(f["path"]), ca_file=crt)
json.dump(c, open(path, "w"), ensure_ascii=False, indent=1)
PY
echo
echo "== 1. three shared feeds: sankaku-fetch from their publisher (HTTPS), sankaku-rules -> Suricata rules"
"$SANKAKU_TOP/$B/sankaku-fetch" -c "$work/sankaku.json" | sed "s|$work/||"
"$SANKAKU_TOP/$B/sankaku-rules" -c "$work/sankaku.json" -o "$work/rules" --now 2026-11-26T00:00:00Z

# 2. sankakud first, as in production: it waits on the input list.  An
# analyst is already subscribed to the containment phase (sankakud learns
# who listens when it connects, and every 500 ms after).
echo
echo "== 2. sankakud consuming list 'suricata' at $url"
redis-cli -h "$host" -p "$port" SUBSCRIBE sankaku:phase:containment-eradication-recovery >"$work/subscriber.out" &
sub=$!
track $sub
wait_for 5 sh -c "redis-cli -h $host -p $port PUBSUB NUMSUB sankaku:phase:containment-eradication-recovery | tail -1 | grep -qx 1"
"$SANKAKU_TOP/$B/sankakud" -c "$work/sankaku.json" --redis "$url" 2>"$work/sankakud.log" &
daemon=$!
track $daemon
wait_for 10 grep -q "consuming input" "$work/sankakud.log" || {
	cat "$work/sankakud.log" >&2
	exit 1
}
# 3. Real Suricata on the bundled capture, EVE alerts into Redis.
echo
echo "== 3. Suricata $(suricata -V | sed 's/.*version //; s/ .*//') reading tests/pcap/demo.pcap"
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$work/suricata" "$port" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$work/rules/sankaku.rules"
if [ "$host" != 127.0.0.1 ]; then
	sed -i "s/^  server: 127.0.0.1$/  server: $host/" "$work/suricata/eve-redis.yaml"
fi
(cd "$work/suricata" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/demo.pcap" -k none -l "$work/suricata" >"$work/suricata.log" 2>&1) || {
	cat "$work/suricata.log" >&2
	exit 1
}
echo "   Suricata done: $(grep -o 'read 1 file, [0-9]* packets' "$work/suricata.log" || echo 'capture read')"

# 4. Wait until every alert is enriched and stored.
wait_for 20 sh -c "[ \"\$(redis-cli -h $host -p $port EXISTS suricata sankaku:inflight:demo sankaku:batch:demo:wait)\" = 0 ]"
stop_pid $daemon TERM
stop_pid $sub TERM
n=$(rcli XLEN sankaku:alerts)
echo
echo "== 4. $n enriched alerts on stream sankaku:alerts (as sankaku-tail prints them)"
"$SANKAKU_TOP/$B/sankaku-tail" --redis "$url" -n "$n" --once
echo "──────────────────────────────────────────────────────────────────────"
echo
echo "By phase:"
rcli --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' |
	jq -r '"\(.sankaku.phase.id)  \(.sankaku.phase.ja)"' | sort | uniq -c
echo
echo "The analyst subscribed to sankaku:phase:containment-eradication-recovery received $(grep -c '"sankaku"' "$work/subscriber.out") alerts."

# 5. The other way in: Suricata writes eve.json, sankaku-ship carries it.
echo
echo "== 5. the same capture the other way: eve.json -> sankaku-ship -> Redis"
SANKAKU_EVE=file sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$work/suricata-file" "$port" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$work/rules/sankaku.rules"
(cd "$work/suricata-file" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/demo.pcap" -k none -l "$work/suricata-file" >"$work/suricata-file.log" 2>&1) || {
	cat "$work/suricata-file.log" >&2
	exit 1
}
written=$(grep -c '"event_type":"alert"' "$work/suricata-file/eve.json")
before=$(rcli XLEN sankaku:alerts)
"$SANKAKU_TOP/$B/sankakud" -c "$work/sankaku.json" --redis "$url" 2>>"$work/sankakud.log" &
daemon=$!
track $daemon
cat >"$work/ship.json" <<JSON
{ "ship": { "eve": "$work/suricata-file/eve.json", "state": "$work/ship-state.json",
            "redis": "$url", "sensor": "demo-sensor", "metrics_listen": "" } }
JSON
"$SANKAKU_TOP/$B/sankaku-ship" -c "$work/ship.json" 2>"$work/ship.log" &
shipper=$!
track $shipper
wait_for 20 sh -c "[ \$(redis-cli -h $host -p $port XLEN sankaku:alerts) -ge $((before + written)) ]" || true
stop_pid $shipper TERM
stop_pid $daemon TERM
shipped=$(($(rcli XLEN sankaku:alerts) - before))
echo "   Suricata wrote $written alerts to eve.json; sankaku-ship pushed them, sankakud stored $shipped,"
echo "   each marked with the sensor's name: $(rcli --raw XREVRANGE sankaku:alerts + - COUNT 1 | sed -n 3p | jq -r .host)"
echo "   (the shipper survives Redis outages and its own crashes: README, \"Getting alerts into Redis\")"

# 6. Past logs: the protocol events Suricata keeps of the same capture,
# searched for the feeds' indicators (the triangle's "search past logs").
echo
echo "== 6. past logs: sankaku-hunt searches Suricata's protocol events for the feeds' indicators"
SANKAKU_EVE=protocols sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$work/suricata-proto" "$port" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules"
(cd "$work/suricata-proto" && suricata -c suricata.yaml -r "$SANKAKU_TOP/tests/pcap/demo.pcap" -k none -l "$work/suricata-proto" >"$work/suricata-proto.log" 2>&1) || {
	cat "$work/suricata-proto.log" >&2
	exit 1
}
echo "   (the capture is from 2023, the feeds from 2026: no rule of the day could have seen it)"
# a line a hit, shortened for the demo (sankaku-hunt's own lines carry
# ports, publication and the indicator's name too); values made printable
"$SANKAKU_TOP/$B/sankaku-hunt" -c "$work/sankaku.json" --json "$work/suricata-proto/eve.json" 2>"$work/hunt.log" |
	jq -r 'def p: tostring | gsub("[[:cntrl:]]"; "?");
		[(.timestamp | .[0:19] | p), (.event_type | p), "\(.src_ip | p) -> \(.dest_ip | p)",
		 "\(.indicator.type | p) \(.indicator.value | p)\((.about // "") as $a |
			if $a != "" and (.indicator.value | ascii_downcase | contains($a | ascii_downcase) | not)
			then " (\($a | p))" else "" end)  [\(.indicator.sources | join(",") | p)]  \((.before_publication_s // 0) / 86400 | floor) days before its publication"] | join("\t")' |
	awk -F'\t' '!seen[$2 $4]++ { printf "   %s  %-8s  %-30s  %s\n", $1, $2, $3, $4 }' || true
sed 's/^/   /' "$work/hunt.log"

# 7. The incident desk: the alerts become incidents that move through
# the flow, with who acts and what they need; the console shows them.
echo
echo "== 7. sankaku-desk: incidents from the alerts, and the console"
dport=$(free_port)
sed -i "s|\"listen\": \"127.0.0.1:9760\"|\"listen\": \"127.0.0.1:$dport\"|" "$work/sankaku.json"
token=$("$SANKAKU_TOP/$B/sankaku-desk" -c "$work/sankaku.json" --add-user demo --team csirt)
# the token is a secret even here: to a file of the user's alone
tokfile=$SANKAKU_TOP/$B/demo-token
(umask 077 && echo "$token" >"$tokfile")
"$SANKAKU_TOP/$B/sankaku-desk" -c "$work/sankaku.json" --redis "$url" 2>"$work/desk.log" &
desk=$!
track $desk
desk_url="http://127.0.0.1:$dport"
caught_up() {
	[ "$(rcli XINFO GROUPS sankaku:alerts | awk 'p == "desk" && $0 == "pending" { getline; print; exit } $0 == "name" { getline; p = $0 }')" = 0 ] &&
		[ "$(rcli XINFO GROUPS sankaku:alerts | awk 'p == "desk" && $0 == "last-delivered-id" { getline; print; exit } $0 == "name" { getline; p = $0 }')" = \
			"$(rcli XINFO STREAM sankaku:alerts | awk '$0 == "last-generated-id" { getline; print; exit }')" ]
}
wait_for 20 caught_up || echo "   (the desk is still reading)"
echo "   one incident per attacked host, and one in triage for the vulnerability the feeds"
echo "   shared (CVE-2018-7600): the flow starts with information arriving, before any alert."
echo "   The desk counts each alert of the capture twice: once from Suricata's Redis output"
echo "   (step 3), once from sankaku-ship (step 5), whose copies carry the sensor's name and so"
echo "   are other alerts to its duplicate check (one path per sensor in a deployment)."
SANKAKU_DESK_URL=$desk_url SANKAKU_TOKEN=$token "$SANKAKU_TOP/$B/sankaku-desk" list all | sed 's/^/   /'
first=$(curl -s -H "Authorization: Bearer $token" "$desk_url/api/incidents" |
	jq -r '[.incidents[] | select(.asset != null)] | sort_by(.alerts.count) | last | .id')
if [ -n "$first" ] && [ "$first" != null ]; then
	echo
	SANKAKU_DESK_URL=$desk_url SANKAKU_TOKEN=$token "$SANKAKU_TOP/$B/sankaku-desk" show "$first" | sed 's/^/   /'
	# becoming a sender: what this incident taught us that no feed did
	echo
	echo "   What we would send out of it (sankaku-desk report $first misp green):"
	SANKAKU_DESK_URL=$desk_url SANKAKU_TOKEN=$token "$SANKAKU_TOP/$B/sankaku-desk" report "$first" misp green 2>&1 |
		jq -r 'if .Event then (.Event.Tag[0].name as $t | .Event.Attribute[] |
			"     \(.type) \(.value)  to_ids \(.to_ids)  \($t)  \(.comment | gsub("[[:cntrl:]]"; "?") | .[0:90])…")
			else "     \(.)" end' 2>/dev/null ||
		echo "     (nothing of our own to share)"
fi
cat <<CONSOLE

   The console: $desk_url/   (sign in with the token in $tokfile)
   Views: #/flow, #/queue, #/incident/<id>, #/ciso, #/organisation; ?lang=en or ?lang=ja.
CONSOLE
if [ -t 0 ] && [ -t 1 ]; then
	printf '   Press Enter to stop the demo (Redis, the desk) ... '
	read -r _ || true
fi

cat <<HINT

On your own Redis, with sankakud running (this demo's Redis stops now;
REDIS_URL=redis://host:port make demo runs it against yours):
  sankaku-tail --redis redis://HOST:PORT                        # follow the stream
  sankaku-tail --redis redis://HOST:PORT --channel 'sankaku:phase:*'
  sankaku-tail --redis redis://HOST:PORT --channel sankaku:role:C-1   # network forensics
  redis-cli -h HOST -p PORT SUBSCRIBE sankaku:source:jpcert-ew  # one source, raw JSON
sankakud's log for this run:
HINT
sed 's/^/  /' "$work/sankakud.log"
