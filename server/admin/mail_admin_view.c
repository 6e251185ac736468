/* The e-mail page (see mail_admin_view.h). */
#include "mail_admin_view.h"
#include "setup_view.h"
#include "thai_date.h"

static void thai_day(struct strbuf *p, const char *iso)
{
    char d[ITA_THAI_DATE_SIZE];
    if (iso && iso[0] && ita_thai_date_short(iso, d, sizeof d))
        strbuf_puts(p, d);
}

static void mode_section(struct strbuf *p, const struct setup *s, const struct mail_page *m)
{
    bool priv = s->private_delivery[s->instrument];
    strbuf_puts(p, "<h2 id=\"mode-title\">วิธีส่งลิงก์ส่วนบุคคล</h2>\n");
    if (priv)
        strbuf_puts(p, "<p id=\"mode\"><strong>ระบบส่งลิงก์ให้แต่ละคนทางอีเมลเอง</strong> "
                       "ผู้ดูแลเห็นเฉพาะจำนวน ไม่เห็นลิงก์ของผู้ใด "
                       "และไม่เห็นว่าผู้ใดตอบแล้ว</p>\n");
    else
        strbuf_puts(p, "<p id=\"mode\"><strong>ไฟล์จดหมายเวียน</strong> "
                       "ผู้ดูแลดาวน์โหลดไฟล์ที่มีลิงก์ของทุกคนแล้วส่งเอง</p>\n");
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/mail/mode\" id=\"mode-form\">");
    setup_view_csrf(p, m->csrf);
    setup_view_hidden_scope(p, s, s->instrument);
    if (priv) {
        strbuf_puts(p,
                    "<input type=\"hidden\" name=\"delivery\" value=\"mailmerge\">"
                    "<p class=\"warn\" id=\"mailmerge-warning\">คำเตือน: ไฟล์จดหมายเวียนมีลิงก์ของทุกคน "
                    "ผู้ที่ถือไฟล์ตอบแบบสำรวจแทนผู้อื่นได้ และลองเปิดลิงก์เพื่อดูว่าผู้ใดตอบแล้วได้ "
                    "ความเชื่อมั่นของบุคลากรต่อการประเมินจึงขึ้นอยู่กับผู้ถือไฟล์</p>"
                    "<p><label class=\"cb\" for=\"mode-confirm\"><input type=\"checkbox\" "
                    "id=\"mode-confirm\" name=\"confirm\" value=\"1\"");
        if (m->mode_error)
            strbuf_puts(p, " aria-invalid=\"true\" aria-describedby=\"form-error\"");
        strbuf_puts(p, "> ข้าพเจ้าเข้าใจผลข้างต้น "
                       "และต้องการใช้ไฟล์จดหมายเวียนสำหรับรายชื่อนี้</label></p>"
                       "<button type=\"submit\" class=\"sec\">เปลี่ยนเป็นไฟล์จดหมายเวียน</button>");
    } else {
        strbuf_puts(p, "<input type=\"hidden\" name=\"delivery\" value=\"private\">"
                       "<button type=\"submit\">เปลี่ยนเป็นให้ระบบส่งทางอีเมลเอง</button>");
    }
    strbuf_puts(p, "</form>\n");
}

