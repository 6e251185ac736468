/* Operational endpoint /healthz: is this process able to serve, i.e. does the database answer.
 * (/metrics is not on this port: metrics_http.c serves it on its own listener.) Also the site's
 * Thai landing page (/) and the Thai page for a path no route takes (404, 405). */
#include "net/http.h"
#include "app_sql.h"
#include "page_frame.h"
#include "system.h"

#include "strbuf.h"

static void send_html(struct http_request *req, int status, struct strbuf *page)
{
    http_add_header(req, "Content-Security-Policy", page_frame_csp());
    http_add_header(req, "Referrer-Policy", "same-origin");
    http_respond(req, status, "text/html; charset=utf-8", page->data, page->len);
    strbuf_free(page);
}

void handle_home(struct http_request *req)
{
    struct strbuf p;
    strbuf_init(&p);
    page_frame_begin(&p, "ระบบการประเมินคุณธรรมและความโปร่งใส (ITA)");
    strbuf_puts(&p, "<p>ระบบนี้ใช้เก็บแบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT) และภายนอก (EIT) "
                    "ของหน่วยงานภาครัฐ และจัดทำผลการประเมินของหน่วยงาน</p>\n"
                    "<h2>ผู้ตอบแบบสำรวจ</h2>\n"
                    "<p>โปรดใช้ลิงก์หรือคิวอาร์โค้ดที่หน่วยงานแจ้งไว้ (เช่น บนเว็บไซต์หรือที่จุดบริการ) "
                    "หน้านี้ไม่มีแบบสำรวจให้ตอบ</p>\n"
                    "<h2>เจ้าหน้าที่ผู้ดูแลการประเมินของหน่วยงาน</h2>\n"
                    "<p><a href=\"/admin/login\">เข้าสู่ระบบผู้ดูแล</a></p>\n");
    page_frame_finish(&p);
    send_html(req, 200, &p);
}

void app_not_found(struct http_request *req, int status, const char *allow)
{
    (void)allow; /* the Allow header is already set */
    struct strbuf p;
    strbuf_init(&p);
    if (status == 405) {
        page_frame_begin(&p, "ใช้หน้านี้ด้วยวิธีนี้ไม่ได้");
        strbuf_puts(&p, "<p>หน้านี้ไม่รับคำขอแบบที่ส่งมา โปรดกลับไปที่หน้าก่อนแล้วลองอีกครั้ง</p>\n");
    } else {
        page_frame_begin(&p, "ไม่พบหน้าที่ต้องการ");
        strbuf_puts(&p, "<p>ไม่มีหน้านี้ในระบบ โปรดตรวจสอบที่อยู่อีกครั้ง ลิงก์แบบสำรวจที่หน่วยงานแจ้งจะขึ้นต้นด้วย "
                        "/s/ หรือ /t/ ตามด้วยรหัสยาว หากพิมพ์เองให้ตรวจตัวอักษรพิมพ์เล็ก-ใหญ่</p>\n");
    }
    strbuf_puts(&p, "<p><a href=\"/\">ไปหน้าแรกของระบบ</a></p>\n");
    page_frame_finish(&p);
    send_html(req, status, &p);
}

static void healthz_done(struct http_request *req, const struct db_result *r)
{
    if (r->ok) {
        static const char body[] = "ok\ndatabase: ok\n";
        http_respond(req, 200, "text/plain; charset=utf-8", body, sizeof body - 1);
        return;
    }
    http_add_header(req, "Retry-After", "5");
    static const char body[] = "unavailable\ndatabase: unavailable\n";
    http_respond(req, 503, "text/plain; charset=utf-8", body, sizeof body - 1);
}

void handle_healthz(struct http_request *req)
{
    if (!http_db_try(req, &sql_health, NULL, NULL, healthz_done)) {
        struct db_result r = {.ok = false, .unavailable = true, .error = "pool refused"};
        healthz_done(req, &r);
    }
}
