#!/bin/sh
# bench/run.sh: sankaku's benchmarks, side by side in one run on one
# private redis-server (`make bench`).  A benchmark, not a test: nothing
# here passes or fails on a number.
#
#   1. drain: 200,000 Suricata 7 EVE alerts of ~1.4 KB preloaded into the
#      list "suricata"; fever 1.3.7 (pipelined RPOP, no output) and sankakud
#      (full enrichment, stream, publishing on, at least once), each timed
#      until the list is empty (sankakud: and every enriched alert stored).
#      sankakud twice: into an empty stream (Redis allocating as the stream
#      grows: the first fill), then with the stream at its cap
#      (output.stream_maxlen = the alerts of the first run), where each new
#      entry replaces an old one: how a running deployment stores;
#   2. the Redis limit: the same command mix sankakud sends, replayed with
#      redis-cli --pipe (Redis alone, no client work);
#   3. single-alert latency into an idle pipeline (1000 alerts), and the
#      floor under it: a bare relay (probe.c) measured the same way;
#   4. peak RSS of sankakud after 200,000 and after 1,000,000 alerts;
#   5. the enrichment alone (us per event);
#   6. 1,000,000 indicators (CSV: domains, addresses, URLs, address:port,
#      MD5) -> rules (sankaku-rules, wall time and peak RSS) next to the
#      time Suricata takes to load them (suricata -T); and a STIX 2.1
#      bundle of 100,000 indicators (each object parsed on its own);
#      sankaku-hunt reading the N alerts of 1 as past logs against that
#      index (events a second after the index is loaded, and the load);
#   7. a realistic mix of alert kinds and sizes: fever and sankakud in
#      both output forms (output.form full and compact), first fill and at
#      cap, alternating rounds, medians, and the bytes of a stream entry;
#   8. sankaku-ship: the alerts of 1 as eve.json, pushed into the list from
#      a fresh checkpoint, against sankakud's drain rate at cap;
#   9. sankaku-desk: the mix about 300 hosts (gen-eve.py --hosts 300),
#      enriched by sankakud (full form), counted into incidents by the
#      desk from the stream, against sankakud's rate on the same alerts;
#      then both as deployed (the desk running while sankakud drains
#      five times N such alerts flat out, the stream capped at N/10):
#      the desk's lag when sankakud is done, whether it stayed bounded
#      (the second half of the run no further behind than the first,
#      but for its batching) and whether it counted every alert; and the Redis CPU per alert
#      each of the two costs.
# Prints a table and writes bench/out/results.json.
# BENCH_N (default 200000), BENCH_BIG (default 1000000, 0 skips the RSS run),
# BENCH_ROUNDS (default 3, the mix's rounds).
set -eu
SANKAKU_TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$SANKAKU_TOP/scripts/lib.sh"
B=$SANKAKU_TOP/build
OUT=$SANKAKU_TOP/bench/out
N=${BENCH_N:-200000}
BIG=${BENCH_BIG:-1000000}
mkdir -p "$OUT"
work=$(mktemp -d /tmp/sankaku-bench.XXXXXX)
trap 'cleanup; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

if ! command -v fever >/dev/null 2>&1; then
	echo "bench: installing fever from bookworm-backports (the peer)"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		-t bookworm-backports fever >"$work/fever-install.log" 2>&1 ||
		echo "bench: fever could not be installed; its column stays empty"
fi
cc -O2 -o "$work/probe" "$SANKAKU_TOP/bench/probe.c" $(pkg-config --cflags --libs hiredis)
cc -O2 -I"$SANKAKU_TOP/include" -o "$work/enrich_bench" \
	"$SANKAKU_TOP/bench/enrich_bench.c" "$B"/libsankaku.a \
	$(pkg-config --cflags --libs jansson)

PORT=$(free_port)
start_redis "$work/redis" "$PORT" "${BENCH_REDIS_CONF:-}"
rcli() { redis-cli -p "$PORT" "$@"; }
probe() { "$work/probe" "$@"; }

