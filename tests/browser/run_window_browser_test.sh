#!/usr/bin/env bash
# ctest wrapper for the survey-window browser test: a database of its own, the real itad, the
# instruments of the current fiscal year, one agency with its year not set up and its
# administrator. The dates the browser types, and what the page must say back (Thai dates, days
# left), are computed here from today's date in Thailand (UTC+7) with date(1), independently of
# the server's C arithmetic; window.mjs drives Chromium at 1280 and 360 px. Afterwards the
# database must hold the window the clerk finally saved. Screenshots land in
# $ITA_TEST_TMP/../test-output/browser/window-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "window browser test" ita_browser_window
rm -f "$shots"/window-*.png

export TZ=ICT-7 # Thailand's time (UTC+7, no daylight saving), without needing tzdata
today=$(date +%F)
d() { date -d "$today $1 days" +%F; }                                 # today + n days, ISO
be() { printf '%s/%d' "$(date -d "$1" +%-d/%-m)" $(( $(date -d "$1" +%Y) + 543 )); } # d/m/BE
months=(ม.ค. ก.พ. มี.ค. เม.ย. พ.ค. มิ.ย. ก.ค. ส.ค. ก.ย. ต.ค. พ.ย. ธ.ค.)
thai() { printf '%d %s %d' "$(date -d "$1" +%-d)" "${months[$(( $(date -d "$1" +%-m) - 1 ))]}" $(( $(date -d "$1" +%Y) + 543 )); }
days() { echo $(( ( $(date -u -d "$2" +%s) - $(date -u -d "$1" +%s) ) / 86400 )); } # $2 - $1
y=$(date +%Y); m=$(date +%-m)
fy=$(( y + 543 + (m >= 10 ? 1 : 0) ))
[ -f "$ITA_SOURCE_DIR/instruments/$fy.json" ] || { echo "window browser test: no instruments/$fy.json for this fiscal year" >&2; exit 1; }

"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/$fy.json" 2>>"$work/setup.log" >/dev/null
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('NKW', 'เทศบาลตำบลหนองแก้ว') RETURNING id")
email=clerk@nongkaeo.go.th
password=$(browser_create_admin "$email" --agency NKW)

# The windows the clerk types. Past: closed ten days ago. Next year's: starts the day after this
# fiscal year ends (outside it, not past). Future: opens in 5 days. Current: opened 3 days ago
# (typed in CE), closes in 20 days (typed in Buddhist Era): 21 days left, today included.
fy_last=$(( fy - 543 ))-09-30
next_fy=$(date -d "$fy_last 1 day" +%F)
past_open=$(d -40) past_close=$(d -10)
fut_open=$(d 5) fut_close=$(d 40)
cur_open=$(d -3) cur_close=$(d 20)
export ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_EMAIL=$email ITA_PASSWORD=$password \
    ITA_SHOTS_DIR=$shots ITA_FY=$fy \
    ITA_PAST_OPEN=$(be "$past_open") ITA_PAST_CLOSE=$(be "$past_close") ITA_PAST_CLOSE_TH=$(thai "$past_close") \
    ITA_NEXT_OPEN=$(be "$next_fy") ITA_NEXT_CLOSE=$(be "$(date -d "$next_fy 10 days" +%F)") \
    ITA_FUT_OPEN=$(be "$fut_open") ITA_FUT_CLOSE=$(be "$fut_close") ITA_FUT_OPEN_TH=$(thai "$fut_open") \
    ITA_FUT_DAYS=$(days "$today" "$fut_open") \
    ITA_CUR_OPEN_CE=$(date -d "$cur_open" +%-d/%-m/%Y) ITA_CUR_OPEN=$(be "$cur_open") \
    ITA_CUR_CLOSE=$(be "$cur_close") ITA_CUR_CLOSE_TH=$(thai "$cur_close") \
    ITA_CUR_DAYS=$(( $(days "$today" "$cur_close") + 1 ))

browser_start_itad
node "$here/window.mjs"

# What the browser did, seen from the database: the current window as typed (closing day
# inclusive: closes_at is the midnight after it, Thailand's time), the staff count typed with
# it, no stakeholder count, and both public links moved to the same closing.
got=$(psql "$db" -AtqX <<SQL
SELECT concat_ws(' ',
  (SELECT (opens_at AT TIME ZONE 'Asia/Bangkok')::date = '$cur_open'
      AND (closes_at AT TIME ZONE 'Asia/Bangkok') = '$cur_close'::date + 1
     FROM agency_year WHERE agency_id = $agency AND fiscal_year = $fy),
  (SELECT coalesce(staff_population::text, 'null') || '/' || coalesce(eit_population::text, 'null')
     FROM agency_year WHERE agency_id = $agency AND fiscal_year = $fy),
  (SELECT count(*) FROM survey_link WHERE agency_id = $agency AND revoked_at IS NULL
      AND (closes_at AT TIME ZONE 'Asia/Bangkok') = '$cur_close'::date + 1))
SQL
)
[ "$got" = "t 48/null 2" ] || { echo "window browser test: expected 't 48/null 2' (window as typed, staff/stakeholder counts, links moved), found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
ls "$shots" | grep '^window-'
