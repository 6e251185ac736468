/* The instrument-version pages (see instruments_view.h): the list with the upload form, a draft
 * with what publishing would do, the confirmation of publishing, and a preview's checked answers.
 * Thai first; dates as "6 ธ.ค. 2569". */
#include "instruments_view.h"
#include "setup_view.h"
#include "thai_date.h"

#include <stdio.h>

static void esc(struct strbuf *p, const char *s)
{
    strbuf_html_escape(p, s ? s : "");
}

static void thai_day(struct strbuf *p, const char *iso)
{
    char d[ITA_THAI_DATE_SIZE];
    esc(p, ita_thai_date_short(iso, d, sizeof d) ? d : iso);
}

/* "IIT, EIT" of the instruments with answers, or NULL when none has any. */
static void answered_list(struct strbuf *p, const bool has[ITA_N_INSTRUMENTS])
{
    const char *sep = "";
    for (int k = 0; k < ITA_N_INSTRUMENTS; k++)
        if (has[k]) {
            strbuf_printf(p, "%s%s", sep, ita_instrument_code((enum ita_instrument)k));
            sep = ", ";
        }
}

static bool any(const bool has[ITA_N_INSTRUMENTS])
{
    return has[ITA_IIT] || has[ITA_EIT] || has[ITA_OIT];
}

static void unverified_text(struct strbuf *p, long n)
{
    if (n > 0)
        strbuf_printf(p, "<span class=\"er\">มีข้อมูลที่ยังไม่ยืนยัน %ld รายการ</span>", n);
    else
        strbuf_puts(p, "ยืนยันกับคู่มือแล้วทุกรายการ");
}

const char *instruments_outcome_th(enum review_outcome o)
{
    switch (o) {
    case REVIEW_NEW_YEAR:
        return "เพิ่มเป็นแบบวัดของปีงบประมาณใหม่";
    case REVIEW_UNCHANGED:
        return "เหมือนฉบับที่ใช้อยู่ ไม่มีสิ่งใดต้องเผยแพร่";
    case REVIEW_CORRECTION:
        return "แก้ไขฉบับที่ใช้อยู่ได้";
    case REVIEW_REFUSED:
        return "เผยแพร่ไม่ได้: จะเปลี่ยนความหมายของคำตอบที่บันทึกไว้แล้ว";
    case REVIEW_STORED_BROKEN:
        return "ตัดสินไม่ได้: ฉบับที่ใช้อยู่อ่านไม่ได้";
    }
    return "";
}

const char *instruments_outcome_name(enum review_outcome o)
{
    static const char *const names[] = {
        [REVIEW_NEW_YEAR] = "new",          [REVIEW_UNCHANGED] = "unchanged",
        [REVIEW_CORRECTION] = "correction", [REVIEW_REFUSED] = "refused",
        [REVIEW_STORED_BROKEN] = "broken",
    };
    return (size_t)o < sizeof names / sizeof names[0] ? names[o] : "";
}

/* Lines of a message: plain lines as paragraphs, bulleted ones as one list. */
static void lines_html(struct strbuf *p, const struct review_line *l, size_t n, const char *list_id)
{
    bool open = false;
    for (size_t i = 0; i < n; i++) {
        if (l[i].bullet && !open) {
            strbuf_printf(p, "<ul id=\"%s\">", list_id);
            open = true;
        } else if (!l[i].bullet && open) {
            strbuf_puts(p, "</ul>\n");
            open = false;
        }
        strbuf_puts(p, l[i].bullet ? "<li>" : "<p>");
        esc(p, l[i].text);
        strbuf_puts(p, l[i].bullet ? "</li>\n" : "</p>\n");
    }
    if (open)
        strbuf_puts(p, "</ul>\n");
}

/* ---- /admin/instruments ---- */