static void counts_section(struct strbuf *p, const struct setup *s, const struct mail_page *m)
{
    const long *c = m->count;
    strbuf_puts(p, "<h2 id=\"counts-title\">สถานะการส่ง</h2>\n"
                   "<table id=\"mail-counts\" aria-labelledby=\"counts-title\"><tbody>");
    static const char *const labels[MAIL_COUNT_N] = {
        "รายชื่อทั้งหมด",          "มีอีเมล",     "ออกลิงก์แล้ว",  "ยังไม่ได้ส่งคำเชิญ", "รอส่ง (รวมที่รอลองใหม่)",
        "ส่งถึงเซิร์ฟเวอร์อีเมลแล้ว", "ส่งไม่สำเร็จ", "ใช้ลิงก์ตอบแล้ว"};
    static const char *const ids[MAIL_COUNT_N] = {
        "contacts", "with-email", "with-link", "unsent", "waiting", "sent", "failed", "answered"};
    for (int i = 0; i < MAIL_COUNT_N; i++)
        strbuf_printf(p, "<tr><th scope=\"row\">%s</th><td id=\"count-%s\">%ld</td></tr>",
                      labels[i], ids[i], c[i]);
    strbuf_puts(p, "</tbody></table>\n");
    long no_email = c[MAIL_COUNT_CONTACTS] - c[MAIL_COUNT_WITH_EMAIL];
    if (no_email > 0)
        strbuf_printf(p,
                      "<p id=\"no-email\">ไม่มีอีเมล %ld คน: พิมพ์ใบแจ้งลิงก์ให้ได้จาก "
                      "<a href=\"/admin/contacts?agency=%s&amp;fy=%s&amp;instrument=%s\">"
                      "หน้ารายชื่อ</a></p>\n",
                      no_email, s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument]);
    if (!m->smtp_on) {
        strbuf_puts(p, "<p class=\"er\" id=\"no-smtp\">เซิร์ฟเวอร์นี้ยังไม่ได้ตั้งค่าการส่งอีเมล "
                       "(smtp_url) จึงยังส่งคำเชิญไม่ได้ กรุณาแจ้งผู้ดูแลระบบ</p>\n");
        return;
    }
    if (!s->link_id[s->instrument]) {
        strbuf_puts(p, "<p class=\"er\">ต้องบันทึกการตั้งค่าปีงบประมาณก่อน จึงจะส่งคำเชิญได้</p>\n");
        return;
    }
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/mail/send\" id=\"send-form\">");
    setup_view_csrf(p, m->csrf);
    setup_view_hidden_scope(p, s, s->instrument);
    strbuf_puts(p, "<p>ระบบออกลิงก์ให้ผู้ที่ยังไม่มี แล้วส่งคำเชิญถึงทุกคนที่มีอีเมล "
                   "และยังไม่เคยได้รับคำเชิญของลิงก์ปัจจุบัน (กดซ้ำได้ ไม่มีผู้ใดได้รับซ้ำ)</p>"
                   "<button type=\"submit\">ส่งคำเชิญทางอีเมล</button></form>\n");
}

static const char *round_state_th(const char *state)
{
    if (state[0] == 'r')
        return "กำลังส่ง";
    if (state[0] == 'd')
        return "ส่งครบแล้ว";
    return "กำหนดไว้";
}

static void reminders_section(struct strbuf *p, const struct setup *s, const struct mail_page *m)
{
    strbuf_puts(p, "<h2 id=\"reminders-title\">คำเตือน (ส่งได้ไม่เกิน 3 ครั้ง)</h2>\n"
                   "<p>ในวันที่กำหนด ระบบส่งคำเตือนเฉพาะผู้ที่ยังไม่ได้ใช้ลิงก์ "
                   "ระบบเป็นผู้ตัดสินเอง ผู้ดูแลไม่เห็นว่าผู้ใดได้รับคำเตือน</p>\n"
                   "<form method=\"post\" action=\"/admin/mail/reminders\" id=\"reminders-form\" "
                   "novalidate>");
    setup_view_csrf(p, m->csrf);
    setup_view_hidden_scope(p, s, s->instrument);
    strbuf_puts(p, "<ul class=\"rounds\">");
    for (int k = 0; k < 3; k++) {
        const struct mail_round_view *v = &m->rounds[k];
        const char *value = m->reminder_form ? m->typed[k] : (v->exists ? v->send_on : "");
        bool fixed = v->exists && v->state[0] != 's'; /* running or done: its day stays */
        strbuf_printf(p, "<li><label for=\"r%d\">ครั้งที่ %d</label> ", k + 1, k + 1);
        strbuf_printf(p,
                      "<input type=\"date\" id=\"r%d\" name=\"r%d\" min=\"%s\" max=\"%s\" value=\"",
                      k + 1, k + 1, s->opens_on, s->closes_on);
        strbuf_html_escape(p, value ? value : "");
        strbuf_printf(p, "\"%s%s>", fixed ? " readonly" : "",
                      m->reminder_form && m->error ? " aria-describedby=\"form-error\"" : "");
        if (v->exists) {
            strbuf_printf(p, " <span id=\"round-%d-state\">", k + 1);
            thai_day(p, v->send_on);
            strbuf_printf(p, ": %s", round_state_th(v->state));
            if (v->state[0] != 's')
                strbuf_printf(p, " ส่งแล้ว %u ฉบับ ไม่สำเร็จ %u", v->sent, v->failed);
            strbuf_puts(p, "</span>");
        }
        strbuf_puts(p, "</li>");
    }
    strbuf_puts(p, "</ul><button type=\"submit\">บันทึกวันส่งคำเตือน</button></form>\n");
}