echo "bench: generating $N alerts"
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" "$N" >"$work/eve.txt"
/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata <"$work/eve.txt" >"$work/push.resp"
preload() {
	rcli FLUSHALL >/dev/null
	refill
}
refill() { # the input again, the rest (the stream) kept
	rcli DEL suricata >/dev/null
	rcli --pipe <"$work/push.resp" >/dev/null
	[ "$(rcli LLEN suricata)" = "$N" ]
}
added() { # entries ever added to the stream (0 before it exists)
	[ "$(rcli EXISTS sankaku:alerts)" = 1 ] || { echo 0; return; }
	rcli XINFO STREAM sankaku:alerts | awk 'p {print; exit} /^entries-added$/ {p = 1}'
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

cat >"$work/sankaku.json" <<JSON
{ "redis": "redis://127.0.0.1:$PORT", "consumer": "bench",
  "metrics": { "listen": "" },
  "output": { "stream_maxlen": 1000000 },
  "sources": [ { "id": "jpcert-ew", "triangle": "speed-accuracy", "tlp": "amber" },
               { "id": "fin-isac", "triangle": "speed-coverage", "tlp": "green" } ] }
JSON

# 1a. fever
fever_rate=null
if command -v fever >/dev/null 2>&1; then
	preload
	fever run -r "127.0.0.1:$PORT" -o '' -i "$work/fever.sock" \
		--mgmt-socket "$work/fever-mgmt.sock" --dummy >"$work/fever.log" 2>&1 &
	fpid=$!
	track $fpid
	t=$(probe wait 127.0.0.1 "$PORT" 300 suricata)
	stop_pid $fpid
	fever_rate=$(echo "$N / $t" | bc)
	echo "bench: fever drained $N in $t s"
fi

# drain CONFIG [BINARY]: sankakud empties the preloaded input; sets t,
# rate, stored (entries added to the stream), us_alert and us_redis (CPU
# per alert) and rss (its peak)
drain() {
	a0=$(added)
	r0=$(ticks "$REDIS_PID")
	"${2:-$B/sankakud}" -c "$1" 2>>"$work/sankakud.log" &
	dpid=$!
	track $dpid
	t=$(probe wait 127.0.0.1 "$PORT" 300 suricata sankaku:inflight:bench sankaku:batch:bench:wait)
	d_cpu=$(ticks $dpid)
	d_redis=$(($(ticks "$REDIS_PID") - r0))
	rss=$(awk '/VmHWM/{print $2}' /proc/$dpid/status)
	stop_pid $dpid
	stored=$(($(added) - a0))
	rate=$(echo "$N / $t" | bc)
	us_alert=$(echo "scale=2; $d_cpu * 1000000 / $hz / $N" | bc)
	us_redis=$(echo "scale=2; $d_redis * 1000000 / $hz / $N" | bc)
}

# 1b. sankakud into an empty stream (first fill)
preload
drain "$work/sankaku.json"
fill_rate=$rate fill_stored=$stored d_rss=$rss
fill_us_alert=$us_alert fill_us_redis=$us_redis
echo "bench: sankakud drained $N into an empty stream in $t s, stored $fill_stored"

# 1c. sankakud with the stream at its cap (steady state)
sed "s/\"stream_maxlen\": 1000000/\"stream_maxlen\": $N/" "$work/sankaku.json" >"$work/cap.json"
refill
drain "$work/cap.json"
d_rate=$rate stored_cap=$stored
cap_us_alert=$us_alert cap_us_redis=$us_redis # drain overwrites them
echo "bench: sankakud drained $N into the stream at its cap ($(rcli XLEN sankaku:alerts) entries) in $t s, stored $stored_cap"
rcli --raw XRANGE sankaku:alerts - + COUNT 1 | sed -n 3p |
	jq -c .sankaku >"$work/sankaku-object.json"
doc_bytes=$(rcli --raw XRANGE sankaku:alerts - + COUNT 1 | sed -n 3p | wc -c)

# 1d. the other store backend, at cap: checked per chunk
sed 's/"output": {/"output": { "acks": "chunk",/' "$work/cap.json" >"$work/cap-chunk.json"
refill
drain "$work/cap-chunk.json"
chunk_rate=$rate chunk_us_alert=$us_alert chunk_us_redis=$us_redis
echo "bench: sankakud (acks chunk) drained $N at cap in $t s, stored $stored"

# 1e. a baseline binary (BENCH_BASELINE=path/to/sankakud), the same way in
# the same run, both store backends: before/after ratios of a change
base_rate=null base_chunk_rate=null
if [ -n "${BENCH_BASELINE:-}" ]; then
	refill
	drain "$work/cap.json" "$BENCH_BASELINE"
	base_rate=$rate
	refill
	drain "$work/cap-chunk.json" "$BENCH_BASELINE"
	base_chunk_rate=$rate
	refill
	drain "$work/cap.json"
	d_rate2=$rate
	echo "bench: baseline at cap $base_rate (its default acks) / $base_chunk_rate (chunk); this build again $d_rate2"
fi

# 2. the Redis limit: the same command mix, Redis alone, the stream at its
# cap as in 1c
refill
/usr/bin/python3 "$SANKAKU_TOP/bench/gen-mix.py" "$work/eve.txt" "$work/sankaku-object.json" "$N" >"$work/mix.resp"
r0=$(ticks "$REDIS_PID")
t0=$(date +%s.%N)
rcli --pipe <"$work/mix.resp" >/dev/null
t1=$(date +%s.%N)
limit_rate=$(echo "$N / ($t1 - $t0)" | bc)
# per second of Redis CPU: what one fully busy redis-server absorbs
limit_cpu_rate=$(echo "$N * $hz / ($(ticks "$REDIS_PID") - $r0)" | bc)

# 3. latency of a lone alert; then the floor under it on this machine:
# the bare relay of probe.c (the same round trips, no enrichment, no
# event loop) measured the same way, right after
rcli FLUSHALL >/dev/null
"$B/sankakud" -c "$work/sankaku.json" 2>>"$work/sankakud.log" &
dpid=$!
track $dpid
wait_for 10 grep -q "consuming input" "$work/sankakud.log"
lat=$(probe latency 127.0.0.1 "$PORT" 1000 "$work/eve.txt")
stop_pid $dpid
rcli FLUSHALL >/dev/null
"$work/probe" relay 127.0.0.1 "$PORT" &
rpid=$!
track $rpid
lat_floor=$(probe latency 127.0.0.1 "$PORT" 1000 "$work/eve.txt")
stop_pid $rpid

# 4. RSS after BIG alerts
big_rss=null
if [ "$BIG" -gt 0 ]; then
	rcli FLUSHALL >/dev/null
	rcli CONFIG SET save "" >/dev/null
	sed 's/"stream_maxlen": 1000000/"stream_maxlen": 100000/' "$work/sankaku.json" >"$work/big.json"
	"$B/sankakud" -c "$work/big.json" 2>>"$work/sankakud.log" &
	dpid=$!
	track $dpid
	wait_for 10 grep -q "consuming input" "$work/sankakud.log"
	i=0
	while [ $i -lt $((BIG / N)) ]; do
		rcli --pipe <"$work/push.resp" >/dev/null
		probe wait 127.0.0.1 "$PORT" 300 suricata sankaku:inflight:bench sankaku:batch:bench:wait >/dev/null
		i=$((i + 1))
	done
	big_rss=$(awk '/VmHWM/{print $2}' /proc/$dpid/status)
	stop_pid $dpid
fi

# 5. enrichment alone
head -20000 "$work/eve.txt" >"$work/eve20k.txt"
enr=$("$work/enrich_bench" "$work/sankaku.json" "$work/eve20k.txt" 5)

# 6. 1M indicators -> rules, and Suricata loading them
/usr/bin/python3 "$SANKAKU_TOP/bench/gen-iocs.py" 1000000 "$work/iocs"
t0=$(date +%s.%N)
/usr/bin/time -f %M -o "$work/rules-rss" \
	"$B/sankaku-rules" -c "$work/iocs/sankaku.json" -o "$work/iocs/out" >/dev/null
t1=$(date +%s.%N)
rules_s=$(echo "$t1 - $t0" | bc)
rules_rss=$(tail -1 "$work/rules-rss")
/usr/bin/python3 "$SANKAKU_TOP/bench/gen-stix.py" 100000 "$work/stix"
t0=$(date +%s.%N)
"$B/sankaku-rules" -c "$work/stix/sankaku.json" -o "$work/stix/out" >/dev/null
t1=$(date +%s.%N)
stix_s=$(echo "$t1 - $t0" | bc)
t0=$(date +%s.%N)
"$B/sankaku-hunt" --index "$work/iocs/out/sankaku.index" /dev/null 2>/dev/null || true
t1=$(date +%s.%N)
hunt_load_s=$(echo "$t1 - $t0" | bc)
t0=$(date +%s.%N)
/usr/bin/time -f %M -o "$work/hunt-rss" "$B/sankaku-hunt" --index "$work/iocs/out/sankaku.index" \
	"$work/eve.txt" >/dev/null 2>&1 || true
t1=$(date +%s.%N)
hunt_rss=$(tail -1 "$work/hunt-rss")
hunt_rate=$(echo "$N / ($t1 - $t0 - $hunt_load_s)" | bc)
hunt_mbs=$(echo "$(wc -c <"$work/eve.txt") / ($t1 - $t0 - $hunt_load_s) / 1000000" | bc)
t0=$(date +%s.%N)
(cd / && suricata -T -c /etc/suricata/suricata.yaml -S "$work/iocs/out/sankaku.rules" -l "$work" >/dev/null 2>&1)
t1=$(date +%s.%N)
load_s=$(echo "$t1 - $t0" | bc)

# 7. a realistic mix (gen-eve.py --mix: shared-indicator hits, ET POLICY,
# ET WEB_SPECIFIC_APPS, ET INFO; 0.7-1.5 KB), fever and sankakud in both
# output forms, and the compact form with stores checked per chunk (what
# OPERATIONS advises for a Redis at its limit), first fill and at cap, in
# alternating rounds; medians
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" --mix "$N" >"$work/mix.txt"
/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata <"$work/mix.txt" >"$work/push.resp"
for form in full compact; do
	sed "s/\"output\": {/\"output\": { \"form\": \"$form\",/" "$work/sankaku.json" >"$work/mix-$form.json"
	sed "s/\"stream_maxlen\": 1000000/\"stream_maxlen\": $N/" "$work/mix-$form.json" >"$work/mix-$form-cap.json"
done
for cap in "" -cap; do
	sed 's/"output": {/"output": { "acks": "chunk",/' "$work/mix-compact$cap.json" >"$work/mix-checked$cap.json"
done
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
: >"$work/mix-rates"
for round in $(seq "${BENCH_ROUNDS:-3}"); do
	if [ "$fever_rate" != null ]; then
		preload
		fever run -r "127.0.0.1:$PORT" -o '' -i "$work/fever.sock" \
			--mgmt-socket "$work/fever-mgmt.sock" --dummy >>"$work/fever.log" 2>&1 &
		fpid=$!
		track $fpid
		t=$(probe wait 127.0.0.1 "$PORT" 300 suricata)
		stop_pid $fpid
		echo "fever $(echo "$N / $t" | bc)" >>"$work/mix-rates"
	fi
	for form in full compact checked; do
		preload
		drain "$work/mix-$form.json"
		echo "$form-fill $rate" >>"$work/mix-rates"
		refill
		drain "$work/mix-$form-cap.json"
		echo "$form-cap $rate" >>"$work/mix-rates"
		echo "$form-cpu $us_alert $us_redis" >>"$work/mix-cpu"
		rcli --raw XREVRANGE sankaku:alerts + - COUNT 1000 |
			awk 'NR % 3 == 0 {n++; s += length($0) + 1} END {print int(s / n)}' >"$work/mix-$form-bytes"
	done
done
mix() { awk -v k="$1" '$1 == k {print $2}' "$work/mix-rates" | median; }
# CPU per alert at cap, medians of the rounds: sankakud's, then Redis'
mix_cpu() { awk -v k="$1-cpu" -v c="$2" '$1 == k {print $c}' "$work/mix-cpu" | median | sed 's/^\./0./'; }
mix_fever=$(mix fever)
mix_fever=${mix_fever:-null}
mix_ratio() {
	if [ "$mix_fever" = null ]; then echo null; else echo "scale=2; $(mix "$1") / $mix_fever" | bc; fi
}
# each round's rate over the same round's fever: the rounds alternate, so
# this pairs runs minutes apart at most, where the ratio of the medians
# can pair a fast fever round with a slow one of ours
round_ratios() {
	awk -v k="$1" '$1 == "fever" {f = $2} $1 == k && f > 0 {printf "%.2f\n", $2 / f}' "$work/mix-rates"
}
# "median (min-max)" of numbers, one a line (n/a for none)
spread() {
	_v=$(sort -n)
	if [ -z "$_v" ]; then echo n/a; else
		echo "$(echo "$_v" | median) ($(echo "$_v" | head -1)-$(echo "$_v" | tail -1))"
	fi
}
json_list() { paste -sd, | sed 's/^/[/; s/$/]/'; }
round_summary() { round_ratios "$1" | spread; }
round_json() { round_ratios "$1" | json_list; }
fever_rounds=$(awk '$1 == "fever" {print $2}' "$work/mix-rates" | json_list)
fever_spread=$(awk '$1 == "fever" {print $2}' "$work/mix-rates" | spread)
[ "$fever_spread" = n/a ] || fever_spread="$fever_spread alerts/s"
mix_bytes_in=$(awk '{n++; s += length($0) + 1} END {print int(s / n)}' "$work/mix.txt")
mix_bytes_full=$(cat "$work/mix-full-bytes")
mix_bytes_compact=$(cat "$work/mix-compact-bytes")
mix_bytes_checked=$(cat "$work/mix-checked-bytes")
echo "bench: mix rounds (alerts/s):" $(tr '\n' ' ' <"$work/mix-rates")

# 8. sankaku-ship: eve.json (the single-shape alerts) into the list, from
# a fresh checkpoint, until every event is acknowledged
rcli FLUSHALL >/dev/null
cat >"$work/ship.json" <<JSON
{ "ship": { "eve": "$work/eve.txt", "state": "$work/ship-state.json",
            "redis": "redis://127.0.0.1:$PORT", "max_backlog": 0,
            "metrics_listen": "" } }
JSON
t0=$(date +%s.%N)
"$B/sankaku-ship" -c "$work/ship.json" 2>>"$work/ship.log" &
spid=$!
track $spid
while [ "$(rcli LLEN suricata)" -lt "$N" ]; do sleep 0.02; done
t1=$(date +%s.%N)
ship_cpu=$(ticks $spid)
ship_rss=$(awk '/VmHWM/{print $2}' /proc/$spid/status)
stop_pid $spid
ship_rate=$(echo "$N / ($t1 - $t0)" | bc)
ship_us=$(echo "scale=2; $ship_cpu * 1000000 / $hz / $N" | bc)
echo "bench: sankaku-ship pushed $N in $(echo "$t1 - $t0" | bc) s"

# 9. sankaku-desk: the stream of N enriched alerts about 300 hosts, read
# by the desk until every one is counted into an incident
rcli FLUSHALL >/dev/null
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" --hosts 300 "$N" |
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata >"$work/hosts.resp"
rcli --pipe <"$work/hosts.resp" >/dev/null
drain "$work/sankaku.json"
desk_feed_rate=$rate
desk_feed_us=$us_alert
desk_feed_redis_us=$us_redis
DPORT=$(free_port)
sed "s|\"metrics\": { \"listen\": \"\" },|\"metrics\": { \"listen\": \"\" }, \"desk\": { \"listen\": \"127.0.0.1:$DPORT\", \"users_file\": \"$work/users.json\" },|" \
	"$work/sankaku.json" >"$work/desk.json"
counted() { curl -s "http://127.0.0.1:$DPORT/metrics" | awk '/^sankaku_desk_alerts_total /{print $2}'; }
t0=$(date +%s.%N)
r0=$(ticks "$REDIS_PID")
"$B/sankaku-desk" -c "$work/desk.json" 2>>"$work/desk.log" &
kpid=$!
track $kpid
while [ "$(counted)" != "$N" ]; do sleep 0.05; done
t1=$(date +%s.%N)
desk_cpu=$(ticks $kpid)
desk_redis_us=$(echo "scale=2; ($(ticks "$REDIS_PID") - $r0) * 1000000 / $hz / $N" | bc)
desk_rss=$(awk '/VmHWM/{print $2}' /proc/$kpid/status)
desk_incidents=$(curl -s "http://127.0.0.1:$DPORT/metrics" | awk '/^sankaku_desk_incidents\{state="open"\} /{print $2}')
stop_pid $kpid
desk_rate=$(echo "$N / ($t1 - $t0)" | bc)
desk_us=$(echo "scale=2; $desk_cpu * 1000000 / $hz / $N" | bc)
echo "bench: sankaku-desk counted $N into $desk_incidents incidents in $(echo "$t1 - $t0" | bc) s"

# 9b. both as deployed: the desk waiting on the stream, then sankakud
# draining five times N alerts flat out (long enough to see whether the
# desk's lag grows) on the same two cores and one Redis, the stream
# capped at a tenth of N (output.stream_maxlen): an entry
# the desk has not read by the time the cap passes it is trimmed unread,
# and then never counted (the desk tells how many).  The desk's lag
# when sankakud is done, and whether it counted every alert.
rcli FLUSHALL >/dev/null
TN=$((N * 5))
/usr/bin/python3 "$SANKAKU_TOP/scripts/gen-eve.py" --hosts 300 "$TN" |
	/usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata >"$work/together.resp"
together_cap=$((N / 10))
sed "s/\"stream_maxlen\": 1000000/\"stream_maxlen\": $together_cap/" "$work/desk.json" >"$work/together.json"
"$B/sankaku-desk" -c "$work/together.json" 2>>"$work/desk.log" &
kpid=$!
track $kpid
while [ -z "$(counted)" ] || [ "$(rcli XINFO GROUPS sankaku:alerts 2>/dev/null | grep -c desk)" = 0 ]; do
	sleep 0.05
done
rcli --pipe <"$work/together.resp" >/dev/null
rm -f "$work/together.resp"
# the desk's lag (alerts added to the stream, not yet counted), sampled
# every 0.1 s while sankakud drains
: >"$work/lags"
(
	while :; do
		a=$(rcli XINFO STREAM sankaku:alerts | awk '$0 == "entries-added" { getline; print }')
		echo $((${a:-0} - $(counted))) >>"$work/lags"
		sleep 0.1
	done
) &
sampler=$!
track $sampler
n_alone=$N
N=$TN # drain's rate is of N alerts
drain "$work/together.json"
N=$n_alone
stop_pid $sampler
# keeping up: the lag stays bounded (the second half of the run no
# further behind than the first, give or take the desk's batching: up to
# 20,000 alerts read and in hand), and none when sankakud is done; a desk
# 1% slower than sankakud would end 10,000 behind on a million alerts
# the largest lag of each half of the samples, and of all
set -- $(awk '{ v[NR] = $1 } END { for (i = 1; i <= NR; i++) { h = i > int(NR / 2); if (v[i] > m[h]) m[h] = v[i] } print m[0] + 0, m[1] + 0 }' "$work/lags")
together_lag1=$1 together_lag2=$2
together_maxlag=$((together_lag1 > together_lag2 ? together_lag1 : together_lag2))
together_rate=$rate
together_lag=$((TN - $(counted)))
# how much of that time the one Redis was busy (both pipelines share it)
together_redis=$(echo "scale=0; $d_redis * 100 / $hz / $t" | bc)
c0=-1
while c1=$(counted) && [ "$c1" != "$TN" ] && [ "$c1" != "$c0" ]; do
	c0=$c1
	sleep 2
done
together_counted=$(counted)
# what the desk told of the ones it missed (at its next tick)
unread() { curl -s "http://127.0.0.1:$DPORT/metrics" | awk '/^sankaku_desk_unread_trimmed_total /{print $2}'; }
i=0
while [ "$together_counted" != "$TN" ] && [ "$(unread)" = 0 ] && [ $i -lt 60 ]; do
	sleep 0.25
	i=$((i + 1))
done
together_unread=$(unread)
stop_pid $kpid
echo "bench: together, stream capped at $together_cap: sankakud $together_rate/s, the desk $together_lag behind when it was done, $together_counted of $TN counted, $together_unread told trimmed unread"

ratio=null
fill_ratio=null
if [ "$fever_rate" != null ]; then
	ratio=$(echo "scale=2; $d_rate / $fever_rate" | bc)
	fill_ratio=$(echo "scale=2; $fill_rate / $fever_rate" | bc)
fi
p50=$(echo "$lat" | jq .p50_ms)
p99=$(echo "$lat" | jq .p99_ms)
pmax=$(echo "$lat" | jq .max_ms)
enr_us=$(echo "$enr" | jq .us_per_event)

# The targets the capacity plan is held to: on the mix in the compact
# form, at cap at least twice fever's rate and on first fill one and a
# half times; a lone alert's p99 within 0.5 ms.
meets() {
	case $1 in
	null | "") echo "not measured" ;;
	*) awk -v a="$1" -v b="$3" -v op="$2" \
		'BEGIN { print ((op == ">=" ? a + 0 >= b + 0 : a + 0 <= b + 0) ? "met" : "not met") }' ;;
	esac
}
t_cap=$(meets "$(mix_ratio compact-cap)" ">=" 2)
t_fill=$(meets "$(mix_ratio compact-fill)" ">=" 1.5)
t_cap_chunk=$(meets "$(mix_ratio checked-cap)" ">=" 2)
t_fill_chunk=$(meets "$(mix_ratio checked-fill)" ">=" 1.5)
t_p99=$(meets "$p99" "<=" 0.5)

