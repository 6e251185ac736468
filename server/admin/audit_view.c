/* The audit log page (see audit_view.h): each action's Thai sentence from the safe fields of its
 * detail, the filter form and the entries as cards (one column, so a phone never scrolls
 * sideways). */
#include "audit_view.h"
#include "thai_date.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const struct audit_action AUDIT_ACTIONS[] = {
    {"agency_create", "เพิ่มหน่วยงาน"},
    {"agencies_import", "นำเข้ารายชื่อหน่วยงาน"},
    {"contacts_import", "นำเข้ารายชื่อ"},
    {"contacts_purge", "ลบรายชื่อหลังปิดรับ"},
    {"links_issue", "ออกลิงก์ส่วนบุคคล"},
    {"link_reissue", "ออกลิงก์ส่วนบุคคลใหม่"},
    {"links_mailmerge", "ดาวน์โหลดไฟล์จดหมายเวียน"},
    {"links_slips", "ดาวน์โหลดใบแจ้งลิงก์"},
    {"oit_set", "บันทึกผล OIT"},
    {"measures_set", "บันทึกมาตรการ"},
    {"report_text_set", "แก้ไขข้อความรายงาน O42"},
    {"oit_unit_add", "เพิ่มหน่วยงานภายใน"},
    {"oit_unit_rename", "เปลี่ยนชื่อหน่วยงานภายใน"},
    {"oit_unit_move", "เลื่อนลำดับหน่วยงานภายใน"},
    {"oit_unit_retire", "เลิกใช้หน่วยงานภายใน"},
    {"oit_unit_restore", "นำหน่วยงานภายในกลับมาใช้"},
    {"oit_unit_delete", "ลบหน่วยงานภายใน"},
    {"oit_item_set", "บันทึกงาน OIT"},
    {"oit_evidence_add", "เพิ่มลิงก์หลักฐาน OIT"},
    {"oit_evidence_remove", "ลบลิงก์หลักฐาน OIT"},
    {"oit_evidence_move", "เลื่อนลำดับลิงก์หลักฐาน OIT"},
    {"oit_check_request", "ขอให้ตรวจลิงก์หลักฐาน OIT"},
    {"oit_copy_year", "คัดลอกการมอบหมายงาน OIT จากปีก่อน"},
    {"oit_suggested_units", "มอบหมายงาน OIT ตามหน่วยงานที่แนะนำ"},
    {"export_aggregates", "ส่งออกผลคะแนน"},
    {"export_questions", "ส่งออกผลรายข้อ"},
    {"export_raw", "ส่งออกคำตอบดิบ"},
    {"instrument_draft_upload", "อัปโหลดร่างแบบวัด"},
    {"instrument_draft_discard", "ทิ้งร่างแบบวัด"},
    {"instrument_publish", "เผยแพร่แบบวัด"},
    {"admin_create", "เพิ่มบัญชีผู้ดูแล"},
    {"admin_disable", "ปิดใช้งานบัญชี"},
    {"admin_enable", "เปิดใช้งานบัญชี"},
    {"admin_unlock", "ปลดล็อกบัญชี"},
    {"admin_password_reset", "ตั้งรหัสผ่านใหม่ให้บัญชี"},
    {"admin_password_change", "เปลี่ยนรหัสผ่านของตนเอง"},
    {"api_token_create", "สร้างโทเค็นเชื่อมต่อโปรแกรม"},
    {"api_token_revoke", "ยกเลิกโทเค็นเชื่อมต่อโปรแกรม"},
    {"result_history_save", "บันทึกผลการประเมินย้อนหลัง"},
    {"result_history_delete", "ลบผลการประเมินย้อนหลัง"},
    {"result_history_import", "นำเข้าผลการประเมินย้อนหลัง"},
    {"result_publish", "บันทึกผลของระบบเป็นผลที่เผยแพร่"},
};
const size_t AUDIT_ACTIONS_COUNT = sizeof AUDIT_ACTIONS / sizeof AUDIT_ACTIONS[0];

