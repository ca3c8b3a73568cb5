#!/usr/bin/python3
"""mkpcap.py: write the captures sankaku's demo and tests run Suricata on.

Every packet is synthetic (documentation address ranges, example domains);
nothing here touches a network.  Run with Debian's /usr/bin/python3 and
python3-scapy:

    /usr/bin/python3 scripts/mkpcap.py OUTDIR

It writes one capture per case (tests need to know which traffic caused
which alert) and demo.pcap with all of them in sequence; the hostile
cases (attacker bytes in HTTP, DNS and TLS fields) are written apart and
are not part of the demo.
"""
import hashlib
import os
import sys

from scapy.all import (DNS, DNSQR, DNSRR, IP, TCP, UDP, Ether, IPv6, Raw,
                       wrpcap)
from scapy.layers.tls.extensions import ServerName, TLS_Ext_ServerName
from scapy.layers.tls.handshake import TLSClientHello
from scapy.layers.tls.record import TLS

HOME = "192.168.10.20"      # inside home_net
WEB = "192.168.10.80"       # the organisation's Drupal server
ATTACKER = "203.0.113.66"   # TEST-NET-3
EVIL_IP = "198.51.100.23"   # TEST-NET-2, listed in the demo feeds
RESOLVER = "192.168.10.53"

T0 = 1700000000.0


class Clock:
    """Monotonic timestamps so flows follow each other in the capture."""

    def __init__(self, t):
        self.t = t

    def next(self, step=0.001):
        self.t += step
        return self.t


def tcp_session(clock, cli, srv, sport, dport, request, response=b""):
    """A whole TCP session: handshake, request, response, teardown."""
    pkts = []
    c_seq, s_seq = 1000, 5000

    def add(src, dst, sp, dp, flags, seq, ack, payload=b""):
        l3 = IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst)
        p = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / l3 / TCP(
            sport=sp, dport=dp, flags=flags, seq=seq, ack=ack, window=65535)
        if payload:
            p = p / Raw(load=payload)
        p.time = clock.next()
        pkts.append(p)

    add(cli, srv, sport, dport, "S", c_seq, 0)
    add(srv, cli, dport, sport, "SA", s_seq, c_seq + 1)
    c_seq += 1
    s_seq += 1
    add(cli, srv, sport, dport, "A", c_seq, s_seq)
    for off in range(0, len(request), 1400):
        chunk = request[off:off + 1400]
        add(cli, srv, sport, dport, "PA", c_seq, s_seq, chunk)
        c_seq += len(chunk)
    add(srv, cli, dport, sport, "A", s_seq, c_seq)
    for off in range(0, len(response), 1400):
        chunk = response[off:off + 1400]
        add(srv, cli, dport, sport, "PA", s_seq, c_seq, chunk)
        s_seq += len(chunk)
    if response:
        add(cli, srv, sport, dport, "A", c_seq, s_seq)
    add(cli, srv, sport, dport, "FA", c_seq, s_seq)
    add(srv, cli, dport, sport, "FA", s_seq, c_seq + 1)
    add(cli, srv, sport, dport, "A", c_seq + 1, s_seq + 1)
    return pkts


def http_post(host, uri, body, ctype="application/x-www-form-urlencoded"):
    body = body.encode()
    return (f"POST {uri} HTTP/1.1\r\nHost: {host}\r\n"
            f"User-Agent: python-requests/2.18.4\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n").encode() + body


def http_get(host, uri):
    return (f"GET {uri} HTTP/1.1\r\nHost: {host}\r\n"
            f"User-Agent: Mozilla/5.0\r\nAccept: */*\r\n"
            f"Connection: close\r\n\r\n").encode()


