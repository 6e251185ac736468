#!/usr/bin/env bash
# ctest wrapper for the contact-list browser test: a database of its own, the real itad with a
# fresh certificate and secret, the 2566 instruments, one agency whose 2566 year is set up (window
# open since yesterday) and a new administrator of that agency; then contacts.mjs in Debian's
# Chromium edits and deletes contacts, imports the downloaded templates and reads the left-out
# list, at 1280 and 360 px. Afterwards the database must hold what the browser did: the deleted
# contact gone, its token revoked, audit rows naming contact ids only. Screenshots land in
# $ITA_TEST_TMP/../test-output/browser/contacts-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "contacts browser test" ita_browser_contacts
rm -f "$shots"/contacts-*.png
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
agency=$(psql "$db" -AtqX -c "INSERT INTO agency (code, name_th) VALUES ('TKS', 'เทศบาลตำบลท่าข้าวเปลือก') RETURNING id")
email=clerk@thakhaopluak.go.th
password=$(browser_create_admin "$email" --agency TKS)
# The year as the year page saves it: the window opens yesterday and closes in 30 days.
opens=$(date -u -d yesterday +%F)
closes=$(date -u -d '+30 days' +%F)
psql "$db" -qX -v ON_ERROR_STOP=1 -c "SELECT ita_save_year($agency, 2566::smallint, '$opens', '$closes', 37, 1200,
  'contacts-test-iit-slug-0001', 'contacts-test-eit-slug-0001')" >/dev/null

browser_start_itad
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_AGENCY=$agency ITA_EMAIL=$email ITA_PASSWORD=$password \
    ITA_OPENS=$opens ITA_WORK="$work" ITA_SHOTS_DIR=$shots node "$here/contacts.mjs"

# What the browser did, seen from the database: the deleted contact has no row; of the three
# tokens issued exactly one is revoked; one contact_delete and one contact_edit audit row, each
# with the contact id and nothing else; three IIT staff (two kept, one added at 360 px) and two
# EIT contacts; the edited contact holds the cleaned e-mail and its dedupe key follows it.
got=$(psql "$db" -AtqX <<SQL
SELECT concat_ws(' ',
  (SELECT count(*) FROM contact WHERE email = 'prasert@thakhaopluak.go.th'),
  (SELECT count(*) FILTER (WHERE revoked) || '/' || count(*) FROM personal_token),
  (SELECT count(*) FROM audit_log WHERE action = 'contact_delete'
     AND (SELECT array_agg(k) FROM jsonb_object_keys(detail) k) = '{contact}'),
  (SELECT count(*) FROM audit_log WHERE action = 'contact_edit'
     AND (SELECT array_agg(k) FROM jsonb_object_keys(detail) k) = '{contact}'),
  (SELECT count(*) FROM audit_log WHERE action IN ('contact_edit', 'contact_delete')
     AND detail::text ~ '@|ประ|สม'),
  (SELECT count(*) FROM contact WHERE instrument = 'IIT') || '/' || (SELECT count(*) FROM contact WHERE instrument = 'EIT'),
  (SELECT unit || '|' || email || '|' || dedupe_key FROM contact WHERE name = 'นายสมชาย ใจดี'))
SQL
)
want="0 1/3 1 1 0 3/2 กองคลัง (งานพัสดุ)|somchai.j@thakhaopluak.go.th|somchai.j@thakhaopluak.go.th"
[ "$got" = "$want" ] || { echo "contacts browser test: expected '$want' (deleted row, tokens revoked/all, delete and edit audit rows with the id only, audit rows with personal data, IIT/EIT contacts, the edited contact), found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
ls "$shots" | grep '^contacts-'
