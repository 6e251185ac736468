#!/usr/bin/env bash
# ctest wrapper for the charts browser test (issue #16): a database of its own with the 2567
# instruments (the tiers, with per-tool minimums), the real itad, a system administrator; agency
# KMP with a closed survey window, 25 IIT and 30 EIT answers and all OIT marks (rated), and its
# published results of 2561-2566 in agency_result; agency LOW with 3 IIT answers (fewer than
# k = 5: no IIT figure may show) and 6 EIT answers. charts.mjs in Debian's Chromium compares every
# chart's data-value with the page's tables and with these rows, at 360 and 1280 px, runs axe,
# prints the report to PDF and screenshots into $ITA_TEST_TMP/../test-output/browser/charts-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "charts browser test" ita_browser_charts
rm -f "$shots"/charts-*.png "$shots"/charts-*.pdf
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2567.json" 2>>"$work/setup.log" >/dev/null
email=clerk@example.go.th
password=$(browser_create_admin "$email")
rated=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('KMP', 'เทศบาลเมืองกำแพงแสน') RETURNING id")
low=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('LOW', 'เทศบาลตำบลทดสอบ') RETURNING id")
# The published history: year:total:rating, the same rows the page must draw.
history="2561:86.12:A 2562:78.40:B 2563:88.75:A 2564:95.10:AA 2565:91.33:A 2566:96.02:AA"
values=""
for h in $history; do
    IFS=: read -r y t r <<<"$h"
    values="$values${values:+,}($rated, $y, $t, '$r', 'entered')"
done
psql "$db" -qX -v ON_ERROR_STOP=1 <<SQL >/dev/null
INSERT INTO agency_result (agency_id, fiscal_year, total, rating, source) VALUES $values;
-- another agency's row must not show on KMP's chart
INSERT INTO agency_result (agency_id, fiscal_year, total, rating, source) VALUES ($low, 2565, 55.55, 'D', 'entered');
INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at)
VALUES ($rated, 2567, now() - interval '20 days', now() - interval '1 day');
INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)
SELECT $rated, 2567, k, decode(repeat(CASE WHEN i % 4 = 0 THEN '00' ELSE '01' END, n), 'hex')
FROM (VALUES ('IIT', (SELECT iit_fields FROM instrument_version WHERE fiscal_year = 2567), 25),
             ('EIT', (SELECT eit_fields FROM instrument_version WHERE fiscal_year = 2567), 30)) v(k, n, m),
     generate_series(1, 30) i WHERE i <= m;
INSERT INTO oit_result (agency_id, fiscal_year, item_code, met, evidence_url)
SELECT $rated, 2567, item->>'code', true, 'https://kmp.go.th/ita/' || (item->>'code')
FROM instrument_version, jsonb_array_elements(document::jsonb->'oit'->'items') item WHERE fiscal_year = 2567;
INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)
SELECT $low, 2567, k, decode(repeat(CASE WHEN i % 2 = 0 THEN '00' ELSE '01' END, n), 'hex')
FROM (VALUES ('IIT', (SELECT iit_fields FROM instrument_version WHERE fiscal_year = 2567), 3),
             ('EIT', (SELECT eit_fields FROM instrument_version WHERE fiscal_year = 2567), 6)) v(k, n, m),
     generate_series(1, 6) i WHERE i <= m;
SQL
browser_start_itad --signing-key-file="$work/signing_key" --rollup-interval-ms=200
# Both agencies' windows are closed (LOW has none): the first rollup ticks count and seal all four
# groups.
for _ in $(seq 1 150); do
    [ "$(psql "$db" -AtqX -c "SELECT count(*) FROM response_tally WHERE sealed")" = 4 ] && break
    sleep 0.1
done
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_RATED=$rated ITA_LOW=$low ITA_EMAIL=$email \
    ITA_PASSWORD=$password ITA_SHOTS_DIR=$shots ITA_HISTORY="$history" node "$here/charts.mjs"
echo "screenshots: $shots"
