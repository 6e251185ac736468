#!/usr/bin/env python3
"""Survey load for scripts/docker-test (Python 3 standard library only).

Answers the EIT form of one public link through HAProxy, as a browser does: GET the form, take
the signed one-time token (hidden input "f"), POST every answer with a same-origin Origin header.
A submission is acknowledged when the thank-you page (200, "ขอบคุณ") comes back. A submission
that fails (connection refused or reset, timeout, 5xx) is sent again with the same form token, so
the server stores it at most once however often it is retried.

  load.py get   --base URL --cacert PEM --link PATH      one GET: {"status": 200, "radios": 46}
  load.py once  --base URL --cacert PEM --link /s/SLUG --count N
      N submissions, each then sent a second time (a refresh): prints JSON {"acked": N, ...}
  load.py kill  --base URL --cacert PEM --link /s/SLUG --stats URL --map itad-1=CONTAINER,...
                --before S --after S [--concurrency C]
      load for S seconds, then `docker kill` the replica HAProxy sent the most connections to,
      load S seconds more, finish every form that was started; prints JSON with the counts and
      the failures seen (how many, first and last after the kill).

Every loop is bounded in time and count; the only address used is the one given (loopback).
"""
import argparse
import csv
import http.client
import io
import json
import random
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

THANKS = "ขอบคุณ"
F_RE = re.compile(r'<input type="hidden" name="f" value="([^"]+)"')
RADIO_RE = re.compile(r'<input type="radio" name="([^"]+)" id="[^"]*" value="([0-9]+)"')
MAX_FORMS = 20000          # hard bound on forms per run
FORM_DEADLINE_S = 60.0     # one form is retried for at most this long


class Client:
    def __init__(self, base, cacert):
        u = urllib.parse.urlsplit(base)
        self.host, self.port = u.hostname, u.port or 443
        self.origin = "https://%s:%d" % (self.host, self.port)
        self.ctx = ssl.create_default_context(cafile=cacert)

    def request(self, method, path, body=None):
        """One request on a new connection (so the balancer sees each one). Returns
        (status, text) or raises OSError / http.client.HTTPException."""
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=10)
        try:
            headers = {"Connection": "close"}
            if body is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                headers["Origin"] = self.origin
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read().decode("utf-8", "replace")
        finally:
            conn.close()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.acked = 0
        self.forms = 0
        self.unacked = 0
        self.attempts = 0
        self.failures = 0
        self.fail_times = []
        self.errors = {}
        self.t_kill = None
        self.slowest_after_kill = 0.0  # longest GET-to-thank-you of a form in progress at or after the kill

    def fail(self, why):
        with self.lock:
            self.failures += 1
            self.fail_times.append(time.monotonic())
            self.errors[why] = self.errors.get(why, 0) + 1


def answers_for(page):
    """A complete answer set: one random level for every radio group of the page."""
    groups = {}
    for name, value in RADIO_RE.findall(page):
        groups.setdefault(name, []).append(value)
    return {name: random.choice(values) for name, values in groups.items()}


def call(client, stats, method, path, body=None):
    """One attempt; returns the page on a 200, None on a failure worth retrying."""
    with stats.lock:
        stats.attempts += 1
    try:
        status, text = client.request(method, path, body)
    except (OSError, http.client.HTTPException) as e:
        stats.fail(type(e).__name__)
        return None
    if status == 200:
        return text
    stats.fail("HTTP %d" % status)
    if status not in (429, 500, 502, 503, 504):
        raise RuntimeError("%s %s answered %d: %s" % (method, path, status, text[:200]))
    return None


def submit_one(client, stats, link, resend=False):
    """GET the form, POST it until acknowledged (optionally POST it once more). True if acked."""
    t_start = time.monotonic()
    t_end = t_start + FORM_DEADLINE_S
    page = None
    while page is None and time.monotonic() < t_end:
        page = call(client, stats, "GET", link)
        if page is None:
            time.sleep(0.1)
    if page is None:
        return False
    m = F_RE.search(page)
    if not m:
        raise RuntimeError("the form page has no hidden input f")
    fields = answers_for(page)
    # every answer group is a role="radiogroup" fieldset; the number of questions is the year's
    # (2566 EIT has 15 groups with sub-items, 2567 onward 9), so compare with the page itself
    groups = page.count('role="radiogroup"')
    if not fields or len(fields) != groups:
        raise RuntimeError("the form page has %d answer groups with radios, %d radiogroups"
                           % (len(fields), groups))
    body = urllib.parse.urlencode([("f", m.group(1))] + sorted(fields.items()))
    with stats.lock:
        stats.forms += 1
    for round_ in range(2 if resend else 1):
        ok = False
        while time.monotonic() < t_end:
            text = call(client, stats, "POST", link, body)
            if text is not None:
                if THANKS not in text:
                    raise RuntimeError("POST answered 200 without the thank-you page: %s" % text[:300])
                ok = True
                break
            time.sleep(0.1)
        if not ok:
            with stats.lock:
                stats.unacked += 1
            return False
        if round_ == 0:
            with stats.lock:
                stats.acked += 1
                if stats.t_kill is not None:
                    stats.slowest_after_kill = max(stats.slowest_after_kill, time.monotonic() - t_start)
    return True


