/* The HTML of the API tokens and administrator accounts pages, and the account list's pure
 * helpers (see accounts_view.h). */
#include "accounts_view.h"
#include "admin_sql.h"
#include "db/db_row.h"
#include "thai_date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void csrf_field(struct strbuf *p, const char *csrf)
{
    strbuf_printf(p, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", csrf);
}

/* A one-row form posting id to action, with the button's label; state (or NULL): the list's
 * state carried through. */
static void row_button_in(struct strbuf *p, const char *csrf, const char *action, const char *id,
                          const char *label, const struct list_view *state)
{
    strbuf_printf(p, "<form method=\"post\" action=\"%s\" class=\"inline\">", action);
    csrf_field(p, csrf);
    if (state)
        list_view_hidden_state(p, state);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"id\" value=\"%s\">"
                  "<button type=\"submit\">%s</button></form>",
                  id, label);
}

static void row_button(struct strbuf *p, const char *csrf, const char *action, const char *id,
                       const char *label)
{
    row_button_in(p, csrf, action, id, label, NULL);
}

/* The address of an action page about account id, carrying the list's state. */
static void action_href(struct strbuf *p, const struct list_view *lv, const char *path,
                        const char *id)
{
    struct list_filter f[8];
    size_t n = 0;
    f[n++] = (struct list_filter){"id", id};
    for (size_t i = 0; i < lv->n_filters && n < 8; i++)
        f[n++] = lv->filters[i];
    struct list_view to = *lv;
    to.path = path;
    to.filters = f;
    to.n_filters = n;
    list_view_href(p, &to, NULL, to.desc, to.page);
}

void accounts_view_tokens(struct strbuf *p, const char *csrf, const char *fresh,
                          const PGresult *tokens)
{
    if (fresh) {
        strbuf_puts(p, "<section class=\"ok\" role=\"status\"><h2>โทเค็นใหม่ (แสดงครั้งเดียว)</h2>"
                       "<p>คัดลอกไปเก็บในไฟล์ที่มีแต่ท่านอ่านได้ แล้วใช้กับ itactl --token-file "
                       "ไฟล์นั้น "
                       "ระบบเก็บเฉพาะค่าแฮช จึงแสดงซ้ำไม่ได้</p><p><code id=\"new-token\">");
        strbuf_html_escape(p, fresh);
        strbuf_puts(p, "</code></p></section>\n");
    }
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/tokens/new\" id=\"token-form\">");
    csrf_field(p, csrf);
    strbuf_puts(p, "<p><label for=\"token-name\">ชื่อโทเค็น (เช่น เครื่องของฝ่ายแผน)</label>"
                   "<input id=\"token-name\" name=\"name\" required maxlength=\"100\"></p>"
                   "<button type=\"submit\">สร้างโทเค็น</button></form>\n"
                   "<table id=\"tokens\"><thead><tr><th>ชื่อ</th><th>สร้างเมื่อ</th><th>ใช้ล่าสุด</th>"
                   "<th>สถานะ</th></tr></thead><tbody>\n");
    for (int i = 0; i < PQntuples(tokens); i++) {
        const char *created = db_text(tokens, i, TOKENS_LIST_CREATED);
        char c_th[ITA_THAI_DATE_SIZE], l_th[ITA_THAI_DATE_SIZE], day[11];
        snprintf(day, sizeof day, "%.10s", created);
        if (!ita_thai_date_short(day, c_th, sizeof c_th))
            snprintf(c_th, sizeof c_th, "%s", created);
        if (!ita_thai_date_short(db_text(tokens, i, TOKENS_LIST_LAST_USED), l_th, sizeof l_th))
            snprintf(l_th, sizeof l_th, "ยังไม่เคยใช้");
        strbuf_puts(p, "<tr><td>");
        strbuf_html_escape(p, db_text(tokens, i, TOKENS_LIST_NAME));
        strbuf_printf(p, "</td><td>%s%s%.5s%s</td><td>%s</td><td>", c_th,
                      strlen(created) == 16 ? " " : "", strlen(created) == 16 ? created + 11 : "",
                      strlen(created) == 16 ? " น." : "", l_th);
        if (db_bool(tokens, i, TOKENS_LIST_REVOKED))
            strbuf_puts(p, "ยกเลิกแล้ว");
        else
            row_button(p, csrf, "/admin/tokens/revoke", db_text(tokens, i, TOKENS_LIST_ID),
                       "ยกเลิก");
        strbuf_puts(p, "</td></tr>\n");
    }
    strbuf_puts(p, "</tbody></table>\n");
}

