#!/usr/bin/env bash
# ctest wrapper for the e-mail page's browser test (#18): a database of its own, the real itad
# WITHOUT smtp_url, the 2566 instruments, one agency whose 2566 year is set up (window open since
# yesterday, closing in 30 days), three staff (no links issued yet) and an administrator of that
# agency; then mail.mjs in Debian's Chromium at 1280 and 360 px. Afterwards the database must
# hold what the browser did: the IIT list back to private delivery, the typed reminder days,
# nothing queued (no relay), and audit rows of the e-mail actions naming no contact.
# Screenshots land in $ITA_TEST_TMP/../test-output/browser/mail-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "mail browser test" ita_browser_mail
rm -f "$shots"/mail-*.png
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('TKS', 'เทศบาลตำบลท่าข้าวเปลือก') RETURNING id")
email=clerk@thakhaopluak.go.th
password=$(browser_create_admin "$email" --agency TKS)
opens=$(date -u -d yesterday +%F)
closes=$(date -u -d '+30 days' +%F)
psql "$db" -qX -v ON_ERROR_STOP=1 -c "SELECT ita_save_year($agency, 2566::smallint, '$opens', '$closes', 37, 1200,
  'mail-test-iit-slug-00000001', 'mail-test-eit-slug-00000001')" >/dev/null
# three staff, two with an address (the page counts them; none is named on it)
psql "$db" -qX -v ON_ERROR_STOP=1 -c "INSERT INTO contact (agency_id, fiscal_year, instrument, name, email, dedupe_key)
  VALUES ($agency, 2566, 'IIT', 'นายสมชาย ใจดี', 'somchai@thakhaopluak.go.th', 'somchai@thakhaopluak.go.th'),
         ($agency, 2566, 'IIT', 'นางสาวสมหญิง รักงาน', 'somying@thakhaopluak.go.th', 'somying@thakhaopluak.go.th'),
         ($agency, 2566, 'IIT', 'นายวีระ ไม่มีอีเมล', '', 'weera')" >/dev/null

browser_start_itad
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_EMAIL=$email ITA_PASSWORD=$password \
    ITA_OPENS=$opens ITA_CLOSES=$closes ITA_SHOTS_DIR=$shots node "$here/mail.mjs"

# What the browser did, seen from the database: the IIT list private again (after one switch to
# the mail merge), the last reminder days typed (2 and 9 days after opening), no invitation
# queued, and no e-mail audit row naming a contact.
r1=$(date -u -d "$opens +2 days" +%F)
r2=$(date -u -d "$opens +9 days" +%F)
got=$(psql "$db" -AtqX <<SQL
SELECT concat_ws(' ',
  (SELECT delivery FROM contact_list_delivery WHERE agency_id = $agency AND instrument = 'IIT'),
  (SELECT string_agg(to_char(send_on, 'YYYY-MM-DD'), ',' ORDER BY round) FROM reminder_round
     WHERE agency_id = $agency AND instrument = 'IIT'),
  (SELECT count(*) FROM mail_outbox),
  (SELECT count(*) FROM audit_log WHERE action = 'mail_delivery_set'),
  (SELECT count(*) FROM audit_log WHERE action LIKE 'mail%' AND detail ? 'contact'))
SQL
)
want="private $r1,$r2 0 2 0"
[ "$got" = "$want" ] || { echo "mail browser test: expected '$want' (delivery, reminder days, invitations queued, mode changes, audit rows naming a contact), found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
ls "$shots" | grep '^mail-'
