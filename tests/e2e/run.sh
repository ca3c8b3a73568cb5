#!/bin/sh
# Run every end-to-end test (tests/e2e/t_*.sh), E2E_JOBS at a time (default
# 2: most of a test's time is spent waiting on Redis, Suricata or a
# timeout, and each test has its own ports and directory).  The longest
# first, so the last one to finish is short.  Logs are kept only for
# failures.  Prints "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
jobs=${E2E_JOBS:-2}
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT

# Seconds a test took last time (kept in build/), or 0.
last() { awk -v t="$1" '$1 == t {print $2}' "$top/build/e2e-times" 2>/dev/null | tail -1; }

for t in "$top"/tests/e2e/t_*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${E2E_ONLY:-}" ]; then
		case " $E2E_ONLY " in *" $name "*) ;; *) continue ;; esac
	fi
	took=$(last "$name")
	echo "${took:-0} $name"
done | sort -rn | awk '{print $2}' >"$res/order"

xargs -P "$jobs" -n 1 sh "$top/tests/e2e/one.sh" "$res" <"$res/order"
mkdir -p "$top/build"
cat "$res"/*.time >"$top/build/e2e-times" 2>/dev/null || true
pass=$(find "$res" -name '*.ok' | wc -l)
failed=$(find "$res" -name '*.fail' | wc -l)
echo "e2e: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