static void version_card(struct strbuf *p, const struct version_row *r)
{
    strbuf_printf(p,
                  "<section class=\"vr\" id=\"fy-%d\" aria-labelledby=\"fy-%d-h\">"
                  "<h3 id=\"fy-%d-h\">ปีงบประมาณ %d · ฉบับที่ %d</h3>\n<p>",
                  r->fiscal_year, r->fiscal_year, r->fiscal_year, r->fiscal_year, r->revision);
    esc(p, r->title);
    strbuf_puts(p, "</p>\n<dl class=\"kv\"><dt>บันทึกเมื่อ</dt><dd>");
    thai_day(p, r->loaded_on);
    for (int k = 0; k < ITA_N_SURVEYS; k++)
        strbuf_printf(p, "</dd><dt>%s</dt><dd>%ld ข้อ (%ld ช่องคำตอบ)",
                      ita_instrument_code((enum ita_instrument)k), r->questions[k], r->fields[k]);
    if (r->oit_items > 0)
        strbuf_printf(p, "</dd><dt>OIT</dt><dd>%ld รายการ", r->oit_items);
    else
        strbuf_puts(p, "</dd><dt>OIT</dt><dd>ไม่มีรายการ OIT");
    strbuf_puts(p, "</dd><dt>การยืนยันข้อมูล</dt><dd>");
    unverified_text(p, r->unverified);
    strbuf_puts(p, "</dd><dt>คำตอบ</dt><dd>");
    if (any(r->answers)) {
        strbuf_puts(p, "มีคำตอบบันทึกแล้ว: ");
        answered_list(p, r->answers);
    } else {
        strbuf_puts(p, "ยังไม่มีคำตอบ");
    }
    strbuf_puts(p, "</dd></dl>\n");
    if (r->unverified > 0)
        strbuf_puts(p, "<p class=\"nc\">วิธีแก้ไข: ตรวจรายการที่ระบุ \"verified\": false ในไฟล์กับคู่มือของ"
                       "สำนักงาน ป.ป.ช. แก้ข้อความหรือค่าให้ตรง เปลี่ยนเป็น \"verified\": true "
                       "แล้วอัปโหลดไฟล์ที่ด้านล่าง หน้าฉบับร่างจะแสดงรายการที่ยังไม่ยืนยันทุกรายการ "
                       "และบอกว่าแก้ไขฉบับนี้ได้หรือไม่ (เมื่อมีคำตอบแล้ว "
                       "แก้ได้เฉพาะข้อความที่ไม่เปลี่ยนความหมายของคำตอบ)</p>\n");
    strbuf_printf(p,
                  "<p>ดูแบบสอบถามตามที่ผู้ตอบเห็น: "
                  "<a href=\"/admin/instruments/preview?fy=%d&amp;instrument=IIT\">"
                  "ตัวอย่าง IIT ปี %d</a> · "
                  "<a href=\"/admin/instruments/preview?fy=%d&amp;instrument=EIT\">"
                  "ตัวอย่าง EIT ปี %d</a></p>\n</section>\n",
                  r->fiscal_year, r->fiscal_year, r->fiscal_year, r->fiscal_year);
}

static void draft_item(struct strbuf *p, const struct draft_row *d)
{
    strbuf_printf(p,
                  "<li><a href=\"/admin/instruments/draft?id=%ld\">ฉบับร่าง #%ld "
                  "ปีงบประมาณ %d</a>: ",
                  d->id, d->id, d->fiscal_year);
    esc(p, d->title);
    strbuf_puts(p, "<br>อัปโหลดโดย ");
    esc(p, d->uploaded_by);
    strbuf_puts(p, " เมื่อ ");
    thai_day(p, d->uploaded_on);
    if (d->file_name && *d->file_name) {
        strbuf_puts(p, " (ไฟล์ ");
        esc(p, d->file_name);
        strbuf_puts(p, ")");
    }
    if (d->stored_revision > 0)
        strbuf_printf(p, " · ปีนี้มีฉบับที่ %d ใช้อยู่แล้ว", d->stored_revision);
    else
        strbuf_puts(p, " · ปีนี้ยังไม่มีแบบวัด");
    strbuf_puts(p, " · ");
    unverified_text(p, d->unverified);
    strbuf_puts(p, "</li>\n");
}