cat <<TABLE

sankaku benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), $N alerts of ~$(head -1 "$work/eve.txt" | wc -c) B)
-------------------------------------------------------------------------
drain rate, fever 1.3.7 (RPOP, no output, at most once)   ${fever_rate} alerts/s
drain rate, sankakud (enrich + XADD + publish, at least once):
  stream at its cap (steady state)                         ${d_rate} alerts/s, ${stored_cap} stored
  empty stream (first fill)                                ${fill_rate} alerts/s, ${fill_stored} stored
  at cap, stores checked per chunk (acks chunk)            ${chunk_rate} alerts/s
store backends at cap: checked / acknowledged              $(echo "scale=2; $chunk_rate / $d_rate" | bc)  (CPU per alert sankakud ${chunk_us_alert} / ${cap_us_alert} us, redis ${chunk_us_redis} / ${cap_us_redis} us)
ratio sankakud / fever: at cap / first fill                ${ratio} / ${fill_ratio}
Redis limit, same command mix via redis-cli --pipe         ${limit_rate} alerts/s wall, ${limit_cpu_rate} per Redis CPU second
CPU per alert sankakud / redis-server: at cap              ${cap_us_alert} us / ${cap_us_redis} us
                                       first fill          ${fill_us_alert} us / ${fill_us_redis} us
