#!/usr/bin/python3
"""A citizen's phone for `scripts/bench net` (run inside the shaped network namespace).

  netclient.py run --servers NAME=HOST:PORT[,NAME=...] --path /s/SLUG --cacert FILE
                   --respondents N --log FILE [--think S] [--capture DIR]

--capture DIR: one unshaped respondent against the first server, saving the decoded pages (form.html,
thanks.html) and the policy headers that came with them (form.headers, thanks.headers: one
"name: value" per line; everything but the framing, type and coding headers the reference sets
itself), so that the reference serves the same bytes.
  netclient.py report --client-log FILE --shape-log FILE --profile NAME --rtt-ms MS
                      --down-kbit K --up-kbit K [--floor-server NAME]

`run`: respondents one after another, the servers interleaved (itad, nginx, then nginx, itad, ...),
so that both see the same moments of a shared machine. Each respondent:
  1. a new TCP connection and a full TLS handshake (no session: a phone that just scanned a poster),
     GET the form (Accept-Encoding: gzip, deflate, br like a phone's browser), read it to its last
     byte: time-to-form runs from connect() to that byte;
  2. answers. Answering takes longer than both servers' keep-alive idle timeout, so the form's
     connection is gone by then; the client closes it itself instead of waiting for the server to.
  3. a new TCP connection offering the TLS session (ticket) of the first one, POST every field with
     the form's one-time token, read the thank-you page to its last byte: time-to-thanks runs from
     this connect() to that byte.
One JSON line per connection goes to --log, with CLOCK_MONOTONIC times the link emulator
(bench/netshape.c) shares, so that `report` can attribute the packets it logged to each phase.

`report`: bytes on the wire per connection (IP packets both directions as the emulated link carried
them: TCP/IP headers, TLS records, handshakes, ACKs, the closing packets), round trips (the causal
depth netshape gives each packet: the deepest server packet delivered before the phase's last byte,
halved), median and p95 times, and the physical floor for the bytes one server sent (default
itad): round trips × RTT + bytes / bandwidth, where the round trips are TCP's handshake, TLS 1.3's
one and the request's, plus what TCP's slow start needs for the response (initial window 10
segments, doubling each round trip).
"""
import argparse
import json
import math
import re
import socket
import ssl
import sys
import time
import urllib.parse
import zlib

try:
    import brotli  # python3-brotli
except ImportError:  # pragma: no cover
    brotli = None

UA = "Mozilla/5.0 (Linux; Android 13) ita-netbench"


def now():
    return time.monotonic_ns()


