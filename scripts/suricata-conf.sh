#!/bin/sh
# suricata-conf.sh OUTDIR REDIS_PORT RULEFILE...
# Write OUTDIR/suricata.yaml: a small, complete Suricata 7 config for
# reading captures, whose EVE output is sankaku's Redis fragment pointed at
# REDIS_PORT on loopback, loading the given rule files (absolute paths).
# SANKAKU_EVE=file writes eve.json in OUTDIR instead (for sankaku-ship);
# SANKAKU_EVE=both does both; SANKAKU_EVE=protocols writes only the
# protocol and flow events to eve.json, the past logs a sensor keeps (for
# sankaku-hunt).  Used by the demo and the end-to-end tests.
set -eu
out=$1
port=$2
shift 2
home="[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]"
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
sed "s/^  port: 6379$/  port: $port/" "$top/suricata-rules/sankaku-eve-redis.yaml" \
	>"$out/eve-redis.yaml"
grep -q "port: $port" "$out/eve-redis.yaml"
sed "s|^dir: .*|dir: $out/filestore|" "$top/suricata-rules/sankaku-file-hashes.yaml" \
	>"$out/file-hashes.yaml"
cat >"$out/suricata.yaml" <<YAML
%YAML 1.1
---
vars:
  address-groups:
    HOME_NET: "$home"
    EXTERNAL_NET: "any"
  port-groups:
    HTTP_PORTS: "80"
default-log-dir: $out
logging:
  default-log-level: notice
  outputs:
    - console:
        enabled: yes
outputs:
EVE_OUTPUTS
  - file-store: !include $out/file-hashes.yaml
  - stats:
      enabled: no
stats:
  enabled: no
app-layer:
  protocols:
    http:
      enabled: yes
      libhtp:
        default-config:
          request-body-limit: 100kb
          response-body-limit: 100kb
    tls:
      enabled: yes
      ja3-fingerprints: yes
    dns:
      tcp:
        enabled: yes
      udp:
        enabled: yes
classification-file: /etc/suricata/classification.config
reference-config-file: /etc/suricata/reference.config
rule-files:
YAML
case ${SANKAKU_EVE:-redis} in
redis) eve="  - eve-log: !include $out/eve-redis.yaml" ;;
file) eve="  - eve-log: !include $top/suricata-rules/sankaku-eve-file.yaml" ;;
both) eve="  - eve-log: !include $out/eve-redis.yaml
  - eve-log: !include $top/suricata-rules/sankaku-eve-file.yaml" ;;
protocols)
	cat >"$out/eve-protocols.yaml" <<PROTO
%YAML 1.1
---
enabled: yes
filetype: regular
filename: eve.json
types:
  - dns
  - http
  - tls
  - files
  - flow
PROTO
	eve="  - eve-log: !include $out/eve-protocols.yaml" ;;
*) echo "suricata-conf.sh: SANKAKU_EVE: redis, file, both or protocols" >&2; exit 2 ;;
esac
awk -v eve="$eve" '$0 == "EVE_OUTPUTS" {print eve; next} {print}' \
	"$out/suricata.yaml" >"$out/suricata.yaml.tmp"
mv "$out/suricata.yaml.tmp" "$out/suricata.yaml"
for r in "$@"; do
	case $r in /*) ;; *) echo "suricata-conf.sh: $r: not absolute" >&2; exit 2 ;; esac
	echo "  - $r" >>"$out/suricata.yaml"
done