const char *audit_action_th(const char *code)
{
    for (size_t i = 0; code && i < AUDIT_ACTIONS_COUNT; i++)
        if (!strcmp(AUDIT_ACTIONS[i].code, code))
            return AUDIT_ACTIONS[i].th;
    return NULL;
}

/* ---- one entry's sentence ---- */

/* A count field of detail, or -1 when absent or not a number. */
static long long count_of(const json_t *d, const char *key)
{
    const json_t *v = json_object_get(d, key);
    return json_is_integer(v) && json_integer_value(v) >= 0 ? (long long)json_integer_value(v) : -1;
}

static const char *text_of(const json_t *d, const char *key)
{
    const char *s = json_string_value(json_object_get(d, key));
    return s ? s : "";
}

/* The contact list an entry names (detail "instrument"). */
static const char *list_th(const json_t *d)
{
    const char *i = text_of(d, "instrument");
    if (!strcmp(i, "IIT"))
        return "รายชื่อบุคลากร (IIT)";
    if (!strcmp(i, "EIT"))
        return "รายชื่อผู้รับบริการ/ผู้มีส่วนได้ส่วนเสียภายนอก (EIT)";
    return "รายชื่อ";
}

static void year_part(struct strbuf *o, const char *fy)
{
    if (fy && *fy)
        strbuf_printf(o, " ปีงบประมาณ %s", fy);
}

/* ": <label> N <unit>" when the count is known. */
static void count_part(struct strbuf *o, const json_t *d, const char *key, const char *label,
                       const char *unit)
{
    long long n = count_of(d, key);
    if (n >= 0)
        strbuf_printf(o, "%s %lld %s", label, n, unit);
}

static void account_part(struct strbuf *o, const char *target)
{
    if (target && *target)
        strbuf_printf(o, " %s", target);
}

