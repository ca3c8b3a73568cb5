#!/bin/sh
# one.sh RESULTS NAME: run the end-to-end test NAME (run.sh's worker); its
# verdict to RESULTS/NAME.ok or RESULTS/NAME.fail (with its output), and
# to stdout in one write.
res=$1
name=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
start=$(date +%s)
if sh "$top/tests/e2e/$name.sh" >"$res/$name.out" 2>&1; then
	took=$(($(date +%s) - start))
	echo "ok   $name ($took s) ${BUILD:-build}" >"$res/$name.ok"
	echo "$name $took" >"$res/$name.time"
	cat "$res/$name.ok"
else
	{
		echo "FAIL $name"
		sed 's/^/     /' "$res/$name.out"
	} >"$res/$name.fail"
	cat "$res/$name.fail"
fi
