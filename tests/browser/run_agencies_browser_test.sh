#!/usr/bin/env bash
# ctest wrapper for the agency list browser test: a database of its own with 8,300 agencies made
# here by SQL (77 provinces, the rest local governments of every type under them, a few without a
# parent, two with an old free-text type the list does not hold), a system administrator and 120
# agency administrators (every fifth disabled), the 2566 instrument loaded (so the all-agency CSV
# link shows), then agencies.mjs in Debian's Chromium at 1280 and 360 px. What the pages must show
# first is computed here with SQL (the first codes of every sort both ways, the counts of each
# filter, page 2 and the last page) and handed over in a JSON file, so the test compares the
# server's answer with the database and not with numbers written into it.
# Screenshots: $ITA_TEST_TMP/../test-output/browser/agencies-*.png.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/setup.sh"
browser_setup "agencies browser test" ita_browser_agencies
rm -f "$shots"/agencies-*.png
"$ITA_ITAD" "${common[@]}" --load-instruments "$ITA_SOURCE_DIR/instruments/2566.json" 2>>"$work/setup.log" >/dev/null
psql "$db" -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
-- 77 provinces, then 8,223 agencies under them, of the local types in turn; added over the last
-- days so that "added" sorts; every 97th has no parent; two carry an old free-text type.
INSERT INTO agency (code, name_th, kind, created_at)
  SELECT 'PV' || lpad(i::text, 2, '0'), 'จังหวัดทดสอบที่ ' || i, 'จังหวัด',
         now() - interval '30 days' + i * interval '1 minute'
  FROM generate_series(1, 77) i;
INSERT INTO agency (code, name_th, kind, parent_id, created_at)
  SELECT 'LA' || lpad(i::text, 5, '0'),
         (ARRAY['เทศบาลนคร', 'เทศบาลเมือง', 'เทศบาลตำบล', 'องค์การบริหารส่วนตำบล',
                'องค์การบริหารส่วนจังหวัด'])[1 + i % 5] || 'ทดสอบ ' || (8223 - i),
         (ARRAY['เทศบาลนคร', 'เทศบาลเมือง', 'เทศบาลตำบล', 'องค์การบริหารส่วนตำบล',
                'องค์การบริหารส่วนจังหวัด'])[1 + i % 5],
         CASE WHEN i % 97 = 0 THEN NULL
              ELSE (SELECT id FROM agency WHERE code = 'PV' || lpad((1 + i % 77)::text, 2, '0')) END,
         now() - interval '20 days' + ((i * 7919) % 8223) * interval '1 minute'
  FROM generate_series(1, 8223) i;
UPDATE agency SET kind = 'อบต.เก่า', name_th = 'องค์การบริหารส่วนตำบลหนองค้นหา'
  WHERE code = 'LA00003';
UPDATE agency SET kind = 'ท้องถิ่นอื่น' WHERE code = 'LA00008';
-- 120 agency administrators; no one signs in with these (the hash is not of any password)
INSERT INTO admin_user (email, role, agency_id, password_hash, disabled)
  SELECT 'clerk' || lpad(i::text, 3, '0') || '@la' || lpad(i::text, 5, '0') || '.go.th', 'agency',
         (SELECT id FROM agency WHERE code = 'LA' || lpad(i::text, 5, '0')),
         '$argon2id$v=19$m=65536,t=2,p=1$bm90YXBhc3N3b3Jk$bm90YWhhc2g', i % 5 = 0
  FROM generate_series(1, 120) i;
SQL
sys_email=lists@ita.go.th
sys_password=$(browser_create_admin "$sys_email")

# What the pages must show, from the database (the same order as the list: the column, then the
# code; a missing parent last going up, first going down).
expect="$work/expect.json"
psql "$db" -AtqX -v ON_ERROR_STOP=1 > "$expect" <<'SQL'
WITH s(key, expr) AS (VALUES ('code', 'a.code'), ('name', 'a.name_th'), ('kind', 'a.kind'),
                             ('parent', 'p.code'), ('created', 'a.created_at'))