def haproxy_sessions(stats_url):
    """Total connections per backend server of backend 'itad', from HAProxy's CSV page."""
    with urllib.request.urlopen(stats_url + ";csv", timeout=5) as r:
        text = r.read().decode()
    rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
    return {row["svname"]: (int(row["stot"] or 0), row["status"])
            for row in rows if row["pxname"] == "itad" and row["svname"] not in ("FRONTEND", "BACKEND")}


def run_get(a):
    """One GET; prints the status and the number of answer fields on the page."""
    status, text = Client(a.base, a.cacert).request("GET", a.link)
    print(json.dumps({"status": status, "radios": len(RADIO_RE.findall(text))}))


def run_once(a):
    client, stats = Client(a.base, a.cacert), Stats()
    for _ in range(min(a.count, MAX_FORMS)):
        submit_one(client, stats, a.link, resend=True)
    print(json.dumps({"acked": stats.acked, "forms": stats.forms, "unacked": stats.unacked,
                      "attempts": stats.attempts, "failures": stats.failures, "errors": stats.errors}))


def run_kill(a):
    client, stats = Client(a.base, a.cacert), Stats()
    mapping = dict(kv.split("=", 1) for kv in a.map.split(","))
    stop = threading.Event()
    crashed = []

    def worker():
        try:
            n = 0
            while not stop.is_set() and n < MAX_FORMS // a.concurrency:
                submit_one(client, stats, a.link)
                n += 1
        except Exception as e:  # reported by the main thread
            crashed.append(repr(e))

    threads = [threading.Thread(target=worker) for _ in range(a.concurrency)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(a.before)
    before = haproxy_sessions(a.stats)
    victim_sv = max(before, key=lambda k: before[k][0])
    victim = mapping[victim_sv]
    with stats.lock:
        acked_at_kill = stats.acked
    stats.t_kill = time.monotonic()
    subprocess.run(["docker", "kill", victim], check=True, stdout=subprocess.DEVNULL)
    time.sleep(a.after)
    stop.set()
    for t in threads:
        t.join(FORM_DEADLINE_S + 15)
    t_end = time.monotonic()
    after = haproxy_sessions(a.stats)
    after_kill = [t - stats.t_kill for t in stats.fail_times if t >= stats.t_kill]
    out = {
        "seconds": round(t_end - t0, 1),
        "killed": {"server": victim_sv, "container": victim},
        "sessions_before_kill": {k: v[0] for k, v in before.items()},
        "sessions_after": {k: v[0] for k, v in after.items()},
        "status_after": {k: v[1] for k, v in after.items()},
        "acked_at_kill": acked_at_kill,
        "acked": stats.acked, "forms": stats.forms, "unacked": stats.unacked,
        "attempts": stats.attempts, "failures": stats.failures, "errors": stats.errors,
        "failures_after_kill": len(after_kill),
        "first_failure_after_kill_s": round(min(after_kill), 2) if after_kill else None,
        "last_failure_after_kill_s": round(max(after_kill), 2) if after_kill else None,
        "slowest_form_after_kill_s": round(stats.slowest_after_kill, 2),
        "crashed": crashed,
    }
    print(json.dumps(out))
    if crashed:
        sys.exit(1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["get", "once", "kill"])
    p.add_argument("--base", required=True)
    p.add_argument("--cacert", required=True)
    p.add_argument("--link", required=True)
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--stats")
    p.add_argument("--map")
    p.add_argument("--before", type=float, default=5)
    p.add_argument("--after", type=float, default=10)
    p.add_argument("--concurrency", type=int, default=4)
    a = p.parse_args()
    if a.mode == "get":
        run_get(a)
    elif a.mode == "once":
        run_once(a)
    else:
        run_kill(a)


if __name__ == "__main__":
    main()
