#!/usr/bin/python3
"""A real SMTP relay for the mail tests, on Debian's python3-aiosmtpd.

usage: smtp_sink.py CERT KEY PORTFILE MAILDIR [--refuse FILE] [--defer FILE]
                    [--auth USER:PASSWORD] [--port N] [--no-tls | --implicit-tls]

Listens on 127.0.0.1 (port N, 0 = a free one), writes the port to PORTFILE once it listens, and
takes mail the way a relay does:
  - STARTTLS offered (CERT, KEY) and required before anything else but EHLO/NOOP/QUIT;
    --no-tls offers no STARTTLS at all (a relay a client must refuse to talk to in clear);
    --implicit-tls speaks TLS from the first byte (smtps://, port 465's way);
  - with --auth, AUTH PLAIN and LOGIN (only after STARTTLS) and required before MAIL;
  - RCPT TO an address listed in the --refuse file (one a line, re-read when it changes):
    "550 5.1.1 <addr>: Recipient address rejected"; in the --defer file:
    "450 4.2.1 <addr>: Mailbox busy, try again later";
  - each accepted message written to MAILDIR/NNNNNNNN.eml (numbering goes on after what is there)
    through a temporary file and a rename, its first line "X-Envelope-To: <rcpt>[, ...]", then
    the message exactly as received; MAILDIR/.connections counts the connections taken,
    MAILDIR/.ehlo holds the name the client gave in EHLO (of the last message).
Stops on SIGTERM (or SIGINT).
"""
import argparse
import asyncio
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class AddressFile:
    """A set of addresses from a file, read again whenever the file changes."""

    def __init__(self, path):
        self.path = path
        self.stamp = None
        self.addrs = set()

    def __contains__(self, addr):
        if not self.path:
            return False
        try:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            stamp = None
        if stamp != self.stamp:
            self.stamp = stamp
            self.addrs = set()
            if stamp is not None:
                with open(self.path, encoding="utf-8") as f:
                    self.addrs = {l.strip().lower() for l in f if l.strip()}
        return addr.lower() in self.addrs


class Sink:
    def __init__(self, maildir, refuse, defer):
        self.maildir = maildir
        self.refuse = AddressFile(refuse)
        self.defer = AddressFile(defer)
        self.next = 1
        for name in os.listdir(maildir):
            if name.endswith(".eml") and name[:-4].isdigit():
                self.next = max(self.next, int(name[:-4]) + 1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        if address in self.defer:
            return f"450 4.2.1 <{address}>: Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        n = self.next
        self.next += 1
        name = f"{n:08d}.eml"
        tmp = os.path.join(self.maildir, f".{name}.tmp")
        with open(tmp, "wb") as f:
            f.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content)
        os.rename(tmp, os.path.join(self.maildir, name))
        with open(os.path.join(self.maildir, ".ehlo"), "w") as f:
            f.write(f"{session.host_name}\n")
        return f"250 2.0.0 OK queued as {n:08d}"


def main():
    # aiosmtpd 1.4 warns about its own use of a deprecated attribute on every AUTH
    warnings.filterwarnings("ignore", message="Session.login_data is deprecated")
    ap = argparse.ArgumentParser()
    ap.add_argument("cert")
    ap.add_argument("key")
    ap.add_argument("portfile")
    ap.add_argument("maildir")
    ap.add_argument("--refuse")
    ap.add_argument("--defer")
    ap.add_argument("--auth")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--no-tls", action="store_true")
    ap.add_argument("--implicit-tls", action="store_true")
    a = ap.parse_args()

    os.makedirs(a.maildir, exist_ok=True)
    handler = Sink(a.maildir, a.refuse, a.defer)
    kw = {"hostname": "localhost", "ident": "ita-test-relay"}
    listen_tls = None
    if not a.no_tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.cert, a.key)
        if a.implicit_tls:
            listen_tls = ctx
        else:
            kw.update(tls_context=ctx, require_starttls=True)
    if a.auth:
        user, _, password = a.auth.partition(":")

        def authenticator(server, session, envelope, mechanism, data):
            ok = (isinstance(data, LoginPassword) and data.login == user.encode()
                  and data.password == password.encode())
            return AuthResult(success=ok, handled=False)

        kw.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)

    async def run():
        loop = asyncio.get_running_loop()
        connections = 0

        def connection():
            nonlocal connections
            connections += 1
            with open(os.path.join(a.maildir, ".connections"), "w") as f:
                f.write(f"{connections}\n")
            return SMTP(handler, **kw)

        server = await loop.create_server(connection, "127.0.0.1", a.port, reuse_address=True,
                                          ssl=listen_tls)
        port = server.sockets[0].getsockname()[1]
        tmp = a.portfile + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.rename(tmp, a.portfile)
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
        server.close()

    asyncio.run(run())
    # connections still open die with the process, as they would with a relay that stops
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
