#!/usr/bin/env bash
# The monitoring files of docs/monitoring against the real server: starts itad (its own database
# in the test cluster, metrics on PORT+1), sends a few requests so that every route and status
# family has a series, scrapes /metrics and checks
#   1. `promtool check metrics`: the exposition itself is valid and lint-clean;
#   2. `promtool check rules` and `promtool test rules` on ita-alerts.yml (the alerts fire, and
#      stay quiet, where ita-alerts.test.yml says);
#   3. every metric the rules and the Grafana dashboard name is one the server exports, and every
#      route, state, outcome and verdict they select by is a label value the server emits;
#   4. the dashboard is valid JSON laid out on Grafana's 24-column grid, each panel with a query.
# promtool comes from Debian's prometheus package, unpacked (not installed: no daemon) by
# scripts/test into var/tools (ITA_PROMTOOL overrides).
set -euo pipefail
: "${ITA_ITAD:?run through ctest}" "${ITA_TEST_PG_DIR:?}" "${ITA_TEST_TMP:?}" "${ITA_TEST_PORT:?}" "${ITA_SOURCE_DIR:?}"
mon=$ITA_SOURCE_DIR/docs/monitoring
promtool=${ITA_PROMTOOL:-}
[ -n "$promtool" ] || promtool=$(command -v promtool || true)
[ -n "$promtool" ] || promtool=$ITA_SOURCE_DIR/var/tools/promtool
[ -x "$promtool" ] || { echo "monitoring test: promtool is missing (scripts/test unpacks it into var/tools; or set ITA_PROMTOOL)" >&2; exit 1; }

mkdir -p "$ITA_TEST_TMP"
work=$(mktemp -d "$ITA_TEST_TMP/monitoring-XXXXXX")
pg="host=$ITA_TEST_PG_DIR port=5432 user=ita"
psql "$pg dbname=postgres" -qX -c "DROP DATABASE IF EXISTS monitoring WITH (FORCE)" -c "CREATE DATABASE monitoring" >/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
head -c 48 /dev/urandom > "$work/secret"
port=$ITA_TEST_PORT mport=$((ITA_TEST_PORT + 1))
"$ITA_ITAD" --database-url="$pg dbname=monitoring" --secret-file="$work/secret" --port="$port" \
    --migrations-dir="$ITA_SOURCE_DIR/sql" --metrics-listen="127.0.0.1:$mport" --db-timeout-ms=20000 \
    --tls-cert="$work/cert.pem" --tls-key="$work/key.pem" --workers=2 2>"$work/itad.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
base=https://localhost:$port
for _ in $(seq 1 100); do curl -sf --cacert "$work/cert.pem" "$base/healthz" >/dev/null && break; sleep 0.1; done
curl -sf --cacert "$work/cert.pem" "$base/healthz" >/dev/null || { cat "$work/itad.log" >&2; echo "monitoring test: itad did not start" >&2; exit 1; }
# A few requests: a form and a submission behind links that do not exist (404), the login page.
c() { curl -s -o /dev/null --cacert "$work/cert.pem" "$@" || true; }
c "$base/s/no-such-agency"; c -d 'x=1' "$base/s/no-such-agency"
c "$base/t/AAAAAAAAAAAAAAAAAAAAAA"; c -d 'x=1' "$base/t/AAAAAAAAAAAAAAAAAAAAAA"
c "$base/admin/login"; c "$base/"
curl -sf "http://127.0.0.1:$mport/metrics" > "$work/metrics.txt"
failed=0
ok() { printf 'ok - %s\n' "$*"; }
bad() { printf 'not ok - %s\n' "$*"; failed=1; }

if "$promtool" check metrics < "$work/metrics.txt" > "$work/lint.txt" 2>&1; then
    ok "promtool check metrics: the exposition of /metrics is valid and lint-clean ($(grep -c '^ita_' "$work/metrics.txt") series)"
else
    bad "promtool check metrics:"; sed 's/^/    /' "$work/lint.txt"
fi
if "$promtool" check rules "$mon/ita-alerts.yml" > "$work/rules.txt" 2>&1; then
    ok "promtool check rules: $(grep -o '[0-9]* rules found' "$work/rules.txt")"
else
    bad "promtool check rules:"; sed 's/^/    /' "$work/rules.txt"
fi
if (cd "$mon" && "$promtool" test rules ita-alerts.test.yml) > "$work/rtest.txt" 2>&1; then
    ok "promtool test rules: every case of ita-alerts.test.yml passes"
else
    bad "promtool test rules:"; sed 's/^/    /' "$work/rtest.txt"
fi
if python3 - "$work/metrics.txt" "$mon/ita-alerts.yml" "$mon/ita-dashboard.json" <<'PY'
import json, re, sys
scrape = open(sys.argv[1]).read()
exported = set()
for name, kind in re.findall(r'^# TYPE (\S+) (\S+)$', scrape, re.M):
    exported.add(name)
    if kind == 'histogram':
        exported |= {name + '_bucket', name + '_sum', name + '_count'}
values = {}
for lab, val in re.findall(r'[{,](\w+)="([^"]*)"', scrape):
    values.setdefault(lab, set()).add(val)
rules = open(sys.argv[2]).read()
dash = json.load(open(sys.argv[3]))
exprs = [l for l in rules.splitlines() if not l.lstrip().startswith(('summary', 'description', '#'))]
for p in dash['panels']:
    for t in p.get('targets', []):
        exprs.append(t['expr'])
text = '\n'.join(exprs)
problems = []
for m in sorted(set(re.findall(r'\bita_[a-z_]+', text))):
    if m not in exported:
        problems.append('metric %s is not exported by itad' % m)
for lab in ('route', 'state', 'outcome', 'verdict'):
    for sel in re.findall(r'\b%s=~?"([^"]+)"' % lab, text):
        for v in sel.split('|'):
            if re.fullmatch(r'\w+', v) and v not in values.get(lab, set()):
                problems.append('%s="%s" is not a label value itad emits' % (lab, v))
if dash.get('uid') != 'ita-itad' or not dash.get('panels'):
    problems.append('dashboard: no uid or no panels')
for p in dash['panels']:
    g = p.get('gridPos', {})
    if g.get('x', 0) + g.get('w', 0) > 24:
        problems.append('panel %r is wider than the grid' % p['title'])
    if p['type'] != 'row' and not p.get('targets'):
        problems.append('panel %r has no query' % p['title'])
for pr in problems:
    print('    ' + pr)
print('    %d metrics named by the rules and the dashboard, %d panels' % (
    len(set(re.findall(r'\bita_[a-z_]+', text))), len(dash['panels'])))
sys.exit(1 if problems else 0)
PY
then ok "the rules and the dashboard name only what itad exports"
else bad "the rules or the dashboard name what itad does not export (above)"
fi
exit $failed
