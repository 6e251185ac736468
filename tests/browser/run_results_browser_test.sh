#!/usr/bin/env bash
# ctest wrapper for the results browser test: a database of its own, the real itad with a fresh
# certificate, secret and signing key, an agency (NKP) with 6 IIT and 6 EIT responses and its OIT
# marks (all but one): fewer than the minimum samples (25 and 30 while its populations are not
# entered), so its results stay preliminary; a second agency (KMP) with 25 IIT and 30 EIT
# responses and all 43 OIT marks: rated. A system administrator from `itad --create-admin`; then
# results.mjs in Debian's Chromium signs in, marks NKP's last OIT item, checks the preliminary
# banner and that no rating shows, the report ("ข้อ 10", print button, no sideways scrolling at
# 360 px), the CSV exports' Thai and English column names, KMP's rating, saves a draft measure,
# and screenshots everything into $ITA_TEST_TMP/../test-output/browser/results-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "browser test" ita_browser_results
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
password=$(browser_create_admin clerk@example.go.th)
# An agency with answers at levels 1 and 0 (valid for every scale), and OIT marks O1..O42; a
# second one with the minimum samples and every OIT mark.
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('NKP', 'เทศบาลนครนครปฐม') RETURNING id")
rated=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('KMP', 'เทศบาลเมืองกำแพงแสน') RETURNING id")
psql "$db" -qX -v ON_ERROR_STOP=1 <<SQL >/dev/null
INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)
SELECT $agency, 2566, k, decode(repeat(CASE WHEN i % 3 = 0 THEN '00' ELSE '01' END, n), 'hex')
FROM (VALUES ('IIT', (SELECT iit_fields FROM instrument_version WHERE fiscal_year = 2566)),
             ('EIT', (SELECT eit_fields FROM instrument_version WHERE fiscal_year = 2566))) v(k, n),
     generate_series(1, 6) i;
INSERT INTO oit_result (agency_id, fiscal_year, item_code, met, evidence_url)
SELECT $agency, 2566, 'O' || i, i % 7 <> 0, 'https://nkp.go.th/ita/o' || i FROM generate_series(1, 42) i;
INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers)
SELECT $rated, 2566, k, decode(repeat(CASE WHEN i % 4 = 0 THEN '00' ELSE '01' END, n), 'hex')
FROM (VALUES ('IIT', (SELECT iit_fields FROM instrument_version WHERE fiscal_year = 2566), 25),
             ('EIT', (SELECT eit_fields FROM instrument_version WHERE fiscal_year = 2566), 30)) v(k, n, m),
     generate_series(1, 30) i WHERE i <= m;
INSERT INTO oit_result (agency_id, fiscal_year, item_code, met, evidence_url)
SELECT $rated, 2566, 'O' || i, true, 'https://kmp.go.th/ita/o' || i FROM generate_series(1, 43) i;
-- NKP's published 2565 result (the seed's figures): /admin/report of 2565 shows its O42 report
INSERT INTO agency_result (agency_id, fiscal_year, total, iit, eit, oit, indicators, rating, source)
VALUES ($agency, 2565, 95.82, 90.42, 95.65, 100, '{94.56,88.13,90.81,88.09,90.53,96.03,96.20,94.74,100,100}', 'AA', 'entered');
SQL
browser_start_itad --signing-key-file="$work/signing_key" --rollup-interval-ms=200
# NKP has no survey window: the first rollup tick counts its answers and seals them (scores are
# shown only then)
for _ in $(seq 1 100); do
    [ "$(psql "$db" -AtqX -c "SELECT count(*) FROM response_tally WHERE sealed")" = 4 ] && break
    sleep 0.1
done
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_RATED=$rated ITA_EMAIL=clerk@example.go.th \
    ITA_PASSWORD=$password ITA_SHOTS_DIR=$shots node "$here/results.mjs"
# The browser marked O43 and saved one measure.
got=$(psql "$db" -AtqX -c "SELECT (SELECT count(*) FROM oit_result WHERE agency_id = $agency) || ' ' || (SELECT count(*) FROM improvement_measure)")
[ "$got" = "43 1" ] || { echo "results browser test: expected '43 1' (NKP's OIT rows, measures), found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