void instruments_view_list(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct instruments_list *m = model;
    (void)s;
    if (m->flash) {
        strbuf_puts(p, "<p class=\"ok\" role=\"status\" id=\"flash\">");
        esc(p, m->flash);
        strbuf_puts(p, "</p>\n");
    }
    if (m->n_errors > 0) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"upload-errors\" tabindex=\"-1\">"
                       "<h2>อัปโหลดไม่สำเร็จ: ไฟล์ ");
        esc(p, m->bad_file);
        strbuf_printf(p,
                      " มีข้อผิดพลาด %zu รายการ</h2>\n<p>ยังไม่ได้บันทึกสิ่งใด "
                      "กรุณาแก้ไขไฟล์ตามรายการด้านล่าง (แต่ละรายการบอกตำแหน่งในไฟล์ JSON) "
                      "แล้วอัปโหลดใหม่</p>\n<ol id=\"upload-error-list\">",
                      m->n_errors);
        for (size_t i = 0; i < m->n_errors; i++) {
            strbuf_puts(p, "<li>");
            esc(p, m->errors[i].text);
            strbuf_puts(p, "</li>\n");
        }
        strbuf_puts(p, "</ol></div>\n");
    }
    strbuf_puts(p, "<p>แบบวัด IIT และ EIT และรายการ OIT ของแต่ละปีงบประมาณมาจากไฟล์ JSON "
                   "(รูปแบบตาม instruments/README.md) ไฟล์ที่อัปโหลดจะถูกตรวจและเก็บเป็นฉบับร่างก่อน "
                   "ยังไม่มีผลกับผู้ตอบจนกว่าจะกดเผยแพร่</p>\n");
    strbuf_puts(p, "<h2>แบบวัดที่ใช้อยู่</h2>\n");
    if (m->n_versions == 0)
        strbuf_puts(p, "<p id=\"no-versions\">ยังไม่มีแบบวัดในระบบ</p>\n");
    strbuf_puts(p, "<div id=\"versions\">\n");
    for (size_t i = 0; i < m->n_versions; i++)
        version_card(p, &m->versions[i]);
    strbuf_puts(p, "</div>\n<h2>ฉบับร่างที่ยังไม่เผยแพร่</h2>\n");
    if (m->n_drafts == 0) {
        strbuf_puts(p, "<p id=\"no-drafts\">ไม่มีฉบับร่าง</p>\n");
    } else {
        strbuf_puts(p, "<ul id=\"drafts\">\n");
        for (size_t i = 0; i < m->n_drafts; i++)
            draft_item(p, &m->drafts[i]);
        strbuf_puts(p, "</ul>\n");
    }
    strbuf_puts(p, "<h2>อัปโหลดแบบวัด</h2>\n"
                   "<form method=\"post\" action=\"/admin/instruments/upload\" "
                   "enctype=\"multipart/form-data\" id=\"upload-form\">");
    setup_view_csrf(p, m->csrf);
    strbuf_puts(p, "<label for=\"file\">ไฟล์แบบวัด (.json)</label>"
                   "<input type=\"file\" id=\"file\" name=\"file\" "
                   "accept=\".json,application/json\" required>"
                   "<button type=\"submit\">อัปโหลดและตรวจไฟล์</button></form>\n");
}

/* ---- a draft ---- */

static void draft_summary(struct strbuf *p, const struct draft_page *d)
{
    strbuf_printf(p, "<dl class=\"kv\" id=\"draft-summary\"><dt>ปีงบประมาณ</dt><dd>%d</dd>",
                  d->fiscal_year);
    if (d->v) {
        strbuf_puts(p, "<dt>ชื่อ</dt><dd>");
        esc(p, d->v->title_th);
        strbuf_puts(p, "</dd>");
        for (int k = 0; k < ITA_N_SURVEYS; k++)
            strbuf_printf(p, "<dt>%s</dt><dd>%zu ข้อ (%zu ช่องคำตอบ)</dd>",
                          ita_instrument_code((enum ita_instrument)k), d->v->surveys[k].n_questions,
                          d->v->surveys[k].n_fields);
        if (d->v->has_oit)
            strbuf_printf(p, "<dt>OIT</dt><dd>%zu รายการ</dd>", d->v->n_oit_items);
        else
            strbuf_puts(p, "<dt>OIT</dt><dd>ไม่มีรายการ OIT (คิดคะแนน OIT จากรายการไม่ได้)</dd>");
    }
    strbuf_puts(p, "<dt>ไฟล์</dt><dd>");
    esc(p, d->file_name && *d->file_name ? d->file_name : "-");
    strbuf_puts(p, "</dd><dt>อัปโหลดโดย</dt><dd>");
    esc(p, d->uploaded_by);
    strbuf_puts(p, " เมื่อ ");
    thai_day(p, d->uploaded_on);
    strbuf_puts(p, "</dd></dl>\n");
}