/* ---- pure helpers ---- */

bool accounts_like_pattern(const char *q, char *out, size_t size)
{
    return list_view_like_pattern(q, out, size);
}

void accounts_group_digits(long n, char *out, size_t size)
{
    list_view_group_digits(n, out, size);
}

size_t accounts_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

void accounts_locked_text(const char *until, char *out, size_t size)
{
    char day[ITA_THAI_DATE_SIZE], iso[11];
    if (strlen(until) == 16 && until[10] == ' ' && until[13] == ':') {
        memcpy(iso, until, 10);
        iso[10] = '\0';
        if (ita_thai_date_short(iso, day, sizeof day)) {
            snprintf(out, size, "ถูกล็อกถึง %s เวลา %.5s น.", day, until + 11);
            return;
        }
    }
    snprintf(out, size, "ถูกล็อกชั่วคราว");
}

/* ---- administrator accounts ---- */

static const char *role_th(const char *role)
{
    return strcmp(role, "system") ? "ผู้ดูแลหน่วยงาน" : "ผู้ดูแลระบบระดับประเทศ";
}

/* The create form: the role an explicit choice for system administrators (nothing chosen until
 * the person chooses), the own agency for agency administrators. */
static void create_form(struct strbuf *p, const struct accounts_users_view *v)
{
    strbuf_puts(p, "<h2 id=\"new-user\">เพิ่มบัญชีผู้ดูแล</h2>\n");
    if (v->error) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"user-error\"><p>");
        strbuf_html_escape(p, v->error);
        strbuf_puts(p, "</p>");
        if (v->reenable_id > 0) {
            strbuf_puts(p,
                        "<form method=\"post\" action=\"/admin/users/enable\" class=\"inline\">");
            csrf_field(p, v->csrf);
            strbuf_printf(p,
                          "<input type=\"hidden\" name=\"id\" value=\"%ld\">"
                          "<button type=\"submit\" id=\"reenable\">เปิดใช้งานบัญชีนี้อีกครั้ง</button>"
                          "</form>",
                          v->reenable_id);
        }
        strbuf_puts(p, "</div>\n");
    }
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/users/new\" id=\"user-form\">");
    csrf_field(p, v->csrf);
    strbuf_puts(p, "<p><label for=\"user-email\">อีเมลของผู้ดูแลคนใหม่</label><input type=\"email\" "
                   "id=\"user-email\" name=\"email\" required maxlength=\"200\" "
                   "autocomplete=\"off\" value=\"");
    strbuf_html_escape(p, v->f_email ? v->f_email : "");
    strbuf_puts(p, "\"></p>");
    if (!v->system) {
        strbuf_puts(p, "<input type=\"hidden\" name=\"role\" value=\"agency\">"
                       "<p class=\"nt\">บัญชีใหม่เป็นผู้ดูแลหน่วยงาน ");
        strbuf_html_escape(p, v->own_agency ? v->own_agency : "");
        strbuf_puts(p, " เช่นเดียวกับท่าน ระบบจะแสดงรหัสผ่านครั้งเดียวให้ท่านส่งต่อ</p>"
                       "<button type=\"submit\">เพิ่มผู้ดูแลหน่วยงาน</button></form>\n");
        return;
    }
    const char *role = v->f_role ? v->f_role : "";
    strbuf_printf(p,
                  "<fieldset><legend>บทบาท</legend><div class=\"r\">"
                  "<label><input type=\"radio\" name=\"role\" value=\"agency\" id=\"role-agency\" "
                  "required%s> ผู้ดูแลหน่วยงาน (กรอกรหัสหน่วยงานด้านล่าง)</label>"
                  "<label><input type=\"radio\" name=\"role\" value=\"system\" id=\"role-system\" "
                  "required%s> ผู้ดูแลระบบระดับประเทศ (เข้าถึงทุกหน่วยงานและทุกบัญชี)</label>"
                  "</div></fieldset>",
                  strcmp(role, "agency") ? "" : " checked",
                  strcmp(role, "system") ? "" : " checked");
    strbuf_puts(p, "<p><label for=\"user-agency\">รหัสหน่วยงาน (เฉพาะผู้ดูแลหน่วยงาน)</label>"
                   "<input id=\"user-agency\" name=\"agency_code\" maxlength=\"64\" value=\"");
    strbuf_html_escape(p, v->f_code ? v->f_code : "");
    strbuf_puts(p, "\"></p><button type=\"submit\">สร้างบัญชี</button></form>\n");
}

