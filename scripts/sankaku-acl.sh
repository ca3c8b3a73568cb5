#!/bin/sh
# sankaku-acl: write the Redis ACL file for sankaku from its template.
#
#   sankaku-acl -o ACLFILE [-p SANKAKUD_PASSWORD_FILE] [-a ANALYST_PASSWORD_FILE]
#               [-d DESK_PASSWORD_FILE] [-t TEMPLATE]
#
# Passwords come from $SANKAKUD_PASSWORD, $ANALYST_PASSWORD and
# $DESK_PASSWORD, or are generated.  Only their SHA-256 reach ACLFILE.  With -p (or -a) a password
# is written to that file (mode 0600) for redis_password_file or systemd's
# LoadCredential=; a generated password not written to a file is printed
# once, on stdout, after everything else has succeeded.  Every file is
# written under a temporary name and renamed into place: a failure leaves
# the files there were, and prints no password.
set -eu
default_tmpl=$(cd "$(dirname "$0")/.." && pwd)/etc/redis/sankaku-users.acl.in
tmpl=$default_tmpl
out=
pfile=
afile=
dfile=
usage() {
	echo "usage: sankaku-acl -o ACLFILE [-p SANKAKUD_PASSWORD_FILE] [-a ANALYST_PASSWORD_FILE] [-d DESK_PASSWORD_FILE] [-t TEMPLATE]" >&2
	exit 2
}
while getopts o:p:a:d:t:h o; do
	case $o in
	o) out=$OPTARG ;;
	p) pfile=$OPTARG ;;
	a) afile=$OPTARG ;;
	d) dfile=$OPTARG ;;
	t) tmpl=$OPTARG ;;
	h) usage ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] && [ -n "$out" ] || usage
die() {
	echo "sankaku-acl: $*" >&2
	rm -f "$out.tmp.$$" ${pfile:+"$pfile.tmp.$$"} ${afile:+"$afile.tmp.$$"} ${dfile:+"$dfile.tmp.$$"}
	exit 1
}
[ -r "$tmpl" ] || die "cannot read the template $tmpl"
gen() { head -c 24 /dev/urandom | base64 | tr -d '/+=\n'; }
printed_s=
printed_a=
printed_d=
sp=${SANKAKUD_PASSWORD:-}
ap=${ANALYST_PASSWORD:-}
dp=${DESK_PASSWORD:-}
[ -n "$sp" ] || { sp=$(gen); [ -n "$pfile" ] || printed_s=1; }
[ -n "$ap" ] || { ap=$(gen); [ -n "$afile" ] || printed_a=1; }
[ -n "$dp" ] || { dp=$(gen); [ -n "$dfile" ] || printed_d=1; }
s1=$(printf '%s' "$sp" | sha256sum | cut -d' ' -f1)
s2=$(printf '%s' "$ap" | sha256sum | cut -d' ' -f1)
s3=$(printf '%s' "$dp" | sha256sum | cut -d' ' -f1)
umask 077
sed -e "s/@SANKAKUD_SHA256@/$s1/" -e "s/@ANALYST_SHA256@/$s2/" -e "s/@DESK_SHA256@/$s3/" -e '/^#/d' \
	"$tmpl" >"$out.tmp.$$" 2>/dev/null || die "cannot write $out"
grep -q "^user sankakud on #$s1 " "$out.tmp.$$" || die "$tmpl is not sankaku's ACL template"
chmod 640 "$out.tmp.$$"
if [ -n "$pfile" ]; then
	printf '%s\n' "$sp" >"$pfile.tmp.$$" 2>/dev/null || die "cannot write $pfile"
fi
if [ -n "$afile" ]; then
	printf '%s\n' "$ap" >"$afile.tmp.$$" 2>/dev/null || die "cannot write $afile"
fi
if [ -n "$dfile" ]; then
	printf '%s\n' "$dp" >"$dfile.tmp.$$" 2>/dev/null || die "cannot write $dfile"
fi
mv -f "$out.tmp.$$" "$out" || die "cannot rename into $out"
[ -z "$pfile" ] || mv -f "$pfile.tmp.$$" "$pfile" || die "cannot rename into $pfile"
[ -z "$afile" ] || mv -f "$afile.tmp.$$" "$afile" || die "cannot rename into $afile"
[ -z "$dfile" ] || mv -f "$dfile.tmp.$$" "$dfile" || die "cannot rename into $dfile"
[ -z "$printed_s" ] || echo "sankakud password: $sp"
[ -z "$printed_a" ] || echo "analyst password: $ap"
[ -z "$printed_d" ] || echo "desk password: $dp"
echo "sankaku-acl: wrote $out" >&2
