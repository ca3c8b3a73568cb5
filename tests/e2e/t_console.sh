#!/bin/sh
# The console in a real browser (Debian's Chromium driven by
# playwright-core, tests/browser): the desk fed by real Suricata through
# sankakud on the Drupal capture and the hostile ones; sign-in, the flow
# and its live counts, the queue and its keys, acting from the incident
# page (only the chart's moves offered), hostile strings as text, both
# languages, axe-core on every view; screenshots under build/console/.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/chromium ] || fail "no /usr/bin/chromium: make deps"
[ -d "$SANKAKU_TOP/tests/browser/node_modules/playwright-core" ] || fail "no playwright-core: make deps"
setup_redis "appendonly yes"
copy_demo "$T/demo"
DPORT=$(free_port)
# fin-isac's own MISP, which takes the events the console sends
misp_standin "$T/demo/misp.key"
python3 - "$T/demo/sankaku.json" "$URL" "$DPORT" "$MPORT" "$T/misp.crt" <<'PY'
import json, sys
p, url, port, mport, mcrt = sys.argv[1:6]
c = json.load(open(p))
c["redis"] = url
c["input"] = {"block_ms": 200}
c["desk"] = {"listen": "127.0.0.1:" + port}
c["organisation"] = {"pattern": "hybrid", "teams": [
    {"id": "soc", "name": {"ja": "監視センター", "en": "SOC"},
     "sourcing": "outsource", "roles": ["B-*"]},
    {"id": "csirt", "name": {"ja": "CSIRT", "en": "CSIRT"},
     "sourcing": "insource", "roles": ["C", "D", "F", "G", "A-2", "E"]}],
    "maturity": {"A": 3, "B": 4, "C": 3, "C-2": 2, "D": 3, "E": 2, "F": 3,
                 "G": 4, "H": 1, "I": 2}}
# how fresh the sources are: jpcert-ew fetched two hours ago, fin-isac
# fetched but never successfully, open-blocklist placed by the site
c["sources"][0]["feeds"][0]["url"] = "https://taxii.jpcert.example/api1/collections/ew/objects/"
c["sources"][0]["feeds"][0]["fetch"] = "taxii"
c["sources"][1]["feeds"][0]["url"] = "https://misp.isac.example/attributes/restSearch"
c["sources"][1]["feeds"][0]["fetch"] = "misp"
c["sources"][1]["misp_key_file"] = "misp.key"
c["sources"][1]["misp_url"] = "https://127.0.0.1:%s" % mport
c["sources"][1]["misp_ca_file"] = mcrt
json.dump(c, open(p, "w"), ensure_ascii=False)
PY
printf 'ok %s\n' $(($(date +%s) - 7200)) >"$T/demo/feeds/.early-warning.stix.json.fetch"
"$B/sankaku-rules" -c "$T/demo/sankaku.json" -o "$T/demo/rules" \
	--now 2026-11-26T00:00:00Z >"$T/rules.out" 2>&1 || fail "sankaku-rules: $(cat "$T/rules.out")"
TOKEN=$("$B/sankaku-desk" -c "$T/demo/sankaku.json" --add-user aoi --team soc) || fail "add-user"
"$B/sankakud" -c "$T/demo/sankaku.json" 2>"$T/sankakud.log" &
track $!
wait_for 10 grep -q "consuming input" "$T/sankakud.log" || fail "sankakud did not start"
"$B/sankaku-desk" -c "$T/demo/sankaku.json" 2>"$T/desk.log" &
DESK=$!
track $DESK
API="http://127.0.0.1:$DPORT"
wait_for 10 sh -c "curl -s $API/healthz | grep -q ok" || fail "desk not healthy: $(cat "$T/desk.log")"
sh "$SANKAKU_TOP/scripts/suricata-conf.sh" "$T/sc" "$PORT" \
	"$SANKAKU_TOP/suricata-rules/drupalgeddon2.rules" "$T/demo/rules/sankaku.rules" \
	"$SANKAKU_TOP/tests/e2e/rules/hostile.rules"
for p in desk-drupal hostile-http hostile-dns; do
	(cd "$T/sc" && suricata -c suricata.yaml --runmode single -r "$SANKAKU_TOP/tests/pcap/$p.pcap" \
		-k none -l "$T/sc" >>"$T/suricata.log" 2>&1) || fail "suricata: $(tail "$T/suricata.log")"
done
hostile() {
	curl -s -H "Authorization: Bearer $TOKEN" "$API/api/incidents?state=all" |
		jq -r '.incidents[] | select([.signatures[].signature] | any(test("<script"))) | .id' | head -1
}
wait_for 20 sh -c "[ -n \"\$(curl -s -H 'Authorization: Bearer $TOKEN' '$API/api/incidents?state=all' |
	jq -r '.incidents[] | select([.signatures[].signature] | any(test(\"<script\"))) | .id')\" ]" ||
	fail "the hostile alerts did not arrive"
# one new alert, later: an exploitation attempt on a host not seen yet
cat >"$T/new.json" <<'JSON'
{"timestamp":"2026-11-28T09:00:00.000001+0000","flow_id":77001,"in_iface":"eth0","event_type":"alert","src_ip":"203.0.113.66","src_port":40123,"dest_ip":"192.168.99.7","dest_port":80,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2025655,"rev":4,"signature":"ET WEB_SPECIFIC_APPS Drupalgeddon2 Drupal 8 Remote Code Execution Attempt (CVE-2018-7600)","category":"Web Application Attack","severity":1,"metadata":{"cve":["CVE_2018_7600"],"attack_target":["Web_Server"]}},"app_proto":"http","http":{"hostname":"drupal.corp.example","url":"/user/register","http_method":"POST","protocol":"HTTP/1.1","status":200,"length":5120}}
JSON
mkdir -p "$SANKAKU_TOP/build/console"
DESK=$API TOKEN=$TOKEN REDIS_PORT=$PORT OUT="$SANKAKU_TOP/build/console" \
	AXE="$SANKAKU_TOP/tests/browser/node_modules/axe-core/axe.min.js" \
	PUSH="redis-cli -p $PORT -x LPUSH suricata <'$T/new.json' >/dev/null" \
	HOSTILE_ID=$(hostile) MISP_LOG="$T/misp.log" \
	node "$SANKAKU_TOP/tests/browser/console.test.mjs" >"$T/browser.out" 2>&1 || rc=$?
cat "$T/browser.out"
[ "${rc:-0}" -eq 0 ] || fail "the browser tests"
kill -0 $DESK || fail "the desk died"
