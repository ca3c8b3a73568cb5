#!/bin/sh
# Gauges that /metrics reports and the README promises: the output
# stream's length (and a warning at 90 % of output.stream_maxlen), the
# dead-letter list's length, the input backlog, the lists in processing.
. "$(dirname "$0")/lib.sh"
setup_redis
MPORT=$(free_port)
metric() { curl -s "http://127.0.0.1:$MPORT/metrics" | awk -v m="sankaku_$1" '$1 == m {print $2}'; }
METRICS="127.0.0.1:$MPORT" write_config "$T/c.json" '"output": { "stream_maxlen": 1000 },'
start_daemon "$T/c.json"
assert_eq "stream length before any alert" 0 "$(metric stream_length)"
push 1500 1
printf '%s\n' 'not json' 'nor this' | /usr/bin/python3 "$SANKAKU_TOP/scripts/resp.py" LPUSH suricata | r --pipe >/dev/null
wait_for 20 drained || fail "not drained"
xlen=$(r XLEN sankaku:alerts)
[ "$xlen" -ge 900 ] || fail "the stream was trimmed below 90 %: $xlen"
# a chunk's first XADD trims (MAXLEN ~): at most a chunk (input.batch 256)
# and a stream node (100 entries) over the cap
[ "$xlen" -le 1356 ] || fail "the stream was not kept near its cap: $xlen"
wait_for 5 sh -c "[ \"\$(curl -s http://127.0.0.1:$MPORT/metrics | awk '\$1 == \"sankaku_stream_length\" {print \$2}')\" = $xlen ]" ||
	fail "sankaku_stream_length $(metric stream_length), XLEN $xlen"
wait_for 5 grep -q "output stream is long key=sankaku:alerts length=[0-9]* warn_at=900" "$T/sankakud.log" ||
	fail "no warning near stream_maxlen: $(grep -c 'is long' "$T/sankakud.log") warnings"
assert_eq "the warning is given once" 1 "$(grep -c 'output stream is long' "$T/sankakud.log")"
wait_for 5 sh -c "[ \"\$(curl -s http://127.0.0.1:$MPORT/metrics | awk '\$1 == \"sankaku_deadletter_length\" {print \$2}')\" = 2 ]" ||
	fail "sankaku_deadletter_length $(metric deadletter_length)"
assert_eq "input backlog once drained" 0 "$(metric input_backlog)"
assert_eq "lists in processing once drained" 0 "$(metric processing_length)"
stop_pid $DPID
