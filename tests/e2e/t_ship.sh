#!/bin/sh
# Nothing lost before Redis: real Suricata, live on loopback, writes
# eve.json while captures are replayed onto the wire; sankaku-ship carries
# it to Redis and sankakud enriches it.  During the replay: sankaku-ship
# is killed with SIGKILL twice, Redis is restarted twice, eve.json is
# rotated by rename and SIGHUP and by copytruncate.  Every alert Suricata
# wrote (counted in eve.json and its rotated files) ends enriched in
# sankaku:alerts, with the sensor's name.  The same Suricata also writes
# straight to Redis (its own Redis output, into another list): that path
# loses the alerts of the Redis outages, which is why the shipper exists.
. "$(dirname "$0")/lib.sh"
setup_redis "appendonly yes" "appendfsync always"
copy_demo "$T/demo"
"$B/sankaku-rules" -c "$T/demo/sankaku.json" -o "$T/demo/rules" \
	--now 2026-11-26T00:00:00Z >"$T/rules.out" 2>&1 || fail "sankaku-rules failed"
SC=$T/sc
SANKAKU_EVE=both sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$SC" "$PORT" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$T/demo/rules/sankaku.rules"
# a record of every alert Suricata writes, never rotated: copytruncate
# loses the lines written between its copy and its truncation from the
# files, which the shipper may have read already
awk '{print} /sankaku-eve-file.yaml/ {print "  - eve-log:\n      enabled: yes\n      filetype: regular\n      filename: eve-record.json\n      types:\n        - alert"}' \
	"$SC/suricata.yaml" >"$SC/suricata.yaml.tmp" && mv "$SC/suricata.yaml.tmp" "$SC/suricata.yaml"
grep -q "eve-record.json" "$SC/suricata.yaml" || fail "no record output"
# Suricata's own Redis output into a list nobody reads: what it delivers
sed -i 's/^  key: suricata$/  key: suricata-direct/' "$SC/eve-redis.yaml"
grep -q "key: suricata-direct" "$SC/eve-redis.yaml" || fail "direct key not set"

"$B/sankakud" -c "$T/demo/sankaku.json" --redis "$URL" 2>>"$T/sankakud.log" &
DPID=$!
track $DPID
wait_for 10 grep -q "consuming input" "$T/sankakud.log" || fail "sankakud did not start"

(cd "$SC" && exec suricata -c suricata.yaml --pcap=lo -k none -l "$SC" \
	"not host 127.0.0.1 and not ip6") >"$T/suricata.log" 2>&1 &
SURI=$!
track $SURI
wait_for 60 grep -q "Engine started" "$T/suricata.log" ||
	fail "suricata did not start: $(tail -5 "$T/suricata.log")"

MPORT=$(free_port)
cat >"$T/ship.json" <<JSON
{ "ship": { "eve": "$SC/eve.json", "state": "$T/ship-state.json",
            "redis": "$URL", "sensor": "sensor-e2e", "batch": 16,
            "poll_ms": 100, "checkpoint_ms": 50,
            "metrics_listen": "127.0.0.1:$MPORT" } }
JSON
start_ship() {
	# a fresh metrics port each start: the killed one's may be taken by a
	# test running beside this one meanwhile
	MPORT=$(free_port)
	sed -i "s|\"metrics_listen\": \"127.0.0.1:[0-9]*\"|\"metrics_listen\": \"127.0.0.1:$MPORT\"|" "$T/ship.json"
	"$B/sankaku-ship" -c "$T/ship.json" 2>>"$T/ship.log" &
	SPID=$!
	track $SPID
}
start_ship

