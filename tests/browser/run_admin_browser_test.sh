#!/usr/bin/env bash
# ctest wrapper for the admin browser test: a database of its own, the real itad with a fresh
# certificate and secret, the 2566 instruments, one agency with no year set up and a brand-new
# administrator of that agency from `itad --create-admin --agency`; a staff list in Windows-874
# (what Thai Excel saves), a bad one and a workbook instead of a CSV, made here with iconv; then
# admin.mjs in Debian's Chromium walks the set-up from an empty year to issued links and live
# progress, on a 360 px phone and a desktop screen. Afterwards the database must hold what the browser did. Screenshots land in
# $ITA_TEST_TMP/../test-output/browser/admin-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "admin browser test" ita_browser_admin iconv
rm -f "$shots"/admin-*.png
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
# The agency exists (a system administrator made it); its 2566 year is not set up yet.
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('TKS', 'เทศบาลตำบลท่าข้าวเปลือก') RETURNING id")
email=clerk@thakhaopluak.go.th
password=$(browser_create_admin "$email" --agency TKS)

# A system administrator for the instrument pages, and a malformed instrument file (a decreasing
# point map, a scale naming a point map that does not exist, a question of indicator 9).
sys_email=instruments@ita.go.th
sys_password=$(browser_create_admin "$sys_email")
cat > "$work/bad-instrument.json" <<'JSON'
{"format": "ita-instruments/1", "fiscal_year": 2590, "title_th": "ทดสอบ",
 "point_maps": {"P4": {"points": [0, 50, 40, 100], "verified": true}},
 "scales": {"L4": {"labels_th": ["ก", "ข", "ค", "ง"], "point_map": "PX", "verified": true}},
 "indicators": [], "instruments": [{"code": "IIT", "name_th": "ไอไอที", "questions": [
  {"code": "i1", "indicator": 9, "text_th": "ข้อ", "verified": true,
   "fields": [{"code": "i1.1", "scale": "L4", "polarity": "positive"}]}]}]}
JSON

# The survey window opens yesterday (so "today" is inside it in Thailand whatever the hour) and
# closes in 30 days; service is counted to the opening day.
opens=$(date -u -d yesterday +%F)
closes=$(date -u -d '+30 days' +%F)
be() { printf '%s/%d' "$(date -u -d "$1" +%-d/%-m)" $(( $(date -u -d "$1" +%Y) + 543 )); } # d/m/BE year
started_long=$(be '3 years ago')
started_recent=$(be '2 months ago')
# A staff list as Thai Excel saves "CSV (Comma delimited)": Windows-874, CRLF, Buddhist years;
# four people with a year or more of service, one who joined two months ago (left out).
printf '%s\r\n' \
    'ลำดับ,ชื่อ-นามสกุล,ตำแหน่ง,กอง,อีเมล,เบอร์โทรศัพท์,วันที่เริ่มปฏิบัติงาน' \
    "1,นายสมชาย ใจดี,นักวิเคราะห์นโยบายและแผน,กองวิชาการและแผนงาน,somchai@thakhaopluak.go.th,081-234-5678,$started_long" \
    "2,นางสาวสมหญิง รักงาน,\"นักวิชาการเงินและบัญชี, ชำนาญการ\",กองคลัง,somying@thakhaopluak.go.th,02 123 4567,$started_long" \
    "3,นายประเสริฐ มั่นคง,ผู้อำนวยการกองช่าง,กองช่าง,prasert@thakhaopluak.go.th,089-876-5432,$started_long" \
    "4,นางมาลี ศรีสุข,เจ้าพนักงานธุรการ,สำนักปลัด,malee@thakhaopluak.go.th,,$started_long" \
    "5,นายวีระ มาใหม่,นิติกร,สำนักปลัด,weera@thakhaopluak.go.th,,$started_recent" \
    | iconv -f UTF-8 -t CP874 > "$work/staff-windows874.csv"
