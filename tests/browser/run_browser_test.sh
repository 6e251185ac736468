#!/usr/bin/env bash
# ctest wrapper for the browser test: a database of its own in the test cluster, the real itad
# (from this build) with a fresh certificate and secret, demonstration links from `itad --demo`,
# then survey.mjs in Debian's Chromium, then the database is checked for exactly the responses
# the browser sent. Screenshots land in $ITA_TEST_TMP/../test-output/browser/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${ITA_ITAD:?run through ctest}" "${ITA_ITACTL:?}" "${ITA_TEST_PG_DIR:?}" "${ITA_TEST_TMP:?}" "${ITA_TEST_PORT:?}"
for tool in node npm /usr/bin/chromium; do
    command -v "$tool" >/dev/null || { echo "browser test: $tool is missing (scripts/test installs nodejs, npm and chromium)" >&2; exit 1; }
done
if [ ! -f "$here/node_modules/playwright-core/package.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
    [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ] \
        && export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

mkdir -p "$ITA_TEST_TMP"
work=$(mktemp -d "$ITA_TEST_TMP/browser-XXXXXX")
shots=$(cd "$ITA_TEST_TMP/.." && pwd)/test-output/browser
mkdir -p "$shots"
pg="host=$ITA_TEST_PG_DIR port=5432 user=ita"
psql "$pg dbname=postgres" -qX -c "DROP DATABASE IF EXISTS ita_browser WITH (FORCE)" -c "CREATE DATABASE ita_browser" >/dev/null
db="$pg dbname=ita_browser"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
head -c 48 /dev/urandom > "$work/secret"
common=(--database-url="$db" --secret-file="$work/secret" --port="$ITA_TEST_PORT"
        --migrations-dir="$ITA_SOURCE_DIR/sql" --metrics-listen=)  # no metrics listener: tests share no port
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
links=$("$ITA_ITAD" "${common[@]}" --demo 2>>"$work/setup.log")
eit=$(printf '%s\n' "$links" | awk '/EIT public link/ {print $NF}')
personal=$(printf '%s\n' "$links" | awk '/personal link/ {print $NF}')

"$ITA_ITAD" "${common[@]}" --tls-cert="$work/cert.pem" --tls-key="$work/key.pem" --workers=2 \
    --rollup-interval-ms=200 2>"$work/itad.log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    "$ITA_ITACTL" --url "https://localhost:$ITA_TEST_PORT" --cacert "$work/cert.pem" healthz >/dev/null 2>&1 && break
    sleep 0.1
done

ITA_EIT_URL=$eit ITA_PERSONAL_URL=$personal ITA_SHOTS_DIR=$shots node "$here/survey.mjs"

# The browser sent three complete EIT forms and one IIT form; the database must hold exactly those
# (wherever the rollup has them: in the inbox, waiting for k, or counted).
counts=$(psql "$db" -AtqX -c "SELECT string_agg(instrument || '=' || n, ' ' ORDER BY instrument)
    FROM (SELECT instrument, count(*) AS n FROM (SELECT agency_id, instrument FROM response_inbox
          UNION ALL SELECT agency_id, instrument FROM response_pending
          UNION ALL SELECT agency_id, instrument FROM response) r
          WHERE agency_id = (SELECT id FROM agency WHERE code = 'DEMO') GROUP BY 1) c")
echo "stored responses: $counts"
[ "$counts" = "EIT=3 IIT=1" ] || { echo "browser test: expected 'EIT=3 IIT=1' in the database, found '$counts'" >&2; exit 1; }
kill -TERM $pid
wait $pid
trap - EXIT
echo "screenshots: $shots"
ls "$shots"