/* "แสดง 1–50 จาก 8,312" (or why nothing is shown). */
static void users_count(struct strbuf *p, const struct accounts_users_view *v, long shown,
                        long total)
{
    char a[32], b[32], t[32];
    list_view_group_digits(v->offset + 1, a, sizeof a);
    list_view_group_digits(v->offset + shown, b, sizeof b);
    list_view_group_digits(total, t, sizeof t);
    if (shown == 0 && v->offset > 0)
        strbuf_puts(p, "<p id=\"users-count\" role=\"status\">ไม่มีบัญชีในหน้านี้ "
                       "<a href=\"/admin/users\">กลับไปหน้าแรกของรายการ</a></p>\n");
    else if (shown == 0)
        strbuf_puts(p, "<p id=\"users-count\" role=\"status\">ไม่พบบัญชีที่ตรงกับการค้นหา</p>\n");
    else
        strbuf_printf(p, "<p id=\"users-count\" role=\"status\">แสดง %s–%s จาก %s บัญชี</p>\n", a, b,
                      t);
}

/* The search, the filters and the sort of the list (GET; every value as typed). */
static void filter_form(struct strbuf *p, const struct accounts_users_view *v)
{
    strbuf_puts(p, "<form method=\"get\" action=\"/admin/users\" id=\"user-search\" "
                   "class=\"lv-filter\" role=\"search\" aria-label=\"ค้นหาและกรองบัญชี\">"
                   "<p><label for=\"q\">ค้นหาด้วยอีเมล ชื่อ รหัสหน่วยงาน หรือชื่อหน่วยงาน</label>"
                   "<input type=\"search\" id=\"q\" name=\"q\" maxlength=\"100\" value=\"");
    strbuf_html_escape(p, v->q);
    strbuf_puts(p, "\"></p>");
    if (v->system) {
        static const char *const roles[] = {"agency", "system"};
        static const char *const roles_th[] = {"ผู้ดูแลหน่วยงาน", "ผู้ดูแลระบบระดับประเทศ"};
        list_view_select(p, "f-role", "role", "บทบาท", "ทุกบทบาท", roles, roles_th, 2, v->role);
        strbuf_puts(p, "<p><label for=\"f-agency\">รหัสหน่วยงาน</label><input id=\"f-agency\" "
                       "name=\"agency\" maxlength=\"64\" value=\"");
        strbuf_html_escape(p, v->agency);
        strbuf_puts(p, "\"></p>");
    }
    static const char *const states[] = {"active", "disabled", "locked"};
    static const char *const states_th[] = {"ใช้งาน", "ปิดใช้งาน", "ถูกล็อก"};
    list_view_select(p, "f-state", "state", "สถานะ", "ทุกสถานะ", states, states_th, 3, v->state);
    list_view_keep_sort(p, &v->lv);
    strbuf_puts(p, "<button type=\"submit\">ค้นหา</button></form>\n");
    if (v->q[0] || v->role[0] || v->agency[0] || v->state[0])
        strbuf_puts(p, "<p><a href=\"/admin/users\" id=\"clear-filter\">ล้างเงื่อนไข "
                       "แสดงทุกบัญชี</a></p>\n");
    strbuf_puts(p, "<p class=\"lv-sorts\" id=\"users-sort\">เรียงตาม: ");
    list_view_sort_link(p, &v->lv, "email", "อีเมล");
    strbuf_puts(p, " · ");
    list_view_sort_link(p, &v->lv, "agency", "หน่วยงาน");
    strbuf_puts(p, " · ");
    list_view_sort_link(p, &v->lv, "role", "บทบาท");
    strbuf_puts(p, " · ");
    list_view_sort_link(p, &v->lv, "last", "เข้าระบบล่าสุด");
    strbuf_puts(p, "</p>\n");
}

