#!/usr/bin/python3
"""gen-eve.py: synthetic Suricata 7 EVE alerts, one JSON per line.

    gen-eve.py [--mix] COUNT [START]   -> stdout

A mix of DNS, HTTP and TLS alerts of about 1.4 KB, with alert.metadata from
sankaku-made rules (sankaku_* keys) and ET-Open-style rules, shaped like
what Suricata 7.0.10 writes.  Each event has a unique flow_id (START + i),
so tests can count what came out.

--hosts N: the mix, every alert about one of N inside hosts
(10.20.0.1 ...), evenly, inbound or outbound (the desk's load test).

--mix: what a sensor sends in a day instead, sizes 0.7 to 1.5 KB: 30%
shared-indicator hits (DNS, TLS, HTTP; some listed in the index, some
not), 25% ET POLICY, 25% ET WEB_SPECIFIC_APPS exploit attempts against
the web server, 20% ET INFO; no padding.
"""
import json
import sys

DOMAINS = ["update.evil-cdn.example", "login.phish-kit.example",
           "dl.badfiles.example", "cdn.example", "www.example"]


def alert(i):
    kind = i % 3
    ts = "2026-11-26T01:%02d:%02d.%06d+0000" % (i // 60 % 60, i % 60, i % 999999)
    ev = {
        "timestamp": ts, "flow_id": i, "in_iface": "eth0",
        "event_type": "alert", "src_ip": "192.168.10.%d" % (i % 250 + 1),
        "src_port": 40000 + i % 20000, "dest_ip": "203.0.113.%d" % (i % 250 + 1),
        "dest_port": 443 if kind == 2 else (53 if kind == 0 else 80),
        "proto": "UDP" if kind == 0 else "TCP", "pkt_src": "wire/pcap",
        "tx_id": 0, "host": "sensor-%d" % (i % 3),
    }
    dom = DOMAINS[i % len(DOMAINS)]
    if i % 2 == 0:
        ev["alert"] = {
            "action": "allowed", "gid": 1, "signature_id": 1860060,
            "rev": 1,
            "signature": "SANKAKU domain DNS query listed (compromise) by fin-isac,jpcert-ew",
            "category": "A Network Trojan was detected", "severity": 1,
            "metadata": {"sankaku_evidence": ["compromise"],
                         "sankaku_ioc_type": ["domain"],
                         "sankaku_source": ["fin-isac", "jpcert-ew"]}}
    else:
        ev["alert"] = {
            "action": "allowed", "gid": 1, "signature_id": 2027758, "rev": 3,
            "signature": "ET MALWARE Observed Malicious SSL Cert (Demo CnC)",
            "category": "A Network Trojan was detected", "severity": 1,
            "metadata": {
                "affected_product": ["Windows_XP_Vista_7_8_10_Server_32_64_Bit"],
                "attack_target": ["Client_Endpoint"],
                "created_at": ["2019_07_23"], "deployment": ["Perimeter"],
                "former_category": ["MALWARE"],
                "malware_family": ["Demo"],
                "signature_severity": ["Major"], "updated_at": ["2026_01_05"],
                "mitre_tactic_id": ["TA0011"],
                "mitre_tactic_name": ["Command_And_Control"],
                "mitre_technique_id": ["T1573"],
                "mitre_technique_name": ["Encrypted_Channel"]}}
    if kind == 0:
        ev["app_proto"] = "dns"
        ev["dns"] = {"query": [{"type": "query", "id": i % 65536,
                                "rrname": dom, "rrtype": "A", "tx_id": 0,
                                "opcode": 0}]}
    elif kind == 1:
        ev["app_proto"] = "http"
        ev["http"] = {"hostname": dom, "url": "/payload/stage2.bin?id=%d" % i,
                      "http_user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
                      "http_content_type": "application/octet-stream",
                      "http_method": "GET", "protocol": "HTTP/1.1",
                      "status": 200, "length": 48213}
    else:
        ev["app_proto"] = "tls"
        ev["tls"] = {"subject": "CN=%s" % dom, "issuerdn": "CN=Demo CA",
                     "serial": "00:E8:%02X" % (i % 256),
                     "fingerprint": "6a:ff:ac:39:9d:4e:2c:7a:1b:00:11:22:33:44:55:66:77:88:99:aa",
                     "sni": dom, "version": "TLS 1.2",
                     "notbefore": "2026-01-01T00:00:00",
                     "notafter": "2027-01-01T00:00:00",
                     "ja3": {"hash": "e7d705a3286e19ea42f587b344ee6865",
                             "string": "771,4865-4866-4867-49195,0-23-65281-10-11-35-16-5-13,29-23-24,0"}}
    ev["direction"] = "to_server"
    ev["flow"] = {"pkts_toserver": 3 + i % 5, "pkts_toclient": 2 + i % 4,
                  "bytes_toserver": 400 + i % 900, "bytes_toclient": 300 + i % 700,
                  "start": ts, "src_ip": ev["src_ip"], "dest_ip": ev["dest_ip"],
                  "src_port": ev["src_port"], "dest_port": ev["dest_port"]}
    pad = 1400 - len(json.dumps(ev, separators=(",", ":")))
    if pad > 20:
        ev["payload_printable"] = ("GET /payload HTTP/1.1 " * 80)[:pad - 22]
    return ev


def base(i, proto, sport, dport, src, dst):
    ts = "2026-11-26T02:%02d:%02d.%06d+0000" % (i // 60 % 60, i % 60, i % 999999)
    return {"timestamp": ts, "flow_id": i, "in_iface": "eth0",
            "event_type": "alert", "src_ip": src, "src_port": sport,
            "dest_ip": dst, "dest_port": dport, "proto": proto,
            "pkt_src": "wire/pcap", "tx_id": 0}


def flow(ev, i):
    ev["direction"] = "to_server"
    ev["flow"] = {"pkts_toserver": 3 + i % 5, "pkts_toclient": 2 + i % 4,
                  "bytes_toserver": 400 + i % 900,
                  "bytes_toclient": 300 + i % 700, "start": ev["timestamp"],
                  "src_ip": ev["src_ip"], "dest_ip": ev["dest_ip"],
                  "src_port": ev["src_port"], "dest_port": ev["dest_port"]}
    return ev


def et_meta(cat, extra):
    m = {"created_at": ["2019_07_23"], "updated_at": ["2026_01_05"],
         "signature_severity": ["Informational" if cat == "INFO" else
                                "Major"],
         "former_category": [cat], "deployment": ["Perimeter"]}
    m.update(extra)
    return m


def mixed(i):
    k = i % 20
    home = "192.168.%d.%d" % (10 + i % 4, i % 250 + 1)
    if k < 6:  # a shared indicator: DNS, TLS or HTTP
        dom = DOMAINS[i % 3] if k < 4 else "unlisted-%d.example" % (i % 50)
        kind = k % 3
        ev = base(i, "UDP" if kind == 0 else "TCP", 40000 + i % 20000,
                  53 if kind == 0 else (443 if kind == 1 else 80), home,
                  "198.51.100.%d" % (i % 250 + 1))
        ev["alert"] = {"action": "allowed", "gid": 1,
                       "signature_id": 1860060 + kind, "rev": 1,
                       "signature": "SANKAKU domain listed (compromise) by "
                                    "fin-isac,jpcert-ew",
                       "category": "A Network Trojan was detected",
                       "severity": 1,
                       "metadata": {"sankaku_evidence": ["compromise"],
                                    "sankaku_ioc_type": ["domain"],
                                    "sankaku_source": ["fin-isac",
                                                       "jpcert-ew"]}}
        if kind == 0:
            ev["app_proto"] = "dns"
            ev["dns"] = {"query": [{"type": "query", "id": i % 65536,
                                    "rrname": dom, "rrtype": "A",
                                    "tx_id": 0, "opcode": 0}]}
        elif kind == 1:
            ev["app_proto"] = "tls"
            ev["tls"] = {"sni": dom, "version": "TLS 1.3",
                         "ja3": {"hash": "e7d705a3286e19ea42f587b344ee6865"}}
        else:
            ev["app_proto"] = "http"
            ev["http"] = {"hostname": dom, "url": "/", "http_method": "GET",
                          "protocol": "HTTP/1.1", "status": 200,
                          "length": 312}
        return flow(ev, i)
    if k < 11:  # ET POLICY
        ev = base(i, "TCP", 40000 + i % 20000, 80, home,
                  "203.0.113.%d" % (i % 250 + 1))
        ev["alert"] = {"action": "allowed", "gid": 1, "signature_id": 2013028,
                       "rev": 7,
                       "signature": "ET POLICY curl User-Agent Outbound",
                       "category": "Attempted Information Leak",
                       "severity": 2,
                       "metadata": et_meta("POLICY", {
                           "attack_target": ["Client_Endpoint"]})}
        ev["app_proto"] = "http"
        ev["http"] = {"hostname": "repo-%d.example" % (i % 40),
                      "url": "/pool/main/p/pkg_%d.deb" % i,
                      "http_user_agent": "curl/7.88.1",
                      "http_content_type": "application/octet-stream",
                      "http_method": "GET", "protocol": "HTTP/1.1",
                      "status": 200, "length": 48213 + i % 1000}
        return flow(ev, i)
    if k < 16:  # ET WEB_SPECIFIC_APPS, inbound against the web server
        ev = base(i, "TCP", 30000 + i % 30000, 80,
                  "203.0.113.%d" % (i % 250 + 1), "192.168.10.80")
        ev["alert"] = {
            "action": "allowed", "gid": 1, "signature_id": 2025655, "rev": 4,
            "signature": "ET WEB_SPECIFIC_APPS Drupalgeddon2 Drupal 8 "
                         "Remote Code Execution Attempt (CVE-2018-7600)",
            "category": "Web Application Attack", "severity": 1,
            "metadata": et_meta("WEB_SPECIFIC_APPS", {
                "affected_product": ["Drupal_Server"],
                "attack_target": ["Web_Server"],
                "cve": ["CVE_2018_7600"],
                "mitre_tactic_id": ["TA0001"],
                "mitre_tactic_name": ["Initial_Access"],
                "mitre_technique_id": ["T1190"],
                "mitre_technique_name": ["Exploit_Public_Facing_Application"]})}
        ev["app_proto"] = "http"
        ev["http"] = {"hostname": "drupal.corp.example",
                      "url": "/user/register?element_parents=account/mail/"
                             "%%23value&ajax_form=1&_wrapper_format="
                             "drupal_ajax&n=%d" % i,
                      "http_user_agent": "python-requests/2.18.4",
                      "http_content_type": "text/html",
                      "http_method": "POST", "protocol": "HTTP/1.1",
                      "status": 200, "length": 5120}
        return flow(ev, i)
    # ET INFO
    ev = base(i, "UDP", 50000 + i % 10000, 53, home, "192.168.10.53")
    ev["alert"] = {"action": "allowed", "gid": 1, "signature_id": 2027863,
                   "rev": 2,
                   "signature": "ET INFO Observed DNS Query to .xyz TLD",
                   "category": "Potentially Bad Traffic", "severity": 2,
                   "metadata": et_meta("INFO", {})}
    ev["app_proto"] = "dns"
    ev["dns"] = {"query": [{"type": "query", "id": i % 65536,
                            "rrname": "s%d.cdn-%d.xyz" % (i % 99, i % 7),
                            "rrtype": "A", "tx_id": 0, "opcode": 0}]}
    return flow(ev, i)


def on_hosts(n):
    """The mix, its inside end moved to host i % n, the far end outside."""
    def gen(i):
        ev = mixed(i)
        j = i * 7 % n  # 7 is prime to n: every host, evenly
        h = "10.20.%d.%d" % (j // 250, j % 250 + 1)
        if ev["src_ip"].startswith("192.168."):
            ev["src_ip"] = h
            ev["dest_ip"] = "198.51.100.%d" % (i % 250 + 1)
        else:
            ev["dest_ip"] = h
        ev["flow"]["src_ip"] = ev["src_ip"]
        ev["flow"]["dest_ip"] = ev["dest_ip"]
        return ev
    return gen


def main():
    args = sys.argv[1:]
    gen = alert
    if args and args[0] == "--mix":
        gen = mixed
        args = args[1:]
    elif args and args[0] == "--hosts":
        gen = on_hosts(int(args[1]))
        args = args[2:]
    n = int(args[0])
    start = int(args[1]) if len(args) > 1 else 1
    out = sys.stdout
    for i in range(start, start + n):
        out.write(json.dumps(gen(i), separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
