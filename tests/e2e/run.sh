#!/bin/sh
# Run every end-to-end test (tests/e2e/t_*.sh); logs are kept only for
# failures.  Prints "N passed, N failed".
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
failed=0
names=""
for t in "$top"/tests/e2e/t_*.sh; do
	name=$(basename "$t" .sh)
	if [ -n "${E2E_ONLY:-}" ]; then
		case " $E2E_ONLY " in *" $name "*) ;; *) continue ;; esac
	fi
	out=$(mktemp)
	start=$(date +%s)
	if sh "$t" >"$out" 2>&1; then
		pass=$((pass + 1))
		echo "ok   $name ($(($(date +%s) - start)) s) ${BUILD:-build}"
	else
		failed=$((failed + 1))
		names="$names $name"
		echo "FAIL $name"
		sed 's/^/     /' "$out"
	fi
	rm -f "$out"
done
echo "e2e: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