/* What publishing would do, in the box that says whether it can. */
static void draft_decision(struct strbuf *p, const struct draft_page *d)
{
    const struct review *r = d->review;
    const char *cls = r->outcome == REVIEW_NEW_YEAR || r->outcome == REVIEW_CORRECTION ? "ok"
                      : r->outcome == REVIEW_UNCHANGED                                 ? "nc"
                                                                                       : "es";
    strbuf_printf(p, "<div class=\"%s\" id=\"decision\" data-outcome=\"%s\"><p><strong>", cls,
                  instruments_outcome_name(r->outcome));
    strbuf_puts(p, instruments_outcome_th(r->outcome));
    strbuf_puts(p, "</strong></p>\n");
    switch (r->outcome) {
    case REVIEW_NEW_YEAR:
        strbuf_printf(p,
                      "<p>ปีงบประมาณ %d ยังไม่มีแบบวัดในระบบ เมื่อเผยแพร่จะเป็นแบบวัดของปีนี้ "
                      "(ฉบับที่ 1) และตั้งค่าปีงบประมาณนี้ให้หน่วยงานได้</p>\n",
                      d->fiscal_year);
        break;
    case REVIEW_UNCHANGED:
        strbuf_printf(p, "<p>ไฟล์นี้เหมือนฉบับที่ %d ที่ใช้อยู่ทุกประการ ลบฉบับร่างนี้ได้</p>\n", d->stored_revision);
        break;
    case REVIEW_CORRECTION:
        strbuf_printf(p, "<p>จะแทนฉบับที่ %d ด้วยฉบับที่ %d โดยเก็บฉบับเดิมไว้ในประวัติ ", d->stored_revision,
                      d->stored_revision + 1);
        if (any(d->has)) {
            strbuf_puts(p, "แบบวัดที่มีคำตอบแล้ว (");
            answered_list(p, d->has);
            strbuf_puts(p, ") ไม่เปลี่ยนความหมายของคำตอบเดิม "
                           "(รหัสข้อ จำนวนระดับ ทิศทางการให้คะแนน และคะแนนแต่ละระดับคงเดิม)</p>\n");
        } else {
            strbuf_puts(p, "ปีนี้ยังไม่มีคำตอบที่บันทึกไว้ จึงแก้ไขได้ทุกส่วน</p>\n");
        }
        break;
    case REVIEW_REFUSED:
        lines_html(p, r->lines, r->n_lines, "conflicts");
        strbuf_puts(p, "<p>แก้ไฟล์ให้คงความหมายของคำตอบเดิมแล้วอัปโหลดใหม่ "
                       "หรือใช้การเปลี่ยนแปลงนี้กับแบบวัดของปีงบประมาณถัดไป</p>\n");
        break;
    case REVIEW_STORED_BROKEN:
        lines_html(p, r->lines, r->n_lines, "stored-errors");
        break;
    }
    strbuf_puts(p, "</div>\n");
}