# A bad list: a broken e-mail address and a phone number Excel cut the leading 0 from.
printf '%s\r\n' \
    'ชื่อ-นามสกุล,อีเมล,เบอร์โทรศัพท์,วันที่เริ่มปฏิบัติงาน' \
    "นายดี มีสุข,dee.meesuk@,081-111-2222,$started_long" \
    "นางงาม ตามใจ,ngam@thakhaopluak.go.th,812345678,$started_long" \
    | iconv -f UTF-8 -t CP874 > "$work/staff-bad.csv"
# The workbook itself instead of its CSV (an .xlsx is a zip archive).
{ printf 'PK\003\004\024\000\006\000'; head -c 3000 /dev/urandom; } > "$work/staff.xlsx"

browser_start_itad --rollup-interval-ms=200
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_EMAIL=$email ITA_PASSWORD=$password \
    ITA_OPENS=$opens ITA_CLOSES=$closes ITA_STAFF_CSV="$work/staff-windows874.csv" \
    ITA_BAD_CSV="$work/staff-bad.csv" ITA_XLSX="$work/staff.xlsx" ITA_WORK="$work" ITA_SHOTS_DIR=$shots \
    ITA_SYS_EMAIL=$sys_email ITA_SYS_PASSWORD=$sys_password \
    ITA_FIXTURE="$ITA_SOURCE_DIR/tests/fixtures/instrument-2567-six-level.json" \
    ITA_BAD_INSTRUMENT="$work/bad-instrument.json" node "$here/admin.mjs"

# What the browser did, seen from the database: the year as entered, four staff imported once
# (the re-import added none), four links of which two were reissued (one by e-mail while the
# list was private, one shown after it switched to the mail merge) and one spent, one IIT
# response, and not a single EIT one; one invitation queued (the private reissue).
got=$(psql "$db" -AtqX <<SQL
SELECT concat_ws(' ',
  (SELECT (opens_at AT TIME ZONE 'Asia/Bangkok')::date = '$opens' AND staff_population = 37 AND eit_population = 1200
     FROM agency_year WHERE agency_id = $agency AND fiscal_year = 2566),
  (SELECT count(*) FROM contact WHERE agency_id = $agency AND instrument = 'IIT'),
  (SELECT count(*) FILTER (WHERE NOT revoked) || '/' || count(*) FILTER (WHERE spent)
     || '/' || count(*) FILTER (WHERE revoked) FROM personal_token),
  (SELECT count(*) FROM response_inbox WHERE agency_id = $agency AND instrument = 'IIT')
  + (SELECT count(*) FROM response_pending WHERE agency_id = $agency AND instrument = 'IIT')
  + (SELECT count(*) FROM response WHERE agency_id = $agency AND instrument = 'IIT'),
  (SELECT count(*) FROM mail_outbox))
SQL
)
[ "$got" = "t 4 4/1/2 1 1" ] || { echo "admin browser test: expected 't 4 4/1/2 1 1' (year, contacts, tokens live/spent/revoked, IIT responses, invitations), found '$got'" >&2; exit 1; }
# The instrument pages: the fixture's year published once by the system administrator, no draft
# left, and not one answer stored for it by the previews.
got=$(psql "$db" -AtqX -c "SELECT concat_ws(' ', (SELECT revision FROM instrument_version WHERE fiscal_year = 2567),
  (SELECT count(*) FROM instrument_draft),
  (SELECT count(*) FROM audit_log WHERE action = 'instrument_publish' AND fiscal_year = 2567),
  (SELECT count(*) FROM response_inbox WHERE fiscal_year = 2567) + (SELECT count(*) FROM response_pending WHERE fiscal_year = 2567)
  + (SELECT count(*) FROM response WHERE fiscal_year = 2567))")
[ "$got" = "1 0 1 0" ] || { echo "admin browser test: expected '1 0 1 0' (2567 revision, drafts, publications, 2567 answers), found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
ls "$shots" | grep '^admin-'
