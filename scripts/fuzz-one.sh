#!/bin/sh
# fuzz-one.sh NAME LIBFUZZER-ARGS...: one libFuzzer harness (build/fuzz/NAME)
# on its seeds, after every input that once crashed it (the Makefile runs
# two at a time).  Its log: build/fuzz/NAME.log; on a crash, its tail.
set -eu
f=$1
shift
seeds=tests/fuzz/corpus/${f#fuzz_}
work=build/fuzz/work-$f
mkdir -p "$work"
if [ -d "tests/fuzz/regress/${f#fuzz_}" ]; then
	build/fuzz/"$f" -runs=0 tests/fuzz/regress/"${f#fuzz_}"/* \
		>build/fuzz/"$f"-regress.log 2>&1 ||
		{ cat build/fuzz/"$f"-regress.log; exit 1; }
fi
build/fuzz/"$f" "$@" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix=build/fuzz/"$f"- -print_final_stats=1 "$work" "$seeds" \
	>build/fuzz/"$f".log 2>&1 || { tail -40 build/fuzz/"$f".log; exit 1; }
echo "fuzz $f: $(grep -o 'stat::number_of_executed_units: [0-9]*' \
	build/fuzz/"$f".log | grep -o '[0-9]*') runs, no crash"