static void failed_section(struct strbuf *p, const struct mail_page *m)
{
    if (m->nfailed == 0)
        return;
    strbuf_puts(p, "<h2 id=\"failed-title\">อีเมลที่ส่งไม่สำเร็จ</h2>\n"
                   "<p>แก้อีเมลให้ถูกต้อง แล้วระบบจะออกลิงก์ใหม่ (ลิงก์เดิมใช้ไม่ได้) "
                   "และส่งคำเชิญใหม่ให้เอง</p>\n"
                   "<table id=\"failed\" aria-labelledby=\"failed-title\"><thead><tr>"
                   "<th>ชื่อ-นามสกุล</th><th>หน่วยงานย่อย</th><th>อีเมล</th>"
                   "<th>คำตอบของเซิร์ฟเวอร์อีเมล</th><th>เมื่อ</th><th>แก้ไข</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < m->nfailed; i++) {
        const struct mail_failed_row *f = &m->failed[i];
        strbuf_puts(p, "<tr><td>");
        strbuf_html_escape(p, f->name);
        strbuf_puts(p, "</td><td>");
        strbuf_html_escape(p, f->unit);
        strbuf_puts(p, "</td><td>");
        strbuf_html_escape(p, f->email);
        strbuf_puts(p, "</td><td>");
        strbuf_html_escape(p, f->reply);
        strbuf_puts(p, "</td><td>");
        if (f->at[0]) {
            char iso[11];
            snprintf(iso, sizeof iso, "%.10s", f->at);
            thai_day(p, iso);
            strbuf_printf(p, " %s น.", f->at + 11);
        }
        strbuf_printf(
            p, "</td><td><a href=\"/admin/contacts/edit?contact=%s\" aria-label=\"แก้อีเมลของ ",
            f->contact);
        strbuf_html_escape(p, f->name);
        strbuf_puts(p, "\">แก้อีเมล</a></td></tr>\n");
    }
    strbuf_puts(p, "</tbody></table>\n");
}

void mail_admin_view(struct strbuf *p, const struct setup *s, const void *model)
{
    const struct mail_page *m = model;
    setup_view_nav(p, s);
    if (m->error) {
        strbuf_puts(p, "<p class=\"er\" id=\"form-error\" role=\"alert\">");
        strbuf_html_escape(p, m->error);
        strbuf_puts(p, "</p>\n");
    } else if (m->queued > 0) {
        strbuf_printf(p,
                      "<p id=\"notice\" role=\"status\">เข้าคิวส่งคำเชิญแล้ว %ld ฉบับ "
                      "ระบบทยอยส่งให้เอง (โหลดหน้านี้ใหม่เพื่อดูสถานะ)</p>\n",
                      m->queued);
    } else if (m->notice) {
        strbuf_puts(p, "<p id=\"notice\" role=\"status\">บันทึกแล้ว</p>\n");
    }
    /* what the clerk comes for first: where sending stands and what needs correcting */
    counts_section(p, s, m);
    failed_section(p, m);
    reminders_section(p, s, m);
    strbuf_printf(p,
                  "<p id=\"templates\">ข้อความในอีเมล: <a href=\"/admin/mail/template?agency=%s&amp;"
                  "fy=%s&amp;instrument=%s&amp;kind=invite\">แก้ไขข้อความคำเชิญ</a> · "
                  "<a href=\"/admin/mail/template?agency=%s&amp;fy=%s&amp;instrument=%s&amp;"
                  "kind=reminder\">แก้ไขข้อความคำเตือน</a></p>\n",
                  s->agency_id, s->fy, SETUP_INSTRUMENTS[s->instrument], s->agency_id, s->fy,
                  SETUP_INSTRUMENTS[s->instrument]);
    mode_section(p, s, m);
}
