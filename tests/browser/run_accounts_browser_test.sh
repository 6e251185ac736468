#!/usr/bin/env bash
# ctest wrapper for the accounts browser test: a database of its own, the real itad with a fresh
# certificate and secret, one agency (TKS), a system administrator and an administrator of TKS
# from `itad --create-admin`, a disabled account of TKS, and 320 more agencies each with one
# administrator (every tenth disabled) inserted here by SQL so the account list has pages; then
# accounts.mjs in Debian's Chromium walks account recovery at 1280 and 360 px (see its header).
# Afterwards the database must hold what the browser did: the audit_log rows of every change,
# the disabled flags, the colleague's role and agency. Screenshots land in
# $ITA_TEST_TMP/../test-output/browser/accounts-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "accounts browser test" ita_browser_accounts
rm -f "$shots"/accounts-*.png
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
psql "$db" -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO agency (code, name_th) VALUES ('TKS', 'เทศบาลตำบลท่าข้าวเปลือก');
INSERT INTO agency (code, name_th)
  SELECT 'AG' || lpad(i::text, 4, '0'), 'หน่วยงานทดสอบที่ ' || i FROM generate_series(1, 320) i;
-- one administrator per agency; no one signs in with these (the hash is not of any password)
INSERT INTO admin_user (email, role, agency_id, password_hash, disabled)
  SELECT 'clerk' || lpad(i::text, 4, '0') || '@ag' || lpad(i::text, 4, '0') || '.go.th', 'agency',
         (SELECT id FROM agency WHERE code = 'AG' || lpad(i::text, 4, '0')),
         '$argon2id$v=19$m=65536,t=2,p=1$bm90YXBhc3N3b3Jk$bm90YWhhc2g', i % 10 = 0
  FROM generate_series(1, 320) i;
-- a clerk of TKS who left: disabled, its address still taken
INSERT INTO admin_user (email, role, agency_id, password_hash, disabled)
  VALUES ('former@thakhaopluak.go.th', 'agency', (SELECT id FROM agency WHERE code = 'TKS'),
          '$argon2id$v=19$m=65536,t=2,p=1$bm90YXBhc3N3b3Jk$bm90YWhhc2g', true);
SQL
sys_email=accounts@ita.go.th
sys_password=$(browser_create_admin "$sys_email")
locked_email=planning@thakhaopluak.go.th
locked_password=$(browser_create_admin "$locked_email" --agency TKS)
total=$(psql "$db" -AtqX -c "SELECT count(*) FROM admin_user")

browser_start_itad
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_SHOTS_DIR=$shots ITA_TOTAL=$total \
    ITA_SYS_EMAIL=$sys_email ITA_SYS_PASSWORD=$sys_password \
    ITA_LOCKED_EMAIL=$locked_email ITA_LOCKED_PASSWORD=$locked_password node "$here/accounts.mjs"

# What the browser did, seen from the database: two accounts made on the web (the new clerk of
# TKS and the colleague she added), one disabled and enabled again, the former clerk enabled
# again, one new password set by the system administrator, one account unlocked, one own
# password changed; the disabled flags are the 32 of the SQL above and nothing else.
got=$(psql "$db" -AtqX <<'SQL'
SELECT concat_ws(' ',
  (SELECT count(*) FROM audit_log WHERE action = 'admin_create'),
  (SELECT count(*) FROM audit_log WHERE action = 'admin_disable'),
  (SELECT count(*) FROM audit_log WHERE action = 'admin_enable'),
  (SELECT count(*) FROM audit_log WHERE action = 'admin_password_reset'),
  (SELECT count(*) FROM audit_log WHERE action = 'admin_unlock'),
  (SELECT count(*) FROM audit_log WHERE action = 'admin_password_change'),
  (SELECT count(*) FROM admin_user WHERE disabled),
  (SELECT count(*) FROM admin_user WHERE disabled AND email LIKE 'clerk%@ag%.go.th'),
  (SELECT u.role || ':' || a.code FROM admin_user u JOIN agency a ON a.id = u.agency_id
     WHERE u.email = 'colleague@thakhaopluak.go.th'),
  (SELECT count(*) FROM admin_user WHERE role = 'system'),
  (SELECT count(*) FROM audit_log l JOIN admin_user u ON u.id = l.admin_id
     WHERE l.action = 'admin_create' AND u.email = 'somsri@thakhaopluak.go.th'),
  (SELECT count(*) FROM admin_user WHERE email = 'planning@thakhaopluak.go.th'
     AND failed_logins = 0 AND locked_until IS NULL))
SQL
)
want="2 1 2 1 1 1 32 32 agency:TKS 1 1 1"
[ "$got" = "$want" ] || { echo "accounts browser test: expected '$want' (created, disabled, enabled, reset, unlocked, changed, disabled flags, of them bulk, colleague, system accounts, made by the agency administrator, unlocked account clean), found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
ls "$shots" | grep '^accounts-'