static void unverified_items(struct strbuf *p, const struct draft_page *d)
{
    const struct review *r = d->review;
    strbuf_printf(p, "<h2 id=\"unverified-h\">ข้อมูลที่ยังไม่ยืนยัน (%zu รายการ)</h2>\n", r->n_items);
    if (r->n_items == 0) {
        strbuf_puts(p, "<p class=\"ok\">ทุกรายการในไฟล์ยืนยันกับคู่มือของสำนักงาน ป.ป.ช. แล้ว</p>\n");
        return;
    }
    strbuf_puts(p, "<p class=\"nc\">รายการต่อไปนี้ในไฟล์ระบุว่ายังไม่ได้ยืนยันกับคู่มือของสำนักงาน "
                   "ป.ป.ช. (\"verified\": false) หน้าตั้งค่าปีงบประมาณและหน้าผลคะแนนของปีนี้จะแสดง"
                   "คำเตือนจนกว่าจะแก้ข้อความหรือค่าให้ตรงกับคู่มือ เปลี่ยนเป็น \"verified\": true "
                   "แล้วอัปโหลดและเผยแพร่ใหม่</p>\n<ol id=\"unverified\">\n");
    for (size_t i = 0; i < r->n_items; i++) {
        const struct review_item *it = &r->items[i];
        strbuf_puts(p, "<li><strong>");
        esc(p, it->what_th);
        strbuf_puts(p, "</strong> <code>");
        esc(p, it->path);
        strbuf_puts(p, "</code>");
        if (it->source) {
            strbuf_puts(p, "<br><span class=\"nt\">ที่มา: ");
            esc(p, it->source);
            strbuf_puts(p, "</span>");
        }
        strbuf_puts(p, "</li>\n");
    }
    strbuf_puts(p, "</ol>\n");
}

static bool publishable(const struct draft_page *d)
{
    return d->v &&
           (d->review->outcome == REVIEW_NEW_YEAR || d->review->outcome == REVIEW_CORRECTION);
}

void instruments_view_draft(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct draft_page *d = model;
    (void)s;
    strbuf_puts(p, "<p><a href=\"/admin/instruments\">แบบวัดทุกปีงบประมาณ</a></p>\n");
    if (d->refusal) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"refused\" tabindex=\"-1\">"
                       "<h2>ยังไม่ได้เผยแพร่</h2><p>");
        esc(p, d->refusal);
        strbuf_puts(p, "</p></div>\n");
    }
    draft_summary(p, d);
    if (!d->v) {
        strbuf_puts(p, "<div class=\"es\" id=\"draft-errors\"><p><strong>ฉบับร่างนี้อ่านไม่ได้แล้ว"
                       "</strong> (รูปแบบไฟล์เปลี่ยนหลังอัปโหลด) กรุณาลบแล้วอัปโหลดใหม่</p>\n");
        lines_html(p, d->load_errors, d->n_load_errors, "draft-error-list");
        strbuf_puts(p, "</div>\n");
    } else {
        strbuf_puts(p, "<h2>ถ้าเผยแพร่ฉบับนี้</h2>\n");
        draft_decision(p, d);
        strbuf_printf(p,
                      "<h2>ดูตัวอย่างและเผยแพร่</h2>\n<ul id=\"draft-actions\">"
                      "<li><a href=\"/admin/instruments/preview?draft=%ld&amp;instrument=IIT\">"
                      "ดูตัวอย่างแบบวัด IIT ตามที่ผู้ตอบเห็น</a></li>"
                      "<li><a href=\"/admin/instruments/preview?draft=%ld&amp;instrument=EIT\">"
                      "ดูตัวอย่างแบบวัด EIT ตามที่ผู้ตอบเห็น</a></li>",
                      d->id, d->id);
        if (publishable(d))
            strbuf_printf(p,
                          "<li><a href=\"/admin/instruments/publish?id=%ld\" id=\"publish-link\">"
                          "เผยแพร่ฉบับนี้ (มีขั้นตอนยืนยันอีกครั้ง)</a></li>",
                          d->id);
        strbuf_puts(p, "</ul>\n");
        unverified_items(p, d);
    }
    strbuf_puts(p,
                "<h2>ลบฉบับร่าง</h2>\n<p>เมื่อลบแล้ว แบบวัดที่ใช้อยู่ไม่เปลี่ยนแปลง และอัปโหลดไฟล์ใหม่ได้ทุกเมื่อ</p>\n"
                "<form method=\"post\" action=\"/admin/instruments/discard\" id=\"discard\">");
    setup_view_csrf(p, d->csrf);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"id\" value=\"%ld\">"
                  "<button type=\"submit\" class=\"sec\">ลบฉบับร่างนี้</button></form>\n",
                  d->id);
}

