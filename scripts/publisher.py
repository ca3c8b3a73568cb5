#!/usr/bin/python3
"""publisher.py: the demo's stand-in for the sites that publish feeds: the
files of one directory over HTTPS on loopback, with Last-Modified (so a
second fetch gets "304 Not Modified").

    publisher.py PORT CERT KEY DIR

Prints "ready" once it listens; stopped by its PID.
"""
import functools
import ssl
import sys
from http.server import HTTPServer, SimpleHTTPRequestHandler

PORT, CERT, KEY, ROOT = sys.argv[1:5]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


srv = HTTPServer(("127.0.0.1", int(PORT)), functools.partial(Quiet, directory=ROOT))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(CERT, KEY)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("ready", flush=True)
srv.serve_forever()