def http_response(body, ctype="text/html; charset=UTF-8"):
    if isinstance(body, str):
        body = body.encode()
    return (f"HTTP/1.1 200 OK\r\nServer: Apache/2.4.29\r\n"
            f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n").encode() + body


DRUPAL_PAGE = "<html><body>Drupal site</body></html>"

# Drupalgeddon2 (CVE-2018-7600), the variants published as proofs of
# concept in March/April 2018.
D7_URI = ("/?q=user/password&name[%23post_render][]=passthru"
          "&name[%23type]=markup&name[%23markup]=id")
D7_BODY = ("form_id=user_pass&_triggering_element_name=name"
           "&_triggering_element_value=&opz=E-mail+new+Password")
D7_STAGE2_URI = "/?q=file/ajax/name/%23value/form-Xk3RcdJ1mMeTz0KX"
D7_STAGE2_BODY = "form_build_id=form-Xk3RcdJ1mMeTz0KX"
D8_URI = ("/user/register?element_parents=account/mail/%23value"
          "&ajax_form=1&_wrapper_format=drupal_ajax")
D8_BODY_PLAIN = ("form_id=user_register_form&_drupal_ajax=1"
                 "&mail[#post_render][]=exec&mail[#type]=markup"
                 "&mail[#markup]=id")
D8_BODY_ENC = ("form_id=user_register_form&_drupal_ajax=1"
               "&mail%5B%23post_render%5D%5B%5D=exec"
               "&mail%5B%23type%5D=markup&mail%5B%23markup%5D=id")
D8_LAZY_URI = ("/user/register?element_parents=timezone/timezone/%23value"
               "&ajax_form=1&_wrapper_format=drupal_ajax")
D8_LAZY_BODY = ("form_id=user_register_form&_drupal_ajax=1"
                "&timezone[a][%23lazy_builder][]=passthru"
                "&timezone[a][%23lazy_builder][][]=id")
CMD_OUTPUT = ("uid=33(www-data) gid=33(www-data) groups=33(www-data)\n"
              "[{\"command\":\"insert\",\"method\":\"replaceWith\"}]")

# Indicators that the bundled demo feeds list (etc/demo/feeds).
EVIL_DOMAIN = "update.evil-cdn.example"
EVIL_SNI = "login.phish-kit.example"
EVIL_HOST = "dl.badfiles.example"
EVIL_URL_PATH = "/payload/stage2.bin"
MALWARE = b"MZ\x90\x00sankaku-demo-sample: not malware, a test payload\n" * 8
SAMPLE_SHA1 = b"%PDF-1.4 sankaku test document, not malware\n" * 6
SAMPLE_SHA256 = b"PK\x03\x04 sankaku test archive, not malware\n" * 7
EVIL_IP6 = "2001:db8::23"      # listed in the demo STIX feed
HOME6 = "fd00:10::20"          # inside home_net (fc00::/7)
CIDR_HOST = "203.0.113.200"    # inside a listed prefix 203.0.113.192/26


def drupal(clock, sport, uri, body, response=DRUPAL_PAGE):
    return tcp_session(clock, ATTACKER, WEB, sport, 80,
                       http_post("drupal.corp.example", uri, body),
                       http_response(response))


def dns_query(clock, name, sport=53001, cli=HOME):
    q = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=cli, dst=RESOLVER) / UDP(sport=sport, dport=53) / \
        DNS(id=0x1234, rd=1, qd=DNSQR(qname=name, qtype="A"))
    q.time = clock.next()
    r = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=RESOLVER, dst=cli) / UDP(sport=53, dport=sport) / \
        DNS(id=0x1234, qr=1, rd=1, ra=1, qd=DNSQR(qname=name, qtype="A"),
            an=DNSRR(rrname=name, type="A", ttl=300, rdata=EVIL_IP))
    r.time = clock.next()
    return [q, r]


def tls_hello(clock, sni, sport=44321, ciphers=(0x1301, 0x1302, 0xc02f),
              dst="203.0.113.90", dport=443):
    hello = TLS(msg=[TLSClientHello(
        gmt_unix_time=1700000000, random_bytes=b"\x5a" * 28, sid=b"",
        ciphers=list(ciphers),
        ext=[TLS_Ext_ServerName(servernames=[ServerName(servername=sni)])])])
    return tcp_session(clock, HOME, dst, sport, dport, bytes(hello))


