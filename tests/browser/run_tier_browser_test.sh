#!/usr/bin/env bash
# ctest wrapper for the browser test of a fiscal year rated with the tiers (from 2567): a
# database of its own with the 2568 instruments, the real itad (k = 3), a system administrator;
# tier.mjs in Debian's Chromium sets up the agency's 2568 year on the web admin, answers the
# six-level IIT form and the EIT form three times each on a 360 px phone (phase "answer"); this
# script then ends the survey window as the calendar would and waits until the answers are
# counted and sealed; tier.mjs enters the 33 OIT items and reads the results page and the report:
# preliminary while 3 answers are fewer than the minimum samples of 40 staff and 100 stakeholders;
# once the populations are 3 and 3, the tier ผ่าน, the tool that keeps it from ผ่านดี (EIT 84.44
# < 85.00), the rise each tool needs (phase "results"). Screenshots go to $ITA_TEST_TMP/../test-output/browser/tier-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "tier browser test" ita_browser_tier
rm -f "$shots"/tier-*.png
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2568.json" 2>>"$work/setup.log" >/dev/null
email=auditor@example.go.th
password=$(browser_create_admin "$email")
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('MTS', 'เทศบาลเมืองทดสอบ') RETURNING id")
browser_start_itad --signing-key-file="$work/signing_key" --rollup-interval-ms=200 --results-min-responses=3
export ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_EMAIL=$email \
    ITA_PASSWORD=$password ITA_SHOTS_DIR=$shots ITA_INSTRUMENT_FILE="$ITA_SOURCE_DIR/instruments/2568.json" \
    ITA_OPENS=$(date -u -d yesterday +%F) ITA_CLOSES=$(date -u -d '+30 days' +%F) ITA_DB="$db"
ITA_PHASE=answer node "$here/tier.mjs"
# The answers reached the server: 3 IIT and 3 EIT, waiting while the window is open.
got=$(psql "$db" -AtqX -c "SELECT (SELECT count(*) FROM response_inbox) + (SELECT count(*) FROM response_pending) + (SELECT count(*) FROM response)")
[ "$got" = 6 ] || { echo "tier browser test: expected 6 stored answers, found $got" >&2; exit 1; }
# The calendar moves on: the window ended more than the 30 s grace ago, so the next rollup tick
# counts and seals both instruments.
psql "$db" -qX -v ON_ERROR_STOP=1 -c "UPDATE agency_year SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 minute'" \
    -c "UPDATE survey_link SET opens_at = now() - interval '2 days', closes_at = now() - interval '1 minute'" >/dev/null
for _ in $(seq 1 150); do
    [ "$(psql "$db" -AtqX -c "SELECT count(*) FROM response_tally WHERE sealed AND responses = 3")" = 2 ] && break
    sleep 0.1
done
ITA_PHASE=results node "$here/tier.mjs"
got=$(psql "$db" -AtqX -c "SELECT count(*) FILTER (WHERE met) || ' ' || count(*) FROM oit_result WHERE fiscal_year = 2568")
[ "$got" = "33 33" ] || { echo "tier browser test: expected 33 OIT items met, found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
