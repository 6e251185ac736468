#!/usr/bin/env bash
# ctest wrapper for the browser test: a database of its own in the test cluster, the real itad
# (from this build) with a fresh certificate and secret, demonstration links from `itad --demo`,
# then survey.mjs in Debian's Chromium, then the database is checked for exactly the responses
# the browser sent. Screenshots land in $ITA_TEST_TMP/../test-output/browser/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "browser test" ita_browser
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
links=$("$ITA_ITAD" "${common[@]}" --demo 2>>"$work/setup.log")
eit=$(printf '%s\n' "$links" | awk '/EIT public link/ {print $NF}')
personal=$(printf '%s\n' "$links" | awk '/personal link/ {print $NF}')

browser_start_itad --rollup-interval-ms=200

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
browser_stop_itad
echo "screenshots: $shots"
ls "$shots"
