#!/bin/sh
# sankaku-refresh: rebuild the Suricata rules from the configured feeds and
# put them in force only if they are good; the rules in force stay
# otherwise.  Run by sankaku-rules.service (its timer); by hand:
#   sankaku-refresh [-c CONFIG] [-s STATE_DIR] [-f]
# With -f (from cron, or by hand), sankaku-fetch brings the feeds that have
# a url first; one it cannot fetch keeps its last copy.  (Under systemd,
# sankaku-fetch.service does that before this runs, in a unit of its own:
# this one has no network.)
# It writes STATE/rules.<time>/ with sankaku-rules (passing the set in
# force as --previous, so that a broken feed's last good set stays
# deployed), checks it with `suricata -T` when Suricata is installed, then
# switches the symlink STATE/rules to it in one rename.  With
# SANKAKU_TEXTFILE_DIR set, the run's gauges (sankaku-rules.prom) are
# copied there for node_exporter's textfile collector.  Reloading Suricata
# (suricatasc -c reload-rules) and sankakud (SIGHUP) is the unit's job
# (ExecStartPost, which runs only when this exits 0).
# Exit: 0 switched (some indicators may have been refused, or a feed kept
# on its last good set: see the log), 1 nothing changed.
set -eu
CONF=${SANKAKU_CONFIG:-/etc/sankaku/sankaku.json}
STATE=${STATE_DIRECTORY:-/var/lib/sankaku}
RULES=${SANKAKU_RULES:-sankaku-rules}
FETCH=${SANKAKU_FETCH:-sankaku-fetch}
fetch=no
while getopts c:s:f o; do
	case $o in
	c) CONF=$OPTARG ;;
	s) STATE=$OPTARG ;;
	f) fetch=yes ;;
	*) echo "usage: sankaku-refresh [-c CONFIG] [-s STATE_DIR] [-f]" >&2; exit 2 ;;
	esac
done
if [ "$fetch" = yes ] && ! "$FETCH" -c "$CONF"; then
	echo "sankaku-refresh: level=warn msg=\"a feed could not be fetched (see above): its last copy is read\"" >&2
fi
new="$STATE/rules.$(date -u +%Y%m%dT%H%M%SZ).$$"
rc=0
if [ -d "$STATE/rules" ]; then
	"$RULES" -c "$CONF" -o "$new" --previous "$STATE/rules" || rc=$?
else
	"$RULES" -c "$CONF" -o "$new" || rc=$?
fi
case $rc in
0) ;;
1) echo "sankaku-refresh: level=warn msg=\"some indicators were refused (see above); the others are deployed\"" >&2 ;;
3) echo "sankaku-refresh: level=warn msg=\"a feed is broken (see above): its last good set, if any, stays deployed\" report=$new/sankaku-report.json" >&2 ;;
*)
	echo "sankaku-refresh: level=error msg=\"sankaku-rules failed; rules in force kept\"" >&2
	rm -rf "$new"
	exit 1
	;;
esac
if [ "${SANKAKU_VALIDATE:-yes}" = yes ] && command -v suricata >/dev/null 2>&1 &&
	[ -r /etc/suricata/suricata.yaml ]; then
	if ! suricata -T -c /etc/suricata/suricata.yaml -S "$new/sankaku.rules" \
		-l "$new" >"$new/suricata-T.log" 2>&1; then
		echo "sankaku-refresh: level=error msg=\"suricata -T refused the new rules; rules in force kept\" log=$new/suricata-T.log" >&2
		exit 1
	fi
fi
# one rename: Suricata and sankakud see the old set or the new, never half
ln -sfn "$(basename "$new")" "$STATE/rules.next"
mv -Tf "$STATE/rules.next" "$STATE/rules"
if [ -n "${SANKAKU_TEXTFILE_DIR:-}" ] && [ -d "$SANKAKU_TEXTFILE_DIR" ]; then
	# written aside and renamed: node_exporter never reads half a file
	cp "$new/sankaku-rules.prom" "$SANKAKU_TEXTFILE_DIR/.sankaku-rules.prom.$$" &&
		mv -f "$SANKAKU_TEXTFILE_DIR/.sankaku-rules.prom.$$" "$SANKAKU_TEXTFILE_DIR/sankaku-rules.prom"
fi
# keep the three newest sets
ls -1d "$STATE"/rules.2* 2>/dev/null | sort | head -n -3 | while read -r old; do
	rm -rf "$old"
done
echo "sankaku-refresh: level=info msg=\"rules in force\" dir=$new"