/* One account: e-mail, role, agency, state in Thai, and what can be done with it. */
static void user_card(struct strbuf *p, const struct accounts_users_view *v, const PGresult *r,
                      int i)
{
    const char *id = db_text(r, i, USERS_PAGE_ID);
    bool disabled = db_bool(r, i, USERS_PAGE_DISABLED), locked = db_bool(r, i, USERS_PAGE_LOCKED);
    bool self = db_int(r, i, USERS_PAGE_ID) == v->self_id;
    strbuf_printf(p, "<div class=\"vr\" id=\"user-%s\"><h3>", id);
    strbuf_html_escape(p, db_text(r, i, USERS_PAGE_EMAIL));
    strbuf_printf(p, "</h3><p>%s", role_th(db_text(r, i, USERS_PAGE_ROLE)));
    if (db_text(r, i, USERS_PAGE_AGENCY_CODE)[0]) {
        strbuf_puts(p, " · ");
        strbuf_html_escape(p, db_text(r, i, USERS_PAGE_AGENCY_NAME));
        strbuf_puts(p, " (");
        strbuf_html_escape(p, db_text(r, i, USERS_PAGE_AGENCY_CODE));
        strbuf_puts(p, ")");
    }
    char lock[160];
    if (locked)
        accounts_locked_text(db_text(r, i, USERS_PAGE_LOCKED_UNTIL), lock, sizeof lock);
    strbuf_printf(p, "<br>สถานะ: <strong class=\"state\">%s</strong>%s",
                  disabled ? "ปิดใช้งาน"
                  : locked ? lock
                           : "ใช้งาน",
                  self ? " (บัญชีของท่าน)" : "");
    const char *last = db_text(r, i, USERS_PAGE_LAST_SIGNIN);
    char day[ITA_THAI_DATE_SIZE], iso[11];
    snprintf(iso, sizeof iso, "%.10s", last);
    if (strlen(last) == 16 && ita_thai_date_short(iso, day, sizeof day))
        strbuf_printf(p, "<br><span class=\"last\">เข้าระบบล่าสุด %s เวลา %.5s น.</span></p>\n", day,
                      last + 11);
    else
        strbuf_puts(p, "<br><span class=\"last\">ยังไม่เคยเข้าระบบ</span></p>\n");
    if (self) {
        strbuf_puts(p, "<p><a href=\"/admin/password\">เปลี่ยนรหัสผ่านของท่าน</a></p></div>\n");
        return;
    }
    if (disabled) {
        row_button_in(p, v->csrf, "/admin/users/enable", id, "เปิดใช้งานอีกครั้ง", &v->lv);
        strbuf_puts(p, "</div>\n");
        return;
    }
    if (locked)
        row_button_in(p, v->csrf, "/admin/users/unlock", id, "ปลดล็อก", &v->lv);
    strbuf_puts(p, "<p><a href=\"");
    action_href(p, &v->lv, "/admin/users/reset", id);
    strbuf_puts(p, "\">ตั้งรหัสผ่านใหม่</a> · <a href=\"");
    action_href(p, &v->lv, "/admin/users/disable", id);
    strbuf_puts(p, "\">ปิดใช้งาน</a></p></div>\n");
}

