#!/bin/sh
# sankaku-acl: write the Redis ACL file for sankaku from its template.
#   SANKAKUD_PASSWORD=... ANALYST_PASSWORD=... sankaku-acl [TEMPLATE] >users.acl
# A password not given is generated and printed on stderr once.  Only the
# passwords' SHA-256 reach the file.
set -eu
tmpl=${1:-$(cd "$(dirname "$0")/.." && pwd)/etc/redis/sankaku-users.acl.in}
gen() { head -c 24 /dev/urandom | base64 | tr -d '/+=' ; }
if [ -z "${SANKAKUD_PASSWORD:-}" ]; then
	SANKAKUD_PASSWORD=$(gen)
	echo "sankakud password: $SANKAKUD_PASSWORD" >&2
fi
if [ -z "${ANALYST_PASSWORD:-}" ]; then
	ANALYST_PASSWORD=$(gen)
	echo "analyst password: $ANALYST_PASSWORD" >&2
fi
s1=$(printf '%s' "$SANKAKUD_PASSWORD" | sha256sum | cut -d' ' -f1)
s2=$(printf '%s' "$ANALYST_PASSWORD" | sha256sum | cut -d' ' -f1)
sed -e "s/@SANKAKUD_SHA256@/$s1/" -e "s/@ANALYST_SHA256@/$s2/" -e '/^#/d' "$tmpl"