CASES = {
    "drupal7": lambda c: drupal(c, 40001, D7_URI, D7_BODY)
    + drupal(c, 40002, D7_STAGE2_URI, D7_STAGE2_BODY, CMD_OUTPUT),
    "drupal7-plain": lambda c: drupal(
        c, 40003, D7_URI.replace("%23", "#"), D7_BODY),
    "drupal8": lambda c: drupal(c, 40011, D8_URI, D8_BODY_PLAIN),
    "drupal8-urlencoded": lambda c: drupal(c, 40012, D8_URI, D8_BODY_ENC,
                                           CMD_OUTPUT),
    "drupal8-lazy-builder": lambda c: drupal(c, 40013, D8_LAZY_URI,
                                             D8_LAZY_BODY),
    "benign-drupal": lambda c: tcp_session(
        c, "203.0.113.7", WEB, 40021, 80,
        http_post("drupal.corp.example", "/user/login",
                  "name=alice&pass=secret&form_id=user_login_form"),
        http_response(DRUPAL_PAGE)),
    "dns-domain": lambda c: dns_query(c, EVIL_DOMAIN),
    "dns-domain-upper": lambda c: dns_query(c, "Update.Evil-CDN.example",
                                            53002),
    "tls-sni": lambda c: tls_hello(c, EVIL_SNI),
    "http-host": lambda c: tcp_session(
        c, HOME, "203.0.113.91", 40031, 80, http_get(EVIL_HOST, "/"),
        http_response("ok")),
    "http-url": lambda c: tcp_session(
        c, HOME, "203.0.113.92", 40032, 80,
        http_get("cdn.example", EVIL_URL_PATH), http_response("nothing")),
    "ip": lambda c: tcp_session(
        c, HOME, EVIL_IP, 40041, 8443, b"\x16\x03\x01hello", b"\x15bye"),
    "file-md5": lambda c: tcp_session(
        c, HOME, "203.0.113.93", 40051, 80,
        http_get("files.example", "/sample.exe"),
        http_response(MALWARE, "application/octet-stream")),
    "file-sha1": lambda c: tcp_session(
        c, HOME, "203.0.113.95", 40071, 80,
        http_get("docs.example", "/invoice.pdf"),
        http_response(SAMPLE_SHA1, "application/pdf")),
    "file-sha256": lambda c: tcp_session(
        c, HOME, "203.0.113.96", 40072, 80,
        http_get("docs.example", "/archive.zip"),
        http_response(SAMPLE_SHA256, "application/zip")),
    "ja3": lambda c: tls_hello(c, "api.benign.example", 44322,
                               (0xc02b, 0xc02c, 0xcca9, 0x009e)),
    "ipv6": lambda c: tcp_session(
        c, HOME6, EVIL_IP6, 40081, 8443, b"\x16\x03\x01hello6", b"\x15bye"),
    "cidr": lambda c: tcp_session(
        c, HOME, CIDR_HOST, 40091, 8080, b"GET / HTTP/1.0\r\n\r\n",
        b"HTTP/1.0 204 No Content\r\n\r\n"),
    "benign-web": lambda c: tcp_session(
        c, HOME, "203.0.113.94", 40061, 80,
        http_get("www.example", "/index.html"), http_response("hello")),
}


# What an attacker on the wire puts in the fields Suricata logs: NUL,
# terminal escapes, markup.
HOSTILE_UA = b"Mozilla\x00\x01\x1b[31m<script>alert(1)</script>\x7f"
HOSTILE_NAME = "ev\x00il\x1b[2J.example"


def hostile_http(clock):
    req = (b"GET /admin\x1b[0m<img src=x onerror=alert(1)> HTTP/1.1\r\n"
           b"Host: intranet.corp.example\r\nUser-Agent: " + HOSTILE_UA +
           b"\r\nAccept: */*\r\nConnection: close\r\n\r\n")
    return tcp_session(clock, ATTACKER, WEB, 40101, 80, req,
                       http_response("no"))


# The feed fixtures' indicators (tests/fixtures/feeds) seen, and not seen,
# on the wire: a URL is its host and path together, an address:port and a
# domain:port their port too.  Servers 198.51.100.210-216 are listed
# nowhere.
def get(clock, sport, server, port, host, uri):
    return tcp_session(clock, HOME, server, sport, port, http_get(host, uri),
                       http_response("ok"))