def read_response(sock):
    """Reads one HTTP/1.1 response; returns (status, headers dict, body bytes)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed before the response head")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    if "content-length" in headers:
        n = int(headers["content-length"])
        body = rest
        while len(body) < n:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("connection closed inside the body")
            body += chunk
        return status, headers, body[:n]
    if headers.get("transfer-encoding", "").lower() == "chunked":
        data, body = rest, b""
        while True:
            while b"\r\n" not in data:
                data += sock.recv(65536)
            size_line, _, data = data.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(data) < size + 2:
                data += sock.recv(65536)
            body += data[:size]
            data = data[size + 2:]
            if size == 0:
                return status, headers, body
    body = rest
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return status, headers, body
        body += chunk


def decode(headers, body):
    enc = headers.get("content-encoding", "identity").lower()
    if enc == "gzip":
        return zlib.decompress(body, 16 + zlib.MAX_WBITS)
    if enc == "deflate":
        return zlib.decompress(body)
    if enc == "br":
        if brotli is None:
            raise RuntimeError("br response but no brotli module (install python3-brotli)")
        return brotli.decompress(body)
    return body


def fill(page, path):
    """The POST body for a form page: the one-time token, every radio at a plausible level."""
    m = re.search(rb'name="f" value="([^"]*)"', page)
    if not m:
        raise RuntimeError("no form token on the page")
    levels = {}
    for name, value in re.findall(rb'<input type="radio" name="([^"]+)"[^>]*?value="(\d+)"', page):
        levels[name] = max(levels.get(name, 0), int(value) + 1)
    if not levels:
        raise RuntimeError("no radio fields on the page")
    parts = ["f=" + urllib.parse.quote_plus(m.group(1).decode())]
    for i, (name, n) in enumerate(levels.items()):
        level = n - 1 if i % 5 else max(n - 2, 0)  # mostly the best, now and then one below
        parts.append(urllib.parse.quote_plus(name.decode()) + "=" + str(level))
    action = re.search(rb'<form id="sf"[^>]*action="([^"]*)"', page)
    target = action.group(1).decode().replace("&amp;", "&") if action and action.group(1) else path
    return "&".join(parts).encode(), target


def connect(ctx, host, port, session=None):
    t0 = now()
    raw = socket.create_connection((host, port))
    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s = ctx.wrap_socket(raw, server_hostname="localhost", session=session)
    return t0, s


# Headers of a response that the reference server sets itself (framing, type, coding, date).
OWN_HEADERS = {"date", "content-length", "content-type", "content-encoding", "vary", "connection",
               "transfer-encoding", "keep-alive", "server", "last-modified", "etag", "accept-ranges"}


def save_page(path, page, headers):
    with open(path, "wb") as f:
        f.write(page)
    with open(path.rsplit(".", 1)[0] + ".headers", "w") as f:
        for k, v in headers.items():
            if k not in OWN_HEADERS:
                f.write(f"{k}: {v}\n")


def respondent(ctx, name, host, port, path, log, save_form=None, save_thanks=None):
    common = {"server": name}
    req_headers = (f"Host: localhost:{port}\r\nUser-Agent: {UA}\r\n"
                   "Accept: text/html,application/xhtml+xml\r\nAccept-Language: th-TH,th;q=0.9\r\n"
                   "Accept-Encoding: gzip, deflate, br\r\n")
    # 1. the form, on a new connection with a full handshake
    t0, s = connect(ctx, host, port)
    cport = s.getsockname()[1]
    s.sendall(f"GET {path} HTTP/1.1\r\n{req_headers}\r\n".encode())
    status, headers, body = read_response(s)
    t1 = now()
    if status != 200:
        raise RuntimeError(f"{name}: GET {path} answered {status}")
    page = decode(headers, body)
    if save_form:
        save_page(save_form, page, headers)
    session = s.session
    log.write(json.dumps(dict(common, phase="form", port=cport, t0=t0, t1=t1, status=status,
                              enc=headers.get("content-encoding", "identity"), body=len(body),
                              decoded=len(page), tls=s.version(), resumed=s.session_reused,
                              ticket=bool(session and session.has_ticket))) + "\n")
    # 2. answering outlasts the keep-alive idle timeout: the connection is gone
    s.close()
    form, target = fill(page, path)
    # 3. the answers, on a new connection offering the first one's session
    t2, s = connect(ctx, host, port, session=session if session and session.has_ticket else None)
    cport = s.getsockname()[1]
    s.sendall(f"POST {target} HTTP/1.1\r\n{req_headers}Origin: https://localhost:{port}\r\n"
              f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(form)}\r\n\r\n".encode()
              + form)
    status, headers, body = read_response(s)
    t3 = now()
    thanks = decode(headers, body)
    if status != 200 or "ขอบคุณ".encode() not in thanks:
        raise RuntimeError(f"{name}: POST {target} answered {status} without the thank-you page")
    if save_thanks:
        save_page(save_thanks, thanks, headers)
    log.write(json.dumps(dict(common, phase="thanks", port=cport, t0=t2, t1=t3, status=status,
                              enc=headers.get("content-encoding", "identity"), body=len(body),
                              decoded=len(thanks), tls=s.version(), resumed=s.session_reused,
                              ticket=False)) + "\n")
    s.close()
    log.flush()


def cmd_run(a):
    ctx = ssl.create_default_context(cafile=a.cacert)
    servers = []
    for item in a.servers.split(","):
        name, _, hp = item.partition("=")
        host, _, port = hp.rpartition(":")
        servers.append((name, host, int(port)))
    if a.capture:  # the page bytes the reference serves: one respondent, unshaped, not logged
        name, host, port = servers[0]
        with open("/dev/null", "w") as log:
            respondent(ctx, name, host, port, a.path, log, a.capture + "/form.html", a.capture + "/thanks.html")
        return
    with open(a.log, "a") as log:
        for i in range(a.respondents):
            order = servers if i % 2 == 0 else list(reversed(servers))
            for name, host, port in order:
                respondent(ctx, name, host, port, a.path, log)
                time.sleep(a.think)
            print(f"respondent {i + 1}/{a.respondents}", file=sys.stderr, flush=True)


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    if p == 50:
        n = len(v)
        return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    r = max(1, math.ceil(p / 100 * len(v)))
    return v[r - 1]


def slow_start_rounds(nbytes, mss=1448, iw=10):
    """Round trips the response needs under slow start: windows of iw, 2 iw, 4 iw ... segments."""
    segs = math.ceil(nbytes / mss)
    rounds, window, sent = 0, iw, 0
    while sent < segs:
        sent += window
        window *= 2
        rounds += 1
    return max(rounds, 1)


def floor_time(down, up, rtt, down_bps, up_bps, iw=10, pkt=1500):
    """The least time a phase can take on the link: TCP's handshake and TLS 1.3's (a round trip
    each), the client's SYN and data packets at the uplink rate and half a round trip to the server, then the
    server's bytes as full-size packets under an ideal slow start: an initial window of iw packets,
    one more per ACK (no delayed ACKs, no losses), each packet serialised at the downlink rate and
    delivered half a round trip later, its ACK back another half later. All of the server's bytes
    (its handshake flight too) go into that one stream, so this is a floor, not a prediction."""
    owd = rtt / 2
    t = 2 * rtt + up * 8 / up_bps + owd
    n = max(1, math.ceil(down / pkt))
    sizes = [pkt] * (n - 1) + [down - pkt * (n - 1)]
    cwnd, acked, allowed, link_free, last = iw, 0, 0.0, 0.0, 0.0
    acks = []
    for size in sizes:
        while len(acks) - acked >= cwnd:  # window full: wait for the oldest outstanding ACK
            allowed = max(allowed, acks[acked])
            acked += 1
            cwnd += 1
        start = max(link_free, allowed)
        link_free = start + size * 8 / down_bps
        last = link_free + owd
        acks.append(last + owd)
    return t + last


def cmd_report(a):
    conns = [json.loads(line) for line in open(a.client_log)]
    pkts = {}
    for line in open(a.shape_log):
        t, d, ln, port, depth, taken = line.split()[:6]
        pkts.setdefault(int(port), []).append((int(t), d, int(ln), int(depth), int(taken)))
    # each connection owns its port's packets from its connect() to the next connect() on that port
    starts = {}
    for c in conns:
        starts.setdefault(c["port"], []).append(c["t0"])
    for c in conns:
        later = [t for t in starts[c["port"]] if t > c["t0"]]
        end = min(later) if later else float("inf")
        mine = [p for p in pkts.get(c["port"], []) if c["t0"] <= p[0] < end]
        c["down"] = sum(p[2] for p in mine if p[1] == "down")
        c["up"] = sum(p[2] for p in mine if p[1] == "up")
        # what lies on the phase's critical path: every server packet before the last byte, and the
        # client's SYN and data packets before it (pure ACKs, 52 bytes with timestamps, overlap)
        c["down_crit"] = sum(p[2] for p in mine if p[1] == "down" and p[0] <= c["t1"])
        c["up_crit"] = sum(p[2] for p in mine if p[1] == "up" and p[0] <= c["t1"] and p[2] > 52)
        depth = max([p[3] for p in mine if p[1] == "down" and p[0] <= c["t1"]] or [0])
        c["rtt"] = depth // 2
        c["ms"] = (c["t1"] - c["t0"]) / 1e6
        # the server's own time: from the delivery of the request's last packet (the client's last
        # data packet before the last byte) to the first server packet sent after it
        req = [p[0] for p in mine if p[1] == "up" and p[2] > 52 and p[0] <= c["t1"]]
        resp = [p[4] for p in mine if p[1] == "down" and req and p[4] >= max(req)]
        c["server_ms"] = (min(resp) - max(req)) / 1e6 if req and resp else float("nan")
    rtt = a.rtt_ms / 1000
    down_bps, up_bps = a.down_kbit * 1000, a.up_kbit * 1000
    names = []
    for c in conns:
        if c["server"] not in names:
            names.append(c["server"])

    def phase(server, ph):
        return [c for c in conns if c["server"] == server and c["phase"] == ph]

    def floor(server, ph):
        cs = phase(server, ph)
        down = pct([c["down_crit"] for c in cs], 50)
        up = pct([c["up_crit"] for c in cs], 50)
        rounds = 2 + slow_start_rounds(down)
        return rounds, floor_time(down, up, rtt, down_bps, up_bps)

    fs = a.floor_server or names[0]
    f_rt_form, f_form = floor(fs, "form")
    f_rt_thanks, f_thanks = floor(fs, "thanks")
    print(f"| Server | Profile | Respondents | Bytes down/up: form | Bytes down/up: thanks | Round trips form / thanks | "
          f"Time-to-form median / p95, ms | Time-to-thanks median / p95, ms | Floor form / thanks, ms | Ratio to floor form / thanks | "
          f"Server time form / thanks, ms | Wire encoding, TLS, resumed |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for s in names:
        fo, th = phase(s, "form"), phase(s, "thanks")
        m = lambda cs, k: pct([c[k] for c in cs], 50)
        tf50, tf95 = pct([c["ms"] for c in fo], 50), pct([c["ms"] for c in fo], 95)
        tt50, tt95 = pct([c["ms"] for c in th], 50), pct([c["ms"] for c in th], 95)
        resumed = sum(1 for c in th if c["resumed"])
        print(f"| {s} | {a.profile} | {len(fo)} | {m(fo, 'down'):.0f} / {m(fo, 'up'):.0f} | {m(th, 'down'):.0f} / {m(th, 'up'):.0f} | "
              f"{m(fo, 'rtt'):.0f} / {m(th, 'rtt'):.0f} | {tf50:.0f} / {tf95:.0f} | {tt50:.0f} / {tt95:.0f} | "
              f"{f_form * 1000:.0f} / {f_thanks * 1000:.0f} | {tf50 / 1000 / f_form:.2f} / {tt50 / 1000 / f_thanks:.2f} | "
              f"{m(fo, 'server_ms'):.1f} / {m(th, 'server_ms'):.1f} | "
              f"form {fo[0]['enc']} ({fo[0]['body']} of {fo[0]['decoded']} B), thanks {th[0]['enc']} ({th[0]['body']} of {th[0]['decoded']} B); "
              f"{fo[0]['tls']}; {resumed}/{len(th)} |")
    print()
    fo = phase(fs, "form")
    th = phase(fs, "thanks")
    print(f"{a.profile}: the floor counts {fs}'s median bytes on the critical path (form "
          f"{pct([c['down_crit'] for c in fo], 50):.0f} down / {pct([c['up_crit'] for c in fo], 50):.0f} up, thanks "
          f"{pct([c['down_crit'] for c in th], 50):.0f} / {pct([c['up_crit'] for c in th], 50):.0f}): "
          f"{f_rt_form} / {f_rt_thanks} round trips of {a.rtt_ms:g} ms at {a.down_kbit:g} / {a.up_kbit:g} kbit/s.", end="")
    for other in names:
        if other != fs:
            r = lambda ph, o=other: pct([c["ms"] for c in phase(fs, ph)], 50) / pct([c["ms"] for c in phase(o, ph)], 50)
            print(f" {fs} / {other}, medians: form {r('form'):.2f}, thanks {r('thanks'):.2f}.", end="")
    print()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--servers", required=True)
    r.add_argument("--path", required=True)
    r.add_argument("--cacert", required=True)
    r.add_argument("--respondents", type=int, default=20)
    r.add_argument("--think", type=float, default=0.5)
    r.add_argument("--log", default="/dev/null")
    r.add_argument("--capture", metavar="DIR", help="save form.html and thanks.html of one respondent there")
    q = sub.add_parser("report")
    q.add_argument("--client-log", required=True)
    q.add_argument("--shape-log", required=True)
    q.add_argument("--profile", required=True)
    q.add_argument("--rtt-ms", type=float, required=True)
    q.add_argument("--down-kbit", type=float, required=True)
    q.add_argument("--up-kbit", type=float, required=True)
    q.add_argument("--floor-server")
    a = p.parse_args()
    cmd_run(a) if a.cmd == "run" else cmd_report(a)


if __name__ == "__main__":
    main()