void audit_describe(struct strbuf *o, const char *code, const char *fy, const char *detail,
                    const char *target)
{
    json_t *d = detail ? json_loads(detail, 0, NULL) : NULL;
    if (!json_is_object(d)) {
        json_decref(d);
        d = json_object();
    }
    const char *c = code ? code : "";
    if (!strcmp(c, "contacts_import")) {
        strbuf_printf(o, "นำเข้า%s", list_th(d));
        year_part(o, fy);
        count_part(o, d, "imported", ": เพิ่ม", "รายชื่อ");
    } else if (!strcmp(c, "contacts_purge")) {
        strbuf_puts(o, "ลบรายชื่อทั้งหมดหลังปิดรับ");
        year_part(o, fy);
        count_part(o, d, "purged", ": ลบ", "รายชื่อ (คำตอบยังอยู่ครบ)");
    } else if (!strcmp(c, "links_issue")) {
        strbuf_printf(o, "ออกลิงก์ส่วนบุคคลให้%s", list_th(d));
        year_part(o, fy);
        count_part(o, d, "issued", ": ออกใหม่", "ลิงก์");
    } else if (!strcmp(c, "link_reissue")) {
        strbuf_puts(o, "ออกลิงก์ส่วนบุคคลใหม่แทนลิงก์เดิมให้ 1 รายชื่อ");
        year_part(o, fy);
    } else if (!strcmp(c, "links_mailmerge")) {
        strbuf_printf(o, "ดาวน์โหลดไฟล์จดหมายเวียนลิงก์ส่วนบุคคลของ%s", list_th(d));
        year_part(o, fy);
    } else if (!strcmp(c, "links_slips")) {
        strbuf_printf(o, "ดาวน์โหลดใบแจ้งลิงก์ส่วนบุคคล (PDF สำหรับพิมพ์) ของ%s", list_th(d));
        year_part(o, fy);
        count_part(o, d, "count", ":", "ใบ");
    } else if (!strcmp(c, "agency_create")) {
        strbuf_puts(o, "เพิ่มหน่วยงานใหม่");
    } else if (!strcmp(c, "agencies_import")) {
        strbuf_puts(o, "นำเข้ารายชื่อหน่วยงาน");
        long long ins = count_of(d, "inserted"), upd = count_of(d, "updated");
        if (ins >= 0 && upd >= 0)
            strbuf_printf(o, ": เพิ่ม %lld แก้ไข %lld หน่วยงาน", ins, upd);
    } else if (!strcmp(c, "oit_set")) {
        strbuf_puts(o, "บันทึกผลการประเมิน OIT");
        year_part(o, fy);
        long long saved = count_of(d, "saved"), cleared = count_of(d, "cleared");
        if (saved >= 0 && cleared >= 0)
            strbuf_printf(o, ": บันทึก %lld ข้อ ล้าง %lld ข้อ", saved, cleared);
    } else if (!strcmp(c, "measures_set")) {
        strbuf_puts(o, "บันทึกมาตรการส่งเสริมคุณธรรมและความโปร่งใส");
        year_part(o, fy);
        count_part(o, d, "rows", ":", "รายการ");
    } else if (!strcmp(c, "report_text_set")) {
        strbuf_puts(o, "แก้ไขข้อความรายงาน O42 (วัตถุประสงค์ ประโยชน์ ขั้นตอน และข้อเสนอแนะ)");
        year_part(o, fy);
        count_part(o, d, "suggestions_saved", ": บันทึกข้อเสนอแนะ", "ข้อ");
    } else if (!strncmp(c, "export_", 7) &&
               (!strcmp(c + 7, "aggregates") || !strcmp(c + 7, "questions") ||
                !strcmp(c + 7, "raw"))) {
        const char *what = !strcmp(c + 7, "raw") ? "คำตอบดิบ (ไม่ระบุตัวผู้ตอบ)"
                           : !strcmp(c + 7, "questions") ? "ผลคะแนนรายข้อ"
                                                         : "ผลคะแนน";
        strbuf_printf(o, "ส่งออก%s", what);
        const char *ins = text_of(d, "instrument");
        if (!strcmp(ins, "IIT") || !strcmp(ins, "EIT"))
            strbuf_printf(o, " %s", ins);
        const char *fmt = text_of(d, "format");
        if (!strcmp(fmt, "csv") || !strcmp(fmt, "json"))
            strbuf_printf(o, " เป็นไฟล์ %s", !strcmp(fmt, "csv") ? "CSV" : "JSON");
        year_part(o, fy);
        count_part(o, d, "agencies", ":", "หน่วยงาน");
        if (json_is_false(json_object_get(d, "complete")))
            strbuf_puts(o, " (ส่งออกไม่เสร็จ)");
    } else if (!strcmp(c, "instrument_draft_upload")) {
        strbuf_puts(o, "อัปโหลดร่างแบบวัด");
        year_part(o, fy);
        long long n = count_of(d, "unverified_items");
        if (n > 0)
            strbuf_printf(o, " (มี %lld ข้อที่ยังไม่ได้ตรวจกับคู่มือ)", n);
    } else if (!strcmp(c, "instrument_draft_discard")) {
        strbuf_puts(o, "ทิ้งร่างแบบวัด");
        year_part(o, fy);
    } else if (!strcmp(c, "instrument_publish")) {
        strbuf_puts(o, "เผยแพร่แบบวัด");
        year_part(o, fy);
        long long rev = count_of(d, "revision");
        if (rev > 0)
            strbuf_printf(o, " ฉบับแก้ไขที่ %lld", rev);
    } else if (!strcmp(c, "admin_create")) {
        const char *role = text_of(d, "role");
        strbuf_puts(o, !strcmp(role, "system") ? "เพิ่มบัญชีผู้ดูแลระบบ" : "เพิ่มบัญชีผู้ดูแลหน่วยงาน");
        account_part(o, target);
    } else if (!strcmp(c, "admin_disable")) {
        strbuf_puts(o, "ปิดใช้งานบัญชี");
        account_part(o, target);
    } else if (!strcmp(c, "admin_enable")) {
        strbuf_puts(o, "เปิดใช้งานบัญชีอีกครั้ง");
        account_part(o, target);
    } else if (!strcmp(c, "admin_unlock")) {
        strbuf_puts(o, "ปลดล็อกบัญชี");
        account_part(o, target);
    } else if (!strcmp(c, "admin_password_reset")) {
        strbuf_puts(o, "ตั้งรหัสผ่านใหม่ให้บัญชี");
        account_part(o, target);
    } else if (!strcmp(c, "admin_password_change")) {
        strbuf_puts(o, "เปลี่ยนรหัสผ่านของตนเอง");
    } else if (!strcmp(c, "api_token_create")) {
        strbuf_puts(o, "สร้างโทเค็นเชื่อมต่อโปรแกรม");
        const char *name = text_of(d, "name");
        if (*name)
            strbuf_printf(o, " ชื่อ “%s”", name);
    } else if (!strcmp(c, "api_token_revoke")) {
        strbuf_puts(o, "ยกเลิกโทเค็นเชื่อมต่อโปรแกรม");
    } else if (!strncmp(c, "result_", 7) && audit_action_th(c)) {
        /* past results (results/history.c): published agency-level figures only */
        strbuf_puts(o, audit_action_th(c));
        year_part(o, fy);
        const char *total = text_of(d, "total"), *rating = text_of(d, "rating");
        if (*total)
            strbuf_printf(o, ": คะแนนรวม %s ผล %s", total, rating);
        if (json_is_true(json_object_get(d, "replaced")))
            strbuf_puts(o, " (แทนผลเดิมของปีนั้น)");
        long long rows = count_of(d, "rows"), agencies = count_of(d, "agencies");
        if (rows >= 0 && agencies >= 0)
            strbuf_printf(o, ": %lld ปี ของ %lld หน่วยงาน", rows, agencies);
    } else if (!strncmp(c, "oit_", 4) && audit_action_th(c)) {
        /* the OIT work pages (oit/): units, an item's work, its evidence links */
        strbuf_puts(o, audit_action_th(c));
        const char *item = text_of(d, "item"), *name = text_of(d, "name");
        if (*item)
            strbuf_printf(o, " ข้อ %s", item);
        if (*name)
            strbuf_printf(o, " “%s”", name);
        year_part(o, fy);
        count_part(o, d, "copied", ": คัดลอก", "ข้อ");
        count_part(o, d, "assigned", ": มอบหมาย", "ข้อ");
    } else {
        strbuf_printf(o, "การดำเนินการอื่น (รหัส %s)", *c ? c : "ไม่ระบุ");
        year_part(o, fy);
    }
    json_decref(d);
}

