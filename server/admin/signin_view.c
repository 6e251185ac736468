/* The HTML of sign-in: the login page and the signed-in home page (see signin_view.h). */
#include "signin_view.h"
#include "admin_session.h"
#include "app/page_frame.h"

#include <stdio.h>

void signin_view_login(struct strbuf *p, const char *form_token, const char *message,
                       const char *email)
{
    page_frame_begin(p, "เข้าสู่ระบบผู้ดูแล");
    if (message) {
        strbuf_puts(p, "<div class=\"es\" role=\"alert\"><p>");
        strbuf_html_escape(p, message);
        strbuf_puts(p, "</p></div>\n");
    }
    strbuf_printf(
        p,
        "<form class=\"f\" method=\"post\" action=\"/admin/login\" id=\"login\">\n"
        "<input type=\"hidden\" name=\"f\" value=\"%s\">\n"
        "<label for=\"email\">อีเมล</label>\n"
        "<input type=\"email\" id=\"email\" name=\"email\" autocomplete=\"username\" required "
        "value=\"",
        form_token);
    strbuf_html_escape(p, email ? email : "");
    strbuf_puts(p, "\">\n"
                   "<label for=\"password\">รหัสผ่าน</label>\n"
                   "<input type=\"password\" id=\"password\" name=\"password\" "
                   "autocomplete=\"current-password\" required>\n"
                   "<button type=\"submit\">เข้าสู่ระบบ</button>\n</form>\n"
                   "<p class=\"nt\">ถ้าใส่รหัสผ่านผิด 5 ครั้ง บัญชีจะถูกล็อกไว้ 15 นาที</p>\n");
    page_frame_finish(p);
}

void signin_view_failed(time_t now, char *out, size_t size)
{
    long long t = (long long)now + 15 * 60 + 7 * 3600 + 59; /* UTC+7, rounded up to the minute */
    long long minute = (t / 60) % (24 * 60);
    snprintf(out, size,
             "อีเมลหรือรหัสผ่านไม่ถูกต้อง ถ้าใส่รหัสผ่านผิดครบ 5 ครั้ง บัญชีจะถูกล็อก "
             "ลองใหม่ได้หลัง %02lld:%02lld น. หรือขอให้ผู้ดูแลปลดล็อกให้",
             minute / 60, minute % 60);
}

void signin_view_home(struct strbuf *p, const struct admin_user *u)
{
    strbuf_puts(p, "<ul id=\"home\">");
    if (u->system)
        strbuf_puts(p, "<li><a href=\"/admin/agencies\">หน่วยงานทั้งหมด: เพิ่ม นำเข้า "
                       "ตั้งค่าปีงบประมาณ "
                       "ลิงก์ คิวอาร์โค้ดและโปสเตอร์</a></li>"
                       "<li><a href=\"/admin/national\">ภาพรวมทั้งประเทศ: ความคืบหน้า "
                       "OIT และผลของทุกหน่วยงานในปีงบประมาณ</a></li>"
                       "<li><a href=\"/admin/instruments\">แบบวัดแต่ละปีงบประมาณ: อัปโหลด "
                       "ตรวจ ดูตัวอย่าง และเผยแพร่</a></li>"
                       "<li><a href=\"/admin/users\">บัญชีผู้ดูแล: เพิ่ม ค้นหา ปลดล็อก "
                       "ตั้งรหัสผ่านใหม่ ปิดหรือเปิดใช้งาน</a></li>");
    else
        strbuf_printf(p,
                      "<li><a href=\"/admin/agency?id=%d\">หน่วยงานของท่าน: ตั้งค่าปีงบประมาณ "
                      "รายชื่อ "
                      "ลิงก์ส่วนบุคคล คิวอาร์โค้ดและโปสเตอร์ ความคืบหน้า ผลคะแนน</a></li>"
                      "<li><a href=\"/admin/users\">บัญชีผู้ดูแลของหน่วยงาน: "
                      "เพิ่มเพื่อนร่วมงาน ปลดล็อก ตั้งรหัสผ่านใหม่</a></li>",
                      u->agency_id);
    strbuf_puts(
        p, "<li><a href=\"/admin/password\">เปลี่ยนรหัสผ่านของท่าน</a></li>"
           "<li><a href=\"/admin/audit\">บันทึกการดำเนินการของผู้ดูแล</a></li>"
           "<li><a href=\"/admin/tokens\">โทเค็นเชื่อมต่อโปรแกรม (สำหรับเจ้าหน้าที่ไอที)</a></li></ul>\n");
}
