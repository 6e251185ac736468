#!/usr/bin/env bash
# ctest wrapper for the audit log browser test: a database of its own, the real itad with a fresh
# certificate and secret, two agencies (TKS and OTH), a system administrator and an administrator
# of TKS from `itad --create-admin`, and audit_log rows inserted here by SQL (the actions behind
# them need lists, links and results this test does not set up): 60 contact imports of TKS in
# November 2569 (for paging), a purge of TKS in October 2568 (for the date filter), a link issue
# of OTH, a reissued link of TKS whose contact id must never show, an action the page does not
# know. audit.mjs then does two real actions through the server (a password change of TKS, an
# account of OTH) and reads the log in Debian's Chromium at 1280 and 360 px (see its header).
# Screenshots land in $ITA_TEST_TMP/../test-output/browser/audit-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "audit browser test" ita_browser_audit
rm -f "$shots"/audit-*.png
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
psql "$db" -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO agency (code, name_th) VALUES ('TKS', 'เทศบาลตำบลท่าข้าวเปลือก'), ('OTH', 'เทศบาลตำบลอื่น');
SQL
sys_email=auditor@ita.go.th
sys_password=$(browser_create_admin "$sys_email")
tks_email=somsri@thakhaopluak.go.th
tks_password=$(browser_create_admin "$tks_email" --agency TKS)
psql "$db" -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
-- a colleague of TKS the SQL rows are written by (no one signs in with it)
INSERT INTO admin_user (email, role, agency_id, password_hash)
  VALUES ('records@thakhaopluak.go.th', 'agency', (SELECT id FROM agency WHERE code = 'TKS'),
          '$argon2id$v=19$m=65536,t=2,p=1$bm90YXBhc3N3b3Jk$bm90YWhhc2g');
INSERT INTO audit_log (at, admin_id, action, agency_id, fiscal_year, detail)
  SELECT '2025-10-05 09:15+07', u.id, 'contacts_purge', u.agency_id, 2568, '{"purged": 120}'
  FROM admin_user u WHERE u.email = 'records@thakhaopluak.go.th';
INSERT INTO audit_log (at, admin_id, action, agency_id, fiscal_year, detail)
  SELECT timestamptz '2026-11-02 08:30+07' + i * interval '7 hours', u.id, 'contacts_import',
         u.agency_id, 2570, jsonb_build_object('instrument', 'IIT', 'imported', 40 + i % 3)
  FROM admin_user u, generate_series(1, 60) i WHERE u.email = 'records@thakhaopluak.go.th';
INSERT INTO audit_log (at, admin_id, action, agency_id, fiscal_year, detail)
  SELECT '2026-11-25 10:00+07', u.id, 'links_issue', (SELECT id FROM agency WHERE code = 'OTH'),
         2570, '{"instrument": "EIT", "issued": 9}'
  FROM admin_user u WHERE u.email = 'auditor@ita.go.th';
INSERT INTO audit_log (at, admin_id, action, agency_id, fiscal_year, detail)
  SELECT '2026-11-26 11:00+07', u.id, 'link_reissue', u.agency_id, 2570, '{"contact": 777777}'
  FROM admin_user u WHERE u.email = 'records@thakhaopluak.go.th';
INSERT INTO audit_log (at, admin_id, action, agency_id, detail)
  SELECT '2026-11-27 12:00+07', u.id, 'legacy_thing', u.agency_id, '{"secret": "777777"}'
  FROM admin_user u WHERE u.email = 'records@thakhaopluak.go.th';
SQL
rows=$(psql "$db" -AtqX -c "SELECT count(*) FROM audit_log")
tks_rows=$(psql "$db" -AtqX -c "SELECT count(*) FROM audit_log WHERE agency_id = (SELECT id FROM agency WHERE code = 'TKS')")

browser_start_itad
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_SHOTS_DIR=$shots ITA_ROWS=$rows ITA_TKS_ROWS=$tks_rows \
    ITA_SYS_EMAIL=$sys_email ITA_SYS_PASSWORD=$sys_password \
    ITA_TKS_EMAIL=$tks_email ITA_TKS_PASSWORD=$tks_password node "$here/audit.mjs"

# The two real actions were logged with their agencies.
got=$(psql "$db" -AtqX -c "SELECT string_agg(l.action || ':' || a.code, ' ' ORDER BY l.id) FROM audit_log l
  JOIN agency a ON a.id = l.agency_id WHERE l.action IN ('admin_create', 'admin_password_change')")
want="admin_password_change:TKS admin_create:OTH"
[ "$got" = "$want" ] || { echo "audit browser test: expected '$want', found '$got'" >&2; exit 1; }
