#!/usr/bin/env bash
# ctest wrapper for the year-copy and year-preview browser test: a database of its own, the real
# itad, the instruments of 2569 and 2570, one agency whose fiscal year 2569 is set up (through the
# database's own ita_save_year, as the year page saves) and 2570 not, its administrator, and a
# second agency the clerk must not reach. yearcopy.mjs drives Chromium at 1280 and 360 px: the
# copy offer on 2570's page, the form pre-filled (and not saved) with 2569's window shifted a year
# and its populations, saved by the clerk; the IIT and EIT previews answered (missing answers
# refused in Thai, then all) without storing anything. Afterwards the database must hold the
# shifted window and no answer at all. Screenshots land in
# $ITA_TEST_TMP/../test-output/browser/yearcopy-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "yearcopy browser test" ita_browser_yearcopy
rm -f "$shots"/yearcopy-*.png

for fy in 2569 2570; do
    "$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/$fy.json" 2>>"$work/setup.log" >/dev/null
done
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('NKW', 'เทศบาลตำบลหนองแก้ว') RETURNING id")
other=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('OTH', 'เทศบาลตำบลอื่น') RETURNING id")
# 2569: 1 Nov 2025 to 31 Jan 2026 (closing day inclusive), 48 staff, 1200 outside stakeholders
psql "$db" -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT ita_save_year($agency, 2569::smallint, '2025-11-01', '2026-01-31', 48, 1200,
                     'yearcopyIITslug2569aaaa', 'yearcopyEITslug2569aaaa');
SQL
email=clerk@nongkaeo.go.th
password=$(browser_create_admin "$email" --agency NKW)

export ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_OTHER=$other ITA_EMAIL=$email \
    ITA_PASSWORD=$password ITA_SHOTS_DIR=$shots

browser_start_itad
node "$here/yearcopy.mjs"

# What the browser did, seen from the database: 2570 holds 2569's window a year later (closing
# day inclusive: closes_at is the midnight after it, Thailand's time) and its populations, 2569
# is untouched, and no answer, pending answer or used form nonce exists anywhere.
got=$(psql "$db" -AtqX <<SQL
SELECT concat_ws(' ',
  (SELECT (opens_at AT TIME ZONE 'Asia/Bangkok')::date = '2026-11-01'
      AND (closes_at AT TIME ZONE 'Asia/Bangkok') = '2027-02-01'::date
      AND staff_population = 48 AND eit_population = 1200
     FROM agency_year WHERE agency_id = $agency AND fiscal_year = 2570),
  (SELECT (opens_at AT TIME ZONE 'Asia/Bangkok')::date = '2025-11-01'
     FROM agency_year WHERE agency_id = $agency AND fiscal_year = 2569),
  (SELECT count(*) FROM response_inbox) + (SELECT count(*) FROM response)
    + (SELECT count(*) FROM response_pending) + (SELECT count(*) FROM used_nonce))
SQL
)
[ "$got" = "t t 0" ] || { echo "yearcopy browser test: expected 't t 0' (2570 = 2569 shifted, 2569 untouched, nothing stored), found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
ls "$shots" | grep '^yearcopy-'
