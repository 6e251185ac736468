#!/usr/bin/env bash
# ctest wrapper for the OIT work browser test (issue #17): a database of its own, the real itad,
# the 2566 and 2567 instruments, one agency with its administrator, another agency with its own;
# then oit_work.mjs in Debian's Chromium makes units, assigns items, sets states and due dates
# (one late), adds evidence URLs, copies 2566 into 2567, at 360 and 1280 px. The link checker is
# another part of the system: the test writes one "broken" verdict with psql (ITA_DB) to see the
# flag. Afterwards the database must hold what the browser did, each change with its audit row.
# Screenshots land in $ITA_TEST_TMP/../test-output/browser/oit-work-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "OIT work browser test" ita_browser_oit_work
rm -f "$shots"/oit-work-*.png
for y in 2566 2567; do
    "$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/$y.json" 2>>"$work/setup.log" >/dev/null
done
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('TKS', 'เทศบาลตำบลท่าข้าวเปลือก') RETURNING id")
other=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('OTH', 'เทศบาลตำบลอื่น') RETURNING id")
email=clerk@thakhaopluak.go.th
password=$(browser_create_admin "$email" --agency TKS)
other_email=clerk@other.go.th
other_password=$(browser_create_admin "$other_email" --agency OTH)

# the pages are tested, not the checker: its verdicts would replace the one written with psql
browser_start_itad --link-check=false
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_OTHER_AGENCY=$other ITA_EMAIL=$email \
    ITA_PASSWORD=$password ITA_OTHER_EMAIL=$other_email ITA_OTHER_PASSWORD=$other_password \
    ITA_DB="$db" ITA_SHOTS_DIR=$shots node "$here/oit_work.mjs"

# What the browser did, seen from the database: four units (one retired), 2566's O1-O3 assigned
# with their states, three evidence URLs, the 2567 copy of the three items, nothing for the other
# agency, and an audit row for every change.
got=$(psql "$db" -AtqX <<SQL
SELECT concat_ws(' ',
  (SELECT count(*) || '/' || count(*) FILTER (WHERE retired) FROM org_unit WHERE agency_id = $agency),
  (SELECT string_agg(item_code || '=' || state, ',' ORDER BY item_code) FROM oit_item_work
     WHERE agency_id = $agency AND fiscal_year = 2566),
  (SELECT count(*) FROM oit_evidence WHERE agency_id = $agency),
  (SELECT count(DISTINCT item_code) FROM oit_assignment WHERE agency_id = $agency AND fiscal_year = 2567),
  (SELECT count(*) FROM org_unit WHERE agency_id = $other) + (SELECT count(*) FROM oit_item_work WHERE agency_id = $other),
  (SELECT count(*) FROM audit_log WHERE action = 'oit_unit_add' AND agency_id = $agency),
  (SELECT count(*) FROM audit_log WHERE action = 'oit_item_set' AND agency_id = $agency),
  (SELECT count(*) FROM audit_log WHERE action = 'oit_evidence_add' AND agency_id = $agency),
  (SELECT count(*) FROM audit_log WHERE action = 'oit_copy_year' AND agency_id = $agency AND fiscal_year = 2567))
SQL
)
want="4/1 O1=in_progress,O2=published,O3=ready 3 3 0 4 3 3 2"
[ "$got" = "$want" ] || { echo "OIT work browser test: expected '$want', found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
ls "$shots" | grep '^oit-work-'