# the traffic: demo.pcap onto the wire every 0.2 s for 9 s, each round
# with other client ports (new flows, new alerts)
/usr/bin/python3 - "$SANKAKU_TOP/tests/pcap/demo.pcap" >"$T/traffic.log" 2>&1 <<'PY' &
import sys, time
from scapy.all import rdpcap, sendp, TCP, UDP
pkts = rdpcap(sys.argv[1])
end = time.time() + 9
n = 0
while time.time() < end:
    out = []
    for p in pkts:
        q = p.copy()
        l4 = q.getlayer(TCP) or q.getlayer(UDP)
        if l4 is not None:
            move = lambda port: 30000 + (port + n * 97) % 30000
            if l4.sport > l4.dport:
                l4.sport = move(l4.sport)
            else:
                l4.dport = move(l4.dport)
            del l4.chksum
        out.append(q)
    sendp(out, iface="lo", verbose=0)
    n += 1
    time.sleep(0.2)
print(n)
PY
TPID=$!
track $TPID

restart_redis() {
	stop_pid $REDIS_PID
	sleep 1.2
	redis-server "$T/redis/redis.conf" &
	REDIS_PID=$!
	track $REDIS_PID
	wait_for 10 r ping || fail "redis did not come back"
}

sleep 1
kill -KILL $SPID
start_ship
sleep 1
mv "$SC/eve.json" "$SC/eve.json.1" # logrotate: rename, then the HUP
kill -HUP $SURI
sleep 1
restart_redis
sleep 1
cp "$SC/eve.json" "$SC/eve.json-copy" && : >"$SC/eve.json" # copytruncate
sleep 1
kill -KILL $SPID
sleep 0.5
start_ship
sleep 1
restart_redis
wait $TPID || fail "traffic: $(cat "$T/traffic.log")"

# alert keys: (timestamp, flow, signature) of every alert in eve.json and
# its rotated files, and of every alert Suricata wrote at all
keys() { jq -R -r 'fromjson? | select(.event_type == "alert") |
	[.timestamp, .flow_id, .alert.signature_id] | @tsv' | sort -u; }
cat "$SC"/eve.json* | keys >"$T/written"
keys <"$SC/eve-record.json" >"$T/record"
stored() {
	r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' |
		jq -r '[.timestamp, .flow_id, .alert.signature_id] | @tsv' |
		sort -u >"$T/stored"
	[ -z "$(comm -23 "$T/written" "$T/stored")" ]
}
written=$(wc -l <"$T/written")
assert_ge "alerts Suricata wrote" 200 "$written"
wait_for 60 stored || fail "$(comm -23 "$T/written" "$T/stored" | wc -l) of $written alerts missing from sankaku:alerts"
assert_eq "nothing stored that Suricata did not write" "" "$(comm -13 "$T/record" "$T/stored")"
assert_eq "each carries the sensor's name" "sensor-e2e" \
	"$(r --raw XRANGE sankaku:alerts - + | awk 'NR % 3 == 0' | jq -r .host | sort -u)"
grep -q "(renamed, a new file written under the name)" "$T/ship.log" ||
	fail "rename not followed: $(cat "$T/ship.log")"
grep -q "finished file=eve.json-copy\|truncated: the rest read from its copy\|truncated: its copy holds nothing more\|truncated while stopped" \
	"$T/ship.log" || fail "copytruncate not followed: $(cat "$T/ship.log")"
curl -s "http://127.0.0.1:$MPORT/metrics" >"$T/metrics.txt"
grep -q '^sankaku_ship_events_total [1-9]' "$T/metrics.txt" ||
	fail "metrics: $(grep events_total "$T/metrics.txt")"
assert_eq "no dead letters" "0" "$(r LLEN sankaku:deadletter)"

# Suricata's own Redis output, beside it: the outages' alerts are gone
direct=$(r LRANGE suricata-direct 0 -1 | jq -R -r 'fromjson? |
	select(.event_type == "alert") | [.timestamp, .flow_id, .alert.signature_id] | @tsv' |
	sort -u | wc -l)
lost=$((written - direct))
echo "  Suricata wrote $written alerts; sankaku-ship delivered all; Suricata's Redis output $direct (lost $lost)"
assert_ge "Suricata's Redis output lost alerts in the outages" 1 "$lost"
kill -0 $DPID || fail "sankakud died"
