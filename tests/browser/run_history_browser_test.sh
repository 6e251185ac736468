#!/usr/bin/env bash
# ctest wrapper for the past-results browser test (issue #16): a database of its own, the real
# itad, two agencies (TKS, OTH) with an administrator each and a system administrator; then
# history.mjs enters, imports and deletes past years in Chromium. Afterwards the database must
# hold what the browser did, and audit_log one row per change. Screenshots:
# $ITA_TEST_TMP/../test-output/browser/history-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "history browser test" ita_browser_history
rm -f "$shots"/history-*.png
# the schema (itad migrates on its first start) and the 2566 instruments
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('TKS', 'เทศบาลตำบลท่าข้าวเปลือก') RETURNING id")
psql "$db" -qX -c "INSERT INTO agency (code, name_th) VALUES ('OTH', 'เทศบาลตำบลอื่น')" >/dev/null
email=clerk@thakhaopluak.go.th
password=$(browser_create_admin "$email" --agency TKS)
other=clerk@other.go.th
other_password=$(browser_create_admin "$other" --agency OTH)
sys=sys@ita.go.th
sys_password=$(browser_create_admin "$sys")
browser_start_itad
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_EMAIL=$email ITA_PASSWORD=$password \
    ITA_SYS_EMAIL=$sys ITA_SYS_PASSWORD=$sys_password ITA_OTHER_EMAIL=$other \
    ITA_OTHER_PASSWORD=$other_password ITA_WORK="$work" ITA_SHOTS_DIR=$shots node "$here/history.mjs"

# itactl history import with the system administrator's API token: one more year of OTH.
"$ITA_ITAD" "${common[@]}" --create-api-token "$sys" 2>/dev/null | head -1 > "$work/token"
printf 'รหัสหน่วยงาน,ปีงบประมาณ,คะแนนรวม,ผลการประเมิน\r\nOTH,2559,65.5,C\r\n' > "$work/itactl.csv"
out=$("$ITA_ITACTL" --url "https://localhost:$ITA_TEST_PORT" --cacert "$work/cert.pem" \
    --token-file "$work/token" history import "$work/itactl.csv")
[ "$out" = "$work/itactl.csv: 1 years of 1 agencies imported" ] || { echo "history browser test: itactl said '$out'" >&2; exit 1; }
printf 'รหัสหน่วยงาน,ปีงบประมาณ,คะแนนรวม,ผลการประเมิน\r\nOTH,2559,165,C\r\n' > "$work/itactl-bad.csv"
if "$ITA_ITACTL" --url "https://localhost:$ITA_TEST_PORT" --cacert "$work/cert.pem" \
    --token-file "$work/token" history import "$work/itactl-bad.csv" 2>"$work/itactl.err"; then
    echo "history browser test: itactl imported a total of 165" >&2; exit 1
fi
grep -q 'อยู่นอกช่วง 0–100' "$work/itactl.err" || { echo "history browser test: itactl did not show the reason:" >&2; cat "$work/itactl.err" >&2; exit 1; }

# The database: TKS has 2560 (imported by the system administrator), 2561, 2563, 2564 (imported),
# 2565 (entered); OTH 2560 and 2567; one save, one delete, two imports of TKS's administrator
# and two of the system administrator (browser, itactl) in audit_log.
got=$(psql "$db" -AtqX <<SQL
SELECT concat_ws(' ',
  (SELECT string_agg(a.code || ':' || r.fiscal_year || ':' || r.total || ':' || r.source, ',' ORDER BY a.code, r.fiscal_year)
     FROM agency_result r JOIN agency a ON a.id = r.agency_id),
  (SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE action LIKE 'result_%'))
SQL
)
want="OTH:2559:65.50:imported,OTH:2560:70.00:imported,OTH:2567:88.50:imported,TKS:2560:80.25:imported,TKS:2561:87.56:imported,TKS:2563:91.00:imported,TKS:2564:93.44:imported,TKS:2565:92.50:entered result_history_save,result_history_import,result_history_delete,result_history_import,result_history_import"
[ "$got" = "$want" ] || { echo "history browser test: expected '$want', found '$got'" >&2; exit 1; }
echo "screenshots: $shots"
ls "$shots" | grep '^history-'