enrichment alone                                           ${enr_us} us/alert
single-alert latency p50 / p99 / max                       ${p50} / ${p99} / ${pmax} ms
  floor: a bare relay, no enrichment (probe.c)             $(echo "$lat_floor" | jq -r '"\(.p50_ms) / \(.p99_ms) / \(.max_ms)"') ms
peak RSS sankakud: after $N / after $BIG alerts        ${d_rss} KB / ${big_rss} KB
enriched alert size                                        ${doc_bytes} B
1,000,000 indicators: sankaku-rules / suricata -T load     ${rules_s} s / ${load_s} s  (ratio $(echo "scale=2; $rules_s / $load_s" | bc); sankaku-rules peak RSS ${rules_rss} KB)
100,000 STIX 2.1 indicators: sankaku-rules                 ${stix_s} s
sankaku-hunt, $N events against 1,000,000 indicators   ${hunt_rate} events/s (${hunt_mbs} MB/s) after loading the index in ${hunt_load_s} s; peak RSS ${hunt_rss} KB
sankaku-ship, eve.json -> list (vs sankakud at cap)        ${ship_rate} events/s (ratio $(echo "scale=2; $ship_rate / $d_rate" | bc)), ${ship_us} us CPU/event, peak RSS ${ship_rss} KB
realistic mix, medians of ${BENCH_ROUNDS:-3} alternating rounds (alerts of ~${mix_bytes_in} B):
  fever                                                    ${mix_fever} alerts/s
  sankakud, output.form full: at cap / first fill          $(mix full-cap) / $(mix full-fill) alerts/s  (ratio $(mix_ratio full-cap) / $(mix_ratio full-fill)), entry ${mix_bytes_full} B, CPU per alert at cap sankakud $(mix_cpu full 2) us / redis $(mix_cpu full 3) us
  sankakud, output.form compact: at cap / first fill       $(mix compact-cap) / $(mix compact-fill) alerts/s  (ratio $(mix_ratio compact-cap) / $(mix_ratio compact-fill)), entry ${mix_bytes_compact} B, CPU per alert at cap sankakud $(mix_cpu compact 2) us / redis $(mix_cpu compact 3) us
  compact, output.acks chunk: at cap / first fill          $(mix checked-cap) / $(mix checked-fill) alerts/s  (ratio $(mix_ratio checked-cap) / $(mix_ratio checked-fill)), entry ${mix_bytes_checked} B, CPU per alert at cap sankakud $(mix_cpu checked 2) us / redis $(mix_cpu checked 3) us
  each round at cap over that round's fever, median (min-max):  full $(round_summary full-cap), compact $(round_summary compact-cap), acks chunk $(round_summary checked-cap); fever's rounds ${fever_spread}
