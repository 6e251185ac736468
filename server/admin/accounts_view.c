/* The HTML of the API tokens and administrator accounts pages (see accounts_view.h). */
#include "accounts_view.h"
#include "admin_sql.h"
#include "db/db_row.h"

#include <string.h>

static void csrf_field(struct strbuf *p, const char *csrf)
{
    strbuf_printf(p, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", csrf);
}

/* A one-row form posting id to action, with the button's label. */
static void row_button(struct strbuf *p, const char *csrf, const char *action, const char *id,
                       const char *label)
{
    strbuf_printf(p, "<form method=\"post\" action=\"%s\" class=\"inline\">", action);
    csrf_field(p, csrf);
    strbuf_printf(p,
                  "<input type=\"hidden\" name=\"id\" value=\"%s\">"
                  "<button type=\"submit\">%s</button></form>",
                  id, label);
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
        const char *last = db_text(tokens, i, TOKENS_LIST_LAST_USED);
        strbuf_puts(p, "<tr><td>");
        strbuf_html_escape(p, db_text(tokens, i, TOKENS_LIST_NAME));
        strbuf_printf(p, "</td><td>%s</td><td>%s</td><td>", db_text(tokens, i, TOKENS_LIST_CREATED),
                      last[0] ? last : "-");
        if (db_bool(tokens, i, TOKENS_LIST_REVOKED))
            strbuf_puts(p, "ยกเลิกแล้ว");
        else
            row_button(p, csrf, "/admin/tokens/revoke", db_text(tokens, i, TOKENS_LIST_ID),
                       "ยกเลิก");
        strbuf_puts(p, "</td></tr>\n");
    }
    strbuf_puts(p, "</tbody></table>\n");
}

void accounts_view_users(struct strbuf *p, const char *csrf, const struct accounts_new_user *shown,
                         int self_id, const PGresult *users)
{
    if (shown) {
        strbuf_puts(p, "<section class=\"ok\" role=\"status\"><h2>สร้างบัญชีแล้ว</h2><p>อีเมล <strong>");
        strbuf_html_escape(p, shown->email);
        strbuf_puts(p, "</strong> รหัสผ่าน (แสดงครั้งเดียว ส่งให้เจ้าของบัญชีทางช่องทางที่ปลอดภัย): "
                       "<code id=\"new-password\">");
        strbuf_html_escape(p, shown->password);
        strbuf_puts(p, "</code></p></section>\n");
    }
    strbuf_puts(p, "<form method=\"post\" action=\"/admin/users/new\" id=\"user-form\">");
    csrf_field(p, csrf);
    strbuf_puts(p,
                "<p><label for=\"user-email\">อีเมล</label><input type=\"email\" id=\"user-email\" "
                "name=\"email\" required maxlength=\"200\"></p>"
                "<p><label for=\"user-agency\">รหัสหน่วยงาน (ผู้ดูแลหน่วยงาน) "
                "เว้นว่างเพื่อสร้างผู้ดูแลระบบ</label><input id=\"user-agency\" name=\"agency_code\" "
                "maxlength=\"64\"></p><button type=\"submit\">สร้างบัญชี</button></form>\n"
                "<table id=\"users\"><thead><tr><th>อีเมล</th><th>บทบาท</th><th>หน่วยงาน</th>"
                "<th>สถานะ</th></tr></thead><tbody>\n");
    for (int i = 0; i < PQntuples(users); i++) {
        strbuf_puts(p, "<tr><td>");
        strbuf_html_escape(p, db_text(users, i, USERS_LIST_EMAIL));
        strbuf_printf(p, "</td><td>%s</td><td>",
                      strcmp(db_text(users, i, USERS_LIST_ROLE), "system") ? "ผู้ดูแลหน่วยงาน"
                                                                           : "ผู้ดูแลระบบ");
        strbuf_html_escape(p, db_text(users, i, USERS_LIST_AGENCY_NAME));
        strbuf_puts(p, "</td><td>");
        if (db_bool(users, i, USERS_LIST_DISABLED)) {
            strbuf_puts(p, "ปิดใช้งานแล้ว");
        } else {
            if (db_bool(users, i, USERS_LIST_LOCKED))
                strbuf_puts(p, "ถูกล็อกชั่วคราว ");
            if (db_int(users, i, USERS_LIST_ID) != self_id)
                row_button(p, csrf, "/admin/users/disable", db_text(users, i, USERS_LIST_ID),
                           "ปิดใช้งาน");
            else
                strbuf_puts(p, "บัญชีของท่าน");
        }
        strbuf_puts(p, "</td></tr>\n");
    }
    strbuf_puts(p, "</tbody></table>\n");
}