void accounts_view_users(struct strbuf *p, const struct accounts_users_view *v,
                         const PGresult *users)
{
    if (v->shown) {
        strbuf_puts(p, "<section class=\"ok\" role=\"status\"><h2>สร้างบัญชีแล้ว</h2><p>อีเมล <strong>");
        strbuf_html_escape(p, v->shown->email);
        strbuf_puts(p, "</strong> รหัสผ่าน (แสดงครั้งเดียว ส่งให้เจ้าของบัญชีทางช่องทางที่ปลอดภัย): "
                       "<code id=\"new-password\">");
        strbuf_html_escape(p, v->shown->password);
        strbuf_puts(p, "</code></p></section>\n");
    }
    if (v->notice) {
        strbuf_puts(p, "<p class=\"ok\" role=\"status\" id=\"notice\">");
        strbuf_html_escape(p, v->notice);
        strbuf_puts(p, "</p>\n");
    }
    if (!v->system) {
        strbuf_puts(p, "<p>บัญชีผู้ดูแลของหน่วยงาน ");
        strbuf_html_escape(p, v->own_agency ? v->own_agency : "");
        strbuf_puts(p, " ท่านเพิ่มเพื่อนร่วมงาน ตั้งรหัสผ่านใหม่ ปลดล็อก "
                       "และปิดหรือเปิดใช้งานบัญชีของหน่วยงานนี้ได้</p>\n");
    }
    create_form(p, v);
    strbuf_puts(p, "<h2 id=\"list\">บัญชีทั้งหมด</h2>\n");
    filter_form(p, v);
    if (v->list_error) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"list-error\"><p>");
        strbuf_html_escape(p, v->list_error);
        strbuf_puts(p, "</p></div>\n");
    }
    int n = PQntuples(users);
    long total = n ? db_int(users, 0, USERS_PAGE_TOTAL) : 0;
    struct list_view lv = v->lv;
    lv.total = total;
    users_count(p, v, n, total);
    list_view_pager(p, &lv, "users-pager", "หน้าของรายการบัญชี");
    strbuf_puts(p, "<div id=\"users\">\n");
    for (int i = 0; i < n; i++)
        user_card(p, v, users, i);
    strbuf_puts(p, "</div>\n");
    if (n > 10)
        list_view_pager(p, &lv, "users-pager-end", "หน้าของรายการบัญชี (ท้ายรายการ)");
}

void accounts_view_confirm(struct strbuf *p, const char *csrf, bool reset, const PGresult *one,
                           const struct list_view *back)
{
    const char *id = db_text(one, 0, USER_ONE_ID);
    strbuf_puts(p, "<div class=\"nc\"><p>บัญชี <strong id=\"confirm-email\">");
    strbuf_html_escape(p, db_text(one, 0, USER_ONE_EMAIL));
    strbuf_printf(p, "</strong> (%s", role_th(db_text(one, 0, USER_ONE_ROLE)));
    if (db_text(one, 0, USER_ONE_AGENCY_NAME)[0]) {
        strbuf_puts(p, " ");
        strbuf_html_escape(p, db_text(one, 0, USER_ONE_AGENCY_NAME));
    }
    strbuf_puts(p, ")</p><p>");
    strbuf_puts(p, reset ? "รหัสผ่านเดิมจะใช้ไม่ได้ทันที เจ้าของบัญชีจะถูกออกจากระบบทุกเครื่อง "
                           "และระบบจะแสดงรหัสผ่านใหม่ให้ท่านครั้งเดียว "
                           "เพื่อส่งให้เจ้าของบัญชีทางช่องทางที่ปลอดภัย"
                         : "เจ้าของบัญชีจะถูกออกจากระบบทันทีและเข้าสู่ระบบไม่ได้อีก "
                           "โทเค็น itactl ของบัญชีนี้จะถูกยกเลิก "
                           "ท่านเปิดใช้งานบัญชีอีกครั้งได้ภายหลังจากหน้าบัญชีผู้ดูแล");
    strbuf_printf(p, "</p></div>\n<form method=\"post\" action=\"/admin/users/%s\" id=\"confirm\">",
                  reset ? "reset" : "disable");
    csrf_field(p, csrf);
    list_view_hidden_state(p, back);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"id\" value=\"%s\">"
                  "<button type=\"submit\" class=\"sec\">%s</button></form>\n"
                  "<p><a href=\"",
                  id, reset ? "ยืนยัน ตั้งรหัสผ่านใหม่" : "ยืนยัน ปิดใช้งานบัญชีนี้");
    list_view_href(p, back, NULL, back->desc, back->page);
    strbuf_puts(p, "\" id=\"cancel\">ยกเลิก กลับไปหน้าบัญชีผู้ดูแล</a></p>\n");
}