sankaku-desk, the stream into incidents (300 hosts):
  alone, from a full stream                                ${desk_rate} alerts/s (ratio to sankakud alone on the same alerts, ${desk_feed_rate}/s: $(echo "scale=2; $desk_rate / $desk_feed_rate" | bc)), ${desk_us} us CPU/alert, peak RSS ${desk_rss} KB
  together with sankakud draining flat out, stream capped  sankakud ${together_rate} alerts/s; the desk at most ${together_maxlag} alerts behind (${together_lag1} in the first half of the run, ${together_lag2} in the second), ${together_lag} when sankakud was done, ${together_counted} of $TN counted, ${together_unread} told trimmed unread (cap ${together_cap}); redis-server busy ${together_redis}% of the time
  one Redis for both: its CPU per alert                    sankakud ${desk_feed_redis_us} us + the desk ${desk_redis_us} us = $(echo "$desk_feed_redis_us + $desk_redis_us" | bc) us, against the desk's own ${desk_us} us (sankakud's ${desk_feed_us} us)
targets, the mix in the compact form:
  at cap >= 2x fever                                       $(mix_ratio compact-cap) ${t_cap} (acks chunk $(mix_ratio checked-cap) ${t_cap_chunk})
  first fill >= 1.5x fever                                 $(mix_ratio compact-fill) ${t_fill} (acks chunk $(mix_ratio checked-fill) ${t_fill_chunk})
  a lone alert's p99 <= 0.5 ms                             ${p99} ms ${t_p99} (the bare relay's floor $(echo "$lat_floor" | jq .p99_ms) ms)