/* ---- the page ---- */

static void field(struct strbuf *p, const char *id, const char *label, const char *hint,
                  const char *value, const char *type)
{
    strbuf_printf(p, "<div><label for=\"%s\">%s</label>", id, label);
    if (hint)
        strbuf_printf(p, "<p class=\"nt\" id=\"%s-hint\">%s</p>", id, hint);
    strbuf_printf(p, "<input type=\"%s\" id=\"%s\" name=\"%s\"", type, id, id);
    if (hint)
        strbuf_printf(p, " aria-describedby=\"%s-hint\"", id);
    strbuf_puts(p, " value=\"");
    strbuf_html_escape(p, value);
    strbuf_puts(p, "\"></div>\n");
}

/* "?name=value" (then "&name=value") for the paging links, when value is not empty. */
static void keep(struct strbuf *p, bool *first, const char *name, const char *value)
{
    if (!value || !*value)
        return;
    strbuf_printf(p, "%s%s=", *first ? "?" : "&amp;", name);
    *first = false;
    for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
            strchr("-_.~", *c))
            strbuf_append(p, c, 1);
        else
            strbuf_printf(p, "%%%02X", *c);
    }
}

void audit_view(struct strbuf *p, const struct setup *s, const void *model)
{
    (void)s;
    const struct audit_model *m = model;
    strbuf_puts(p, "<p class=\"nt\">สิ่งที่ผู้ดูแลทำในระบบ เรียงจากล่าสุด ");
    strbuf_puts(p, m->system ? "ทุกหน่วยงาน" : "เฉพาะของหน่วยงานของท่าน");
    strbuf_puts(p, " บันทึกนี้ไม่มีคำตอบหรือข้อมูลของผู้ตอบ</p>\n");
    if (m->error) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"audit-error\"><p>");
        strbuf_html_escape(p, m->error);
        strbuf_puts(p, "</p></div>\n");
    }
    strbuf_puts(p, "<form method=\"get\" action=\"/admin/audit\" id=\"audit-filter\">\n"
                   "<div><label for=\"action\">การดำเนินการ</label><select id=\"action\" "
                   "name=\"action\"><option value=\"\">ทั้งหมด</option>");
    for (size_t i = 0; i < AUDIT_ACTIONS_COUNT; i++)
        strbuf_printf(p, "<option value=\"%s\"%s>%s</option>", AUDIT_ACTIONS[i].code,
                      !strcmp(m->action, AUDIT_ACTIONS[i].code) ? " selected" : "",
                      AUDIT_ACTIONS[i].th);
    strbuf_puts(p, "</select></div>\n");
    if (m->system)
        field(p, "agency", "รหัสหน่วยงาน", NULL, m->agency, "text");
    field(p, "email", "อีเมลผู้ดูแล (บางส่วนก็ได้)", NULL, m->email, "text");
    field(p, "from", "ตั้งแต่วันที่", "เช่น 1/10/2569 (วัน/เดือน/ปี พ.ศ.)", m->from, "text");
    field(p, "to", "ถึงวันที่", "เช่น 30/9/2570", m->to, "text");
    strbuf_puts(p, "<button type=\"submit\">แสดงบันทึก</button>\n</form>\n");
    if (m->error)
        return;
    if (m->n == 0) {
        strbuf_puts(p, "<p id=\"audit-empty\">ไม่พบบันทึกตามเงื่อนไขนี้</p>\n");
    } else {
        strbuf_printf(p, "<h2 id=\"audit-heading\">บันทึก %zu รายการ%s</h2>\n<div id=\"audit\">",
                      m->n, m->before ? " (รายการที่เก่ากว่า)" : "");
    }
    for (size_t i = 0; i < m->n; i++) {
        const struct audit_entry *e = &m->entries[i];
        char when[ITA_THAI_DATE_SIZE];
        if (!ita_thai_datetime_short(e->at, when, sizeof when))
            snprintf(when, sizeof when, "%s", e->at);
        strbuf_printf(p, "<div class=\"vr\" data-action=\"%s\"><p><strong>",
                      audit_action_th(e->action) ? e->action : "other");
        strbuf_html_escape(p, e->text);
        strbuf_printf(p, "</strong></p><dl class=\"kv\"><dt>เมื่อ</dt><dd>%s</dd><dt>ผู้ดูแล</dt><dd>",
                      when);
        strbuf_html_escape(p, *e->email ? e->email : "ไม่ทราบ (บัญชีถูกลบ)");
        strbuf_puts(p, "</dd><dt>หน่วยงาน</dt><dd>");
        if (*e->agency_code) {
            strbuf_html_escape(p, e->agency_name);
            strbuf_puts(p, " (");
            strbuf_html_escape(p, e->agency_code);
            strbuf_puts(p, ")");
        } else {
            strbuf_puts(p, "ทั้งระบบ");
        }
        strbuf_puts(p, "</dd></dl></div>\n");
    }
    if (m->n)
        strbuf_puts(p, "</div>\n");
    strbuf_puts(p, "<p class=\"cp\">");
    for (int k = 0; k < 2; k++) {
        if (k == 0 ? !m->before : !m->next)
            continue;
        bool first = true;
        char before[24];
        snprintf(before, sizeof before, "%lld", m->next);
        strbuf_printf(p, "<a id=\"%s\" href=\"/admin/audit", k ? "audit-older" : "audit-newest");
        keep(p, &first, "before", k ? before : "");
        keep(p, &first, "action", m->action);
        keep(p, &first, "agency", m->system ? m->agency : "");
        keep(p, &first, "email", m->email);
        keep(p, &first, "from", m->from);
        keep(p, &first, "to", m->to);
        strbuf_printf(p, "\">%s</a>", k ? "รายการที่เก่ากว่า" : "กลับไปรายการล่าสุด");
    }
    strbuf_puts(p, "</p>\n");
}
