#!/bin/sh
# lint.sh: clang-format (the committed .clang-format) and cppcheck over the
# C sources; fails on any finding.
set -eu
cd "$(dirname "$0")/.."
files=$(ls lib/*.c net/*.c daemon/*.c daemon/*.h desk/*.c rules/*.c fetch/*.c ship/*.c tools/*.c include/*.h tests/unit/*.c tests/*.c tests/fuzz/*.c bench/*.c)
clang-format --dry-run -Werror $files
cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	--std=c11 --inline-suppr -Iinclude \
	--suppress=missingIncludeSystem --include=/usr/include/jansson.h \
	lib net daemon desk rules fetch ship tools tests/golden.c
# every man page renders without a warning
for m in man/*.[158]; do
	out=$(groff -k -Tutf8 -man -ww -z "$m" 2>&1) # UTF-8, as man(1) reads it
	[ -z "$out" ] || { echo "$m: $out" >&2; exit 1; }
done
# the Japanese guide writes the textbook's phases and the triangle's
# caveats exactly as the project's copy of the reference does
jq -r '.phases[].ja, .triangle.profiles[].caveat_ja' tests/fixtures/isog_reference.json |
	while IFS= read -r w; do
		grep -qF -- "$w" README.ja.md || { echo "README.ja.md: not as the textbook writes it: $w" >&2; exit 1; }
	done
echo "lint: clang-format, cppcheck, the man pages and the Japanese guide's terms clean"