rerun: make bench   (BENCH_N, BENCH_BIG, BENCH_ROUNDS to change the sizes)
TABLE
if [ "$base_rate" != null ]; then
	echo "this build / baseline ($BENCH_BASELINE), at cap: default acks $(echo "scale=2; $d_rate2 / $base_rate" | bc), acks chunk $(echo "scale=2; $chunk_rate / $base_chunk_rate" | bc)"
fi

cat >"$OUT/results.json" <<JSON
{"date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "alerts": $N,
 "fever_alerts_per_s": $fever_rate, "sankakud_alerts_per_s": $d_rate,
 "ratio": $ratio, "sankakud_first_fill_alerts_per_s": $fill_rate,
 "ratio_first_fill": $fill_ratio,
 "first_fill_cpu_us_per_alert": {"sankakud": $fill_us_alert, "redis": $fill_us_redis}, "redis_limit_alerts_per_s": $limit_rate,
 "redis_limit_alerts_per_redis_cpu_s": $limit_cpu_rate,
 "sankakud_cpu_us_per_alert": $cap_us_alert, "redis_cpu_us_per_alert": $cap_us_redis,
 "acks_chunk": {"alerts_per_s": $chunk_rate, "cpu_us_per_alert": {"sankakud": $chunk_us_alert, "redis": $chunk_us_redis}},
 "baseline_at_cap": {"default": $base_rate, "chunk": $base_chunk_rate},
 "enrich_us_per_alert": $enr_us, "latency": $lat, "latency_floor": $lat_floor,
 "peak_rss_kb": {"after_$N": $d_rss, "after_$BIG": $big_rss},
 "rules_1m_s": $rules_s, "suricata_load_1m_s": $load_s,
 "rules_1m_peak_rss_kb": $rules_rss, "rules_stix_100k_s": $stix_s,
 "hunt": {"events_per_s": $hunt_rate, "mb_per_s": $hunt_mbs, "index_1m_load_s": $hunt_load_s, "peak_rss_kb": $hunt_rss},
 "ship": {"events_per_s": $ship_rate, "cpu_us_per_event": $ship_us, "peak_rss_kb": $ship_rss},
 "desk": {"alerts_per_s": $desk_rate, "sankakud_same_alerts_per_s": $desk_feed_rate, "cpu_us_per_alert": $desk_us, "redis_cpu_us_per_alert": $desk_redis_us, "sankakud_same_alerts_cpu_us_per_alert": {"sankakud": $desk_feed_us, "redis": $desk_feed_redis_us}, "peak_rss_kb": $desk_rss, "incidents": $desk_incidents,
  "together": {"alerts": $TN, "stream_maxlen": $together_cap, "sankakud_alerts_per_s": $together_rate, "desk_max_lag": $together_maxlag, "desk_max_lag_halves": [$together_lag1, $together_lag2], "desk_lag_when_drained": $together_lag, "counted": $together_counted, "told_trimmed_unread": $together_unread, "redis_busy_pct": $together_redis}},
 "mix": {"alert_bytes": $mix_bytes_in, "fever_alerts_per_s": $mix_fever, "fever_rounds": $fever_rounds,
  "full": {"at_cap": $(mix full-cap), "first_fill": $(mix full-fill), "ratio_at_cap": $(mix_ratio full-cap), "ratio_first_fill": $(mix_ratio full-fill), "entry_bytes": $mix_bytes_full, "round_ratios_at_cap": $(round_json full-cap), "cpu_us_per_alert_at_cap": {"sankakud": $(mix_cpu full 2), "redis": $(mix_cpu full 3)}},
  "compact": {"at_cap": $(mix compact-cap), "first_fill": $(mix compact-fill), "ratio_at_cap": $(mix_ratio compact-cap), "ratio_first_fill": $(mix_ratio compact-fill), "entry_bytes": $mix_bytes_compact, "round_ratios_at_cap": $(round_json compact-cap), "cpu_us_per_alert_at_cap": {"sankakud": $(mix_cpu compact 2), "redis": $(mix_cpu compact 3)}},
  "compact_acks_chunk": {"at_cap": $(mix checked-cap), "first_fill": $(mix checked-fill), "ratio_at_cap": $(mix_ratio checked-cap), "ratio_first_fill": $(mix_ratio checked-fill), "entry_bytes": $mix_bytes_checked, "round_ratios_at_cap": $(round_json checked-cap), "cpu_us_per_alert_at_cap": {"sankakud": $(mix_cpu checked 2), "redis": $(mix_cpu checked 3)}}},
 "targets": {"mix_compact_at_cap_2x": "$t_cap", "mix_compact_first_fill_1_5x": "$t_fill",
  "mix_compact_acks_chunk_at_cap_2x": "$t_cap_chunk", "mix_compact_acks_chunk_first_fill_1_5x": "$t_fill_chunk", "lone_alert_p99_0_5_ms": "$t_p99"}}
JSON
echo "wrote $OUT/results.json"