FEEDS = {
    "url-listed": lambda c: get(c, 40201, "198.51.100.210", 80,
                                "cdn.example", "/redirect.aspx?id=7"),
    "url-path-elsewhere": lambda c: get(c, 40202, "198.51.100.211", 80,
                                        "www.unlisted.example",
                                        "/redirect.aspx?id=7"),
    "url-root-listed": lambda c: get(c, 40203, "198.51.100.212", 80,
                                     "paypa1.banking.example", "/"),
    "url-root-elsewhere": lambda c: get(c, 40204, "198.51.100.213", 80,
                                        "www.unlisted.example", "/"),
    "url-cross": lambda c: get(c, 40205, "198.51.100.214", 80,
                               "cdn.example", "/"),
    "url-port": lambda c: get(c, 40206, "198.51.100.78", 37352,
                              "198.51.100.78:37352", "/bin.sh"),
    "ipport-listed": lambda c: tcp_session(
        c, HOME, "198.51.100.77", 40207, 8443, b"\x16\x03\x01beacon",
        b"\x15bye"),
    "ipport-other-port": lambda c: get(c, 40208, "198.51.100.77", 80,
                                       "www.unlisted.example", "/x"),
    "domainport-listed": lambda c: tls_hello(c, "tls-c2.example", 40209,
                                             dst="198.51.100.215",
                                             dport=8443),
    "domainport-other-port": lambda c: tls_hello(c, "tls-c2.example", 40210,
                                                 dst="198.51.100.216"),
    "tlp-amber": lambda c: dns_query(c, "update.evil-cdn.example", 53201),
    "tlp-red": lambda c: dns_query(c, "red-only.example", 53202),
}


HOSTILE = {
    "hostile-http": hostile_http,
    "hostile-dns": lambda c: dns_query(c, HOSTILE_NAME, 53101),
    "hostile-tls": lambda c: tls_hello(c, "log\x1bin\x00.bank.example",
                                       44399),
}


# The desk's story (desk-drupal.pcap): the Drupal server is attacked
# (attempts), exploited (the command's output comes back), then calls
# home to the listed C2 (DNS, then the address): one incident that moves
# from detection-analysis to containment-eradication-recovery.
DESK = {
    "attempts": lambda c: drupal(c, 40301, D8_URI, D8_BODY_PLAIN)
    + drupal(c, 40302, D7_URI, D7_BODY),
    "exploited": lambda c: drupal(c, 40303, D7_STAGE2_URI, D7_STAGE2_BODY,
                                  CMD_OUTPUT),
    "c2": lambda c: dns_query(c, EVIL_DOMAIN, 53301, WEB) + tcp_session(
        c, WEB, EVIL_IP, 40304, 8443, b"\x16\x03\x01beacon", b"\x15ok"),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    os.makedirs(out, exist_ok=True)
    everything = []
    for i, (name, build) in enumerate(CASES.items()):
        pkts = build(Clock(T0 + i * 10))
        wrpcap(os.path.join(out, name + ".pcap"), pkts)
        everything += pkts
    wrpcap(os.path.join(out, "demo.pcap"), everything)
    for i, (name, build) in enumerate(HOSTILE.items()):
        wrpcap(os.path.join(out, name + ".pcap"),
               build(Clock(T0 + 1000 + i * 10)))
    for i, (name, build) in enumerate(FEEDS.items()):
        wrpcap(os.path.join(out, "feeds-" + name + ".pcap"),
               build(Clock(T0 + 2000 + i * 10)))
    story = []
    for i, (name, build) in enumerate(DESK.items()):
        story += build(Clock(T0 + 3000 + i * 10))
    wrpcap(os.path.join(out, "desk-drupal.pcap"), story)
    with open(os.path.join(out, "samples.txt"), "w") as f:
        f.write("md5 %s\n" % hashlib.md5(MALWARE).hexdigest())
        f.write("sha1 %s\n" % hashlib.sha1(SAMPLE_SHA1).hexdigest())
        f.write("sha256 %s\n" % hashlib.sha256(SAMPLE_SHA256).hexdigest())


if __name__ == "__main__":
    main()
