#!/bin/sh
# deps.sh: install every build, run and test dependency of sankaku on a
# Debian 12 (bookworm) machine. Idempotent: a second run changes nothing.
# Suricata 7 comes from bookworm-backports; nothing else does.
set -eu

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: must run as root (apt-get)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive

BACKPORTS=/etc/apt/sources.list.d/bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	cat >"$BACKPORTS" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

PKGS="build-essential pkg-config clang libclang-rt-14-dev clang-format cppcheck
valgrind libevent-dev libhiredis-dev libjansson-dev libsystemd-dev libssl-dev openssl
libcurl4-openssl-dev
libcmocka-dev redis-server redis-tools python3 python3-scapy jq curl bc
procps iproute2 systemd time chromium fonts-ipafont-gothic stunnel4"

missing=""
for p in $PKGS suricata; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing="$missing $p"
done
# Node.js and npm: Debian's, unless the machine has its own already
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
	missing="$missing nodejs npm"
if [ -n "$missing" ]; then
	echo "deps.sh: installing:$missing"
	apt-get update -q
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $PKGS
	command -v npm >/dev/null 2>&1 ||
		apt-get install -y -q --no-install-recommends nodejs npm
	apt-get install -y -q --no-install-recommends -t bookworm-backports suricata
fi

# The browser tests' driver, from the npm registry, exactly as locked
# (tests/browser/package-lock.json); again only when the lock changed.
top=$(cd "$(dirname "$0")/.." && pwd)
if ! cmp -s "$top/tests/browser/package-lock.json" \
	"$top/tests/browser/node_modules/.sankaku-lock" 2>/dev/null; then
	echo "deps.sh: npm ci (tests/browser)"
	(cd "$top/tests/browser" && npm ci --no-audit --no-fund --ignore-scripts >/dev/null)
	cp "$top/tests/browser/package-lock.json" "$top/tests/browser/node_modules/.sankaku-lock"
fi
if [ -z "$missing" ]; then
	echo "deps.sh: all dependencies present"
	exit 0
fi

# The packages may start system services; sankaku only uses private
# instances on free ports, so leave the system ones as the admin wants them.
suricata -V