void accounts_view_reset_done(struct strbuf *p, const char *email, const char *password,
                              const struct list_view *back)
{
    strbuf_puts(p, "<section class=\"ok\" role=\"status\"><h2>ตั้งรหัสผ่านใหม่แล้ว</h2><p>อีเมล "
                   "<strong>");
    strbuf_html_escape(p, email);
    strbuf_puts(p, "</strong> รหัสผ่านใหม่ (แสดงครั้งเดียว ส่งให้เจ้าของบัญชีทางช่องทางที่ปลอดภัย "
                   "และแนะนำให้เปลี่ยนเองหลังเข้าสู่ระบบ): <code id=\"new-password\">");
    strbuf_html_escape(p, password);
    strbuf_puts(p, "</code></p></section>\n<p><a href=\"");
    list_view_href(p, back, NULL, back->desc, back->page);
    strbuf_puts(p, "\" id=\"back\">กลับไปหน้าบัญชีผู้ดูแล</a></p>\n");
}

void accounts_view_password(struct strbuf *p, const char *csrf, const char *error, bool done)
{
    if (done)
        strbuf_puts(p, "<p class=\"ok\" role=\"status\" id=\"notice\">เปลี่ยนรหัสผ่านแล้ว "
                       "ครั้งหน้าใช้รหัสผ่านใหม่เข้าสู่ระบบ "
                       "และเครื่องอื่นที่เข้าสู่ระบบด้วยบัญชีนี้ไว้ถูกออกจากระบบแล้ว</p>\n");
    if (error) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\" id=\"password-error\"><p>");
        strbuf_html_escape(p, error);
        strbuf_puts(p, "</p></div>\n");
    }
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/password\" id=\"password-form\">");
    csrf_field(p, csrf);
    strbuf_puts(
        p, "<p><label for=\"pw-current\">รหัสผ่านปัจจุบัน</label><input type=\"password\" "
           "id=\"pw-current\" name=\"current\" autocomplete=\"current-password\" required></p>"
           "<p><label for=\"pw-new\">รหัสผ่านใหม่ (อย่างน้อย 10 ตัวอักษร)</label><input type=\"password\" "
           "id=\"pw-new\" name=\"new\" autocomplete=\"new-password\" required minlength=\"10\" "
           "aria-describedby=\"pw-hint\"></p>"
           "<p><label for=\"pw-again\">รหัสผ่านใหม่อีกครั้ง</label><input type=\"password\" "
           "id=\"pw-again\" name=\"again\" autocomplete=\"new-password\" required "
           "minlength=\"10\"></p>"
           "<p class=\"nt\" id=\"pw-hint\">ใช้วลีที่จำได้แต่คนอื่นเดายาก เช่น คำหลายคำต่อกัน "
           "เมื่อเปลี่ยนแล้ว เครื่องอื่นที่เข้าสู่ระบบด้วยบัญชีนี้ไว้จะถูกออกจากระบบ</p>"
           "<button type=\"submit\">เปลี่ยนรหัสผ่าน</button></form>\n");
}
