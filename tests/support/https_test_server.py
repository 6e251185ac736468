#!/usr/bin/env python3
"""A small threaded HTTPS server for the link checker's tests (python3 standard library only).

usage: https_test_server.py CERT KEY PORTFILE [SLOW_SECONDS]

Listens on 127.0.0.1 on a free port, writes that port to PORTFILE once it accepts connections,
and answers:
  /ok        200          /missing   404          /error     500
  /slow      200 after SLOW_SECONDS (default 5)   /loop      302 to itself (a redirect loop)
  /redirect  302 to /ok   /nohead    HEAD 405, GET 200
Anything else is 404. The TLS handshake runs in the request's thread, so a slow client never
holds up the others. Each request is counted per method and path; GET /stats shows the counts.
Stops on SIGTERM.
"""
import http.server
import os
import signal
import socketserver
import ssl
import sys
import threading
import time

COUNTS = {}
COUNTS_LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "ita-test/1"
    slow_seconds = 5.0

    def log_message(self, fmt, *args):  # quiet: the test prints what matters
        pass

    def count(self):
        key = self.command + " " + self.path
        with COUNTS_LOCK:
            COUNTS[key] = COUNTS.get(key, 0) + 1

    def answer(self, status, body=b"", location=None, head=False):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            try:
                self.wfile.write(body)
            except OSError:
                pass

    def route(self, head):
        self.count()
        path = self.path.split("?", 1)[0]
        if path == "/ok":
            self.answer(200, b"ok\n", head=head)
        elif path == "/missing":
            self.answer(404, b"not found\n", head=head)
        elif path == "/error":
            self.answer(500, b"error\n", head=head)
        elif path == "/slow":
            time.sleep(self.slow_seconds)
            self.answer(200, b"slow\n", head=head)
        elif path == "/loop":
            self.answer(302, location="/loop", head=head)
        elif path == "/redirect":
            self.answer(302, location="/ok", head=head)
        elif path == "/nohead":
            if head:
                self.answer(405, head=True)
            else:
                self.answer(200, b"x" * 5000, head=False)
        elif path == "/stats" and not head:
            with COUNTS_LOCK:
                text = "".join("%s %d\n" % kv for kv in sorted(COUNTS.items()))
            self.answer(200, text.encode())
        else:
            self.answer(404, b"not found\n", head=head)

    def do_GET(self):
        self.route(False)

    def do_HEAD(self):
        self.route(True)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, addr, ctx):
        self.ctx = ctx
        super().__init__(addr, Handler)

    def finish_request(self, request, client_address):
        # the handshake in this request's thread, not in the accepting one
        try:
            request = self.ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        pass  # clients that time out and go away are expected


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    cert, key, portfile = sys.argv[1:4]
    if len(sys.argv) > 4:
        Handler.slow_seconds = float(sys.argv[4])
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    srv = Server(("127.0.0.1", 0), ctx)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=srv.shutdown).start())
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, portfile)
    srv.serve_forever(poll_interval=0.2)
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
