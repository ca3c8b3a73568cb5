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
valgrind libevent-dev libhiredis-dev libjansson-dev libsystemd-dev
libcmocka-dev redis-server redis-tools python3 python3-scapy jq curl bc
procps iproute2 systemd time"

missing=""
for p in $PKGS suricata; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$' || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps.sh: all dependencies present"
	exit 0
fi

echo "deps.sh: installing:$missing"
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PKGS
apt-get install -y -q --no-install-recommends -t bookworm-backports suricata

# The packages may start system services; sankaku only uses private
# instances on free ports, so leave the system ones as the admin wants them.
suricata -V