SELECT json_build_object(
  'total', (SELECT count(*) FROM agency),
  'sao', (SELECT count(*) FROM agency WHERE kind = 'องค์การบริหารส่วนตำบล'),
  'pv01', (SELECT count(*) FROM agency a JOIN agency p ON p.id = a.parent_id WHERE p.code = 'PV01'),
  'noparent', (SELECT count(*) FROM agency WHERE parent_id IS NULL),
  'search', (SELECT count(*) FROM agency WHERE code ILIKE '%หนองค้นหา%' OR name_th ILIKE '%หนองค้นหา%'),
  'search_tt', (SELECT count(*) FROM agency WHERE code ILIKE '%ทดสอบ 82%' OR name_th ILIKE '%ทดสอบ 82%'),
  'page2', (SELECT code FROM agency ORDER BY code OFFSET 50 LIMIT 1),
  'last_first', (SELECT code FROM agency ORDER BY code OFFSET ((SELECT count(*) - 1 FROM agency) / 50) * 50 LIMIT 1),
  'last_rows', (SELECT (count(*) - 1) % 50 + 1 FROM agency),
  'users_filtered', (SELECT count(*) FROM admin_user u JOIN agency a ON a.id = u.agency_id
                      WHERE u.role = 'agency' AND NOT u.disabled AND u.email ILIKE '%clerk0%'),
  'sorts', (SELECT json_object_agg(key || '_' || dir, codes) FROM (
      SELECT 'code' AS key, 'asc' AS dir, (SELECT json_agg(code) FROM (SELECT a.code FROM agency a ORDER BY a.code LIMIT 3) x) AS codes
      UNION ALL SELECT 'code', 'desc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a ORDER BY a.code DESC LIMIT 3) x)
      UNION ALL SELECT 'name', 'asc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a ORDER BY a.name_th, a.code LIMIT 3) x)
      UNION ALL SELECT 'name', 'desc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a ORDER BY a.name_th DESC, a.code LIMIT 3) x)
      UNION ALL SELECT 'kind', 'asc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a ORDER BY a.kind, a.code LIMIT 3) x)
      UNION ALL SELECT 'kind', 'desc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a ORDER BY a.kind DESC, a.code LIMIT 3) x)
      UNION ALL SELECT 'parent', 'asc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a LEFT JOIN agency p ON p.id = a.parent_id ORDER BY p.code, a.code LIMIT 3) x)
      UNION ALL SELECT 'parent', 'desc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a LEFT JOIN agency p ON p.id = a.parent_id ORDER BY p.code DESC, a.code LIMIT 3) x)
      UNION ALL SELECT 'created', 'asc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a ORDER BY a.created_at, a.code LIMIT 3) x)
      UNION ALL SELECT 'created', 'desc', (SELECT json_agg(code) FROM (SELECT a.code FROM agency a ORDER BY a.created_at DESC, a.code LIMIT 3) x)
  ) t));
SQL

browser_start_itad
ITA_BASE="https://localhost:$ITA_TEST_PORT" ITA_SHOTS_DIR=$shots ITA_EXPECT=$expect \
    ITA_SYS_EMAIL=$sys_email ITA_SYS_PASSWORD=$sys_password node "$here/agencies.mjs"

# What the browser did, seen from the database: one account disabled through the filtered list,
# the agency with the old type saved with a type from the list, nothing else changed.
got=$(psql "$db" -AtqX <<'SQL'
SELECT concat_ws(' ',
  (SELECT count(*) FROM audit_log WHERE action = 'admin_disable'),
  (SELECT count(*) FROM admin_user WHERE disabled),
  (SELECT kind FROM agency WHERE code = 'LA00003'),
  (SELECT kind FROM agency WHERE code = 'LA00008'),
  (SELECT count(*) FROM agency))
SQL
)
want="1 25 องค์การบริหารส่วนตำบล ท้องถิ่นอื่น 8300"
[ "$got" = "$want" ] || { echo "agencies browser test: expected '$want' (disabled once, disabled accounts, the old type chosen again, the other old type kept, agencies), found '$got'" >&2; exit 1; }
browser_stop_itad
echo "screenshots: $shots"
ls "$shots" | grep '^agencies-'
