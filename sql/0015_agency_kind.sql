-- 0015: the agency type becomes one of the fixed list of core/agency_kind.c (agency.kind stores
-- its Thai name, '' when not set), and the agency list searches, filters and sorts 8,300 agencies
-- on the server.
--
-- Types typed freely before: the common abbreviations and spellings, and the list's own keys,
-- become the list's Thai name; anything else is left as it was. The web admin marks such an old
-- value "(ไม่อยู่ในรายการ — โปรดเลือกใหม่)" and the edit form asks for a type from the list before the
-- agency is saved again.
UPDATE agency SET kind = m.th, updated_at = now()
FROM (VALUES
    ('อบต.', 'องค์การบริหารส่วนตำบล'), ('อบต', 'องค์การบริหารส่วนตำบล'),
    ('อ.บ.ต.', 'องค์การบริหารส่วนตำบล'), ('องค์การบริหารส่วนตำบล', 'องค์การบริหารส่วนตำบล'),
    ('ทต.', 'เทศบาลตำบล'), ('ทต', 'เทศบาลตำบล'), ('เทศบาล ตำบล', 'เทศบาลตำบล'),
    ('ทม.', 'เทศบาลเมือง'), ('ทม', 'เทศบาลเมือง'), ('เทศบาล เมือง', 'เทศบาลเมือง'),
    ('ทน.', 'เทศบาลนคร'), ('ทน', 'เทศบาลนคร'), ('เทศบาล นคร', 'เทศบาลนคร'),
    ('อบจ.', 'องค์การบริหารส่วนจังหวัด'), ('อบจ', 'องค์การบริหารส่วนจังหวัด'),
    ('อ.บ.จ.', 'องค์การบริหารส่วนจังหวัด'),
    ('กรม', 'ส่วนราชการระดับกรมหรือเทียบเท่า'),
    ('มหาวิทยาลัย', 'มหาวิทยาลัย/สถาบันอุดมศึกษา'),
    ('สถาบันอุดมศึกษา', 'มหาวิทยาลัย/สถาบันอุดมศึกษา'),
    ('กทม.', 'องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ'), ('กรุงเทพมหานคร', 'องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ'),
    ('เมืองพัทยา', 'องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ'),
    ('department', 'ส่วนราชการระดับกรมหรือเทียบเท่า'), ('state_enterprise', 'รัฐวิสาหกิจ'),
    ('public_organization', 'องค์การมหาชน'), ('independent_body', 'องค์กรอิสระ'),
    ('court_parliament', 'หน่วยงานศาลและรัฐสภา'), ('university', 'มหาวิทยาลัย/สถาบันอุดมศึกษา'),
    ('other_state', 'หน่วยงานอื่นของรัฐ'), ('province', 'จังหวัด'),
    ('pao', 'องค์การบริหารส่วนจังหวัด'), ('special_local', 'องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ'),
    ('city_municipality', 'เทศบาลนคร'), ('town_municipality', 'เทศบาลเมือง'),
    ('subdistrict_municipality', 'เทศบาลตำบล'), ('sao', 'องค์การบริหารส่วนตำบล')
) AS m (typed, th)
WHERE btrim(agency.kind) = m.typed AND agency.kind IS DISTINCT FROM m.th;

-- The list's own Thai names typed with spaces around them.
UPDATE agency SET kind = btrim(kind), updated_at = now()
WHERE kind <> btrim(kind) AND btrim(kind) IN (
    'ส่วนราชการระดับกรมหรือเทียบเท่า', 'รัฐวิสาหกิจ', 'องค์การมหาชน', 'องค์กรอิสระ', 'หน่วยงานศาลและรัฐสภา',
    'มหาวิทยาลัย/สถาบันอุดมศึกษา', 'หน่วยงานอื่นของรัฐ', 'จังหวัด', 'องค์การบริหารส่วนจังหวัด',
    'องค์กรปกครองส่วนท้องถิ่นรูปแบบพิเศษ', 'เทศบาลนคร', 'เทศบาลเมือง', 'เทศบาลตำบล', 'องค์การบริหารส่วนตำบล');

-- The list page at 8,300 agencies: filter by type and by parent, sort by name, type and the day
-- added (code is already unique, so indexed). A search is a substring ILIKE over code and name:
-- at this size a sequential scan of the table answers in milliseconds, so no trigram index (and
-- no dependency on the pg_trgm extension) is needed; lower(name_th) text_pattern_ops serves
-- prefix searches should the list grow.
CREATE INDEX agency_kind_code ON agency (kind, code);
CREATE INDEX agency_parent_code ON agency (parent_id, code); -- beside 0005's agency_parent
CREATE INDEX agency_name ON agency (name_th, code);
CREATE INDEX agency_created ON agency (created_at, code);
CREATE INDEX agency_name_lower ON agency (lower(name_th) text_pattern_ops);
