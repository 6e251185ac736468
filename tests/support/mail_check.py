#!/usr/bin/python3
"""Reads back every message the test relay stored (tests/support/smtp_sink.py) with Python's own
e-mail parser and says what is wrong with them.

usage: mail_check.py DIR

For every DIR/*.eml (first line "X-Envelope-To: ..." as the sink writes it) checks: MIME-Version
1.0; multipart/alternative with exactly a text/plain and a text/html part, both charset utf-8;
the Subject decodes to Thai; both parts hold Thai; the HTML part has lang="th"; Message-ID and
Date present; Auto-Submitted: auto-generated; no List-Unsubscribe; no line longer than 78
characters; the personal links (http(s)://HOST/t/TOKEN) of the plain part are the HTML part's
links, each once. Prints one JSON object:
  {"messages": N, "invalid": ["file: reason", ...], "recipients": {addr: count},
   "message_ids": [...], "message_ids_repeated": K, "links": [...], "links_distinct": M,
   "subjects": [first three decoded subjects], "froms": [first three decoded From headers]}
"""
import collections
import email
import email.header
import email.policy
import email.utils
import json
import os
import re
import sys

THAI = re.compile("[\u0e00-\u0e7f]")
LINK = re.compile(r"https?://[^\s<>\"']+/t/[A-Za-z0-9_-]+")
HREF = re.compile(r"<a href=\"(https?://[^\"]+/t/[A-Za-z0-9_-]+)\"")


def decoded_from(raw, bad):
    """The From header of raw decoded by email.header (RFC 2047 6.2 on white space)."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
    m = re.search(r"\r\nFrom:((?:[^\r]*)(?:\r\n[ \t][^\r]*)*)", head)
    if not m:
        bad.append("no From")
        return ""
    value = re.sub(r"\r\n([ \t])", r"\1", m.group(1)).strip()
    return str(email.header.make_header(email.header.decode_header(value)))


def check(path, raw, out):
    bad = []
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    name = os.path.basename(path)
    for i, line in enumerate(raw.split(b"\r\n")):
        if i > 0 and len(line) > 78:  # the sink's own first line does not count
            bad.append(f"line {i + 1} has {len(line)} characters")
            break
    if msg.get("MIME-Version", "").strip() != "1.0":
        bad.append("no MIME-Version: 1.0")
    if msg.get("Auto-Submitted", "").strip() != "auto-generated":
        bad.append("no Auto-Submitted: auto-generated")
    if "List-Unsubscribe" in msg:
        bad.append("List-Unsubscribe present")
    mid = msg.get("Message-ID", "")
    if not re.fullmatch(r"<[^<>\s]+@[^<>\s]+>", str(mid).strip()):
        bad.append(f"Message-ID missing or malformed: {mid!r}")
    else:
        out["message_ids"].append(str(mid).strip()[1:-1])
    try:
        if email.utils.parsedate_to_datetime(str(msg.get("Date", ""))) is None:
            bad.append("no Date")
    except (TypeError, ValueError):
        bad.append("Date unreadable")
    # From decoded the RFC 2047 way (white space between adjacent encoded words dropped, 6.2):
    # the default policy's address parser keeps it, which no mail program does
    out["froms"].append(decoded_from(raw, bad))
    subject = str(msg.get("Subject", ""))
    out["subjects"].append(subject)
    if not THAI.search(subject):
        bad.append("Subject is not Thai")
    for rcpt in raw.split(b"\r\n", 1)[0].decode().split(":", 1)[1].split(","):
        if rcpt.strip():
            out["recipients"][rcpt.strip()] += 1

    if msg.get_content_type() != "multipart/alternative":
        bad.append(f"Content-Type {msg.get_content_type()}, not multipart/alternative")
        return [f"{name}: {b}" for b in bad]
    parts = list(msg.iter_parts())
    types = [p.get_content_type() for p in parts]
    if types != ["text/plain", "text/html"]:
        bad.append(f"parts {types}, not text/plain then text/html")
        return [f"{name}: {b}" for b in bad]
    texts = []
    for p in parts:
        if (p.get_content_charset() or "").lower() != "utf-8":
            bad.append(f"{p.get_content_type()} charset {p.get_content_charset()}")
        try:
            texts.append(p.get_content())
        except (LookupError, UnicodeError) as e:
            bad.append(f"{p.get_content_type()} undecodable: {e}")
            texts.append("")
    plain, html = texts
    if not THAI.search(plain):
        bad.append("text/plain has no Thai")
    if not THAI.search(html):
        bad.append("text/html has no Thai")
    if not re.search(r"<html[^>]*\blang=\"th\"", html):
        bad.append('the HTML part has no lang="th"')
    links = LINK.findall(plain)
    hrefs = HREF.findall(html)
    if len(links) != 1:
        bad.append(f"{len(links)} personal links in the plain part, not 1")
    if sorted(links) != sorted(hrefs):
        bad.append(f"links of the plain part {links} differ from the HTML part's {hrefs}")
    out["links"].extend(links)
    return [f"{name}: {b}" for b in bad]


def main():
    d = sys.argv[1]
    out = {"messages": 0, "invalid": [], "recipients": collections.Counter(), "message_ids": [],
           "links": [], "subjects": [], "froms": []}
    for name in sorted(os.listdir(d)):
        if not name.endswith(".eml") or name.startswith("."):
            continue
        path = os.path.join(d, name)
        with open(path, "rb") as f:
            raw = f.read()
        out["messages"] += 1
        try:
            out["invalid"].extend(check(path, raw, out))
        except Exception as e:  # a message the parser cannot take at all is invalid, not a crash
            out["invalid"].append(f"{name}: unreadable: {e!r}")
    ids = out["message_ids"]
    out["message_ids_repeated"] = len(ids) - len(set(ids))
    out["links_distinct"] = len(set(out["links"]))
    out["subjects"] = out["subjects"][:3]
    out["froms"] = out["froms"][:3]
    out["recipients"] = dict(out["recipients"])
    json.dump(out, sys.stdout, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