void instruments_view_confirm(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct draft_page *d = model;
    (void)s;
    strbuf_printf(p, "<p><a href=\"/admin/instruments/draft?id=%ld\">กลับไปหน้าฉบับร่าง</a></p>\n",
                  d->id);
    draft_summary(p, d);
    draft_decision(p, d);
    if (d->review->n_items > 0)
        strbuf_printf(p,
                      "<p class=\"nc\">ฉบับนี้ยังมีข้อมูลที่ยังไม่ยืนยัน %zu รายการ "
                      "หน้าของปีงบประมาณ %d จะแสดงคำเตือนนี้ต่อไป</p>\n",
                      d->review->n_items, d->fiscal_year);
    strbuf_printf(p,
                  "<p>เมื่อกดยืนยัน แบบสอบถามปีงบประมาณ %d ของทุกหน่วยงานจะใช้ฉบับนี้ทันที "
                  "การเผยแพร่จะบันทึกไว้ในประวัติการดำเนินการ (ผู้เผยแพร่และเวลา)</p>\n"
                  "<form method=\"post\" action=\"/admin/instruments/publish\" "
                  "id=\"publish-form\">",
                  d->fiscal_year);
    setup_view_csrf(p, d->csrf);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"id\" value=\"%ld\">"
                  "<button type=\"submit\">ยืนยันเผยแพร่แบบวัดปีงบประมาณ %d</button></form>\n"
                  "<p><a href=\"/admin/instruments/draft?id=%ld\">ยกเลิก ยังไม่เผยแพร่</a></p>\n",
                  d->id, d->fiscal_year, d->id);
}

/* ---- a preview's answers ---- */

void instruments_view_preview_result(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct preview_result *m = model;
    (void)s;
    const struct ita_version *v = m->v;
    const struct ita_survey *sv = &v->surveys[m->instrument];
    size_t first = m->instrument == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    strbuf_printf(p,
                  "<p class=\"nc\" role=\"status\" id=\"preview-done\"><strong>ตัวอย่างเท่านั้น "
                  "ไม่ได้บันทึก</strong> คำตอบ %s ปีงบประมาณ %d ครบทุกข้อและผ่านการตรวจแบบเดียวกับ"
                  "การส่งจริง แต่ระบบไม่ได้บันทึกคำตอบนี้</p>\n"
                  "<p>ตารางแสดงคำตอบที่เลือกและคะแนนที่ข้อนั้นจะได้ตามทิศทางการให้คะแนนของไฟล์</p>\n"
                  "<table id=\"preview-answers\"><thead><tr><th>ข้อ</th><th>คำตอบที่เลือก</th>"
                  "<th>คะแนน</th></tr></thead><tbody>\n",
                  ita_instrument_code(m->instrument), v->fiscal_year);
    for (size_t i = 0; i < sv->n_fields; i++) {
        const struct ita_field *f = v->field_list[first + i];
        int level = m->answers[i];
        strbuf_puts(p, "<tr><td>");
        esc(p, f->code);
        strbuf_puts(p, "</td><td>");
        esc(p, v->scales[f->scale].labels_th[level]);
        strbuf_printf(p, "</td><td class=\"n\">%.2f%s</td></tr>\n",
                      ita_rational_value(ita_field_points(v, f, level)),
                      f->polarity == ITA_NEGATIVE ? " (กลับด้าน)" : "");
    }
    strbuf_puts(p, "</tbody></table>\n<p><a href=\"");
    esc(p, m->again_href);
    strbuf_puts(p, "\">ทดลองตอบอีกครั้ง</a> · <a href=\"");
    esc(p, m->back_href);
    strbuf_puts(p, "\">กลับ</a></p>\n");
}
