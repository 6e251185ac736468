/* Operational endpoint /healthz: is this process able to serve, i.e. does the database answer.
 * (/metrics is not on this port: metrics_http.c serves it on its own listener.) Also the site's
 * Thai landing page (/), the Thai page for a path no route takes (404, 405) and the Thai page
 * of any other error a browser is answered with (http_app.error_page). */
#include "net/http.h"
#include "app_sql.h"
#include "page_frame.h"
#include "system.h"

#include "log.h"
#include "strbuf.h"

#include <string.h>

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

/* What a person is told for an error status: a heading and what to do. */
struct error_text {
    int status;
    const char *title;
    const char *body;
};

static const struct error_text ERROR_TEXTS[] = {
    {400, "คำขอไม่ถูกต้อง", "ระบบอ่านคำขอนี้ไม่ได้ โปรดกลับไปที่หน้าก่อน โหลดหน้าใหม่ แล้วลองอีกครั้ง"},
    {403, "ส่งแบบฟอร์มนี้ไม่ได้",
     "แบบฟอร์มนี้หมดอายุ หรือไม่ได้ส่งมาจากหน้าของระบบนี้ (ระบบตรวจเพื่อความปลอดภัยของบัญชี) "
     "โปรดกลับไปที่หน้าก่อน โหลดหน้าใหม่ แล้วส่งอีกครั้ง ข้อมูลที่บันทึกไว้ก่อนหน้านี้ไม่สูญหาย"},
    {404, "ไม่พบข้อมูลที่ต้องการ",
     "ไม่พบหน่วยงาน ปีงบประมาณ หรือรายการนี้ หรือท่านไม่มีสิทธิ์เข้าถึง โปรดเลือกจากเมนูอีกครั้ง"},
    {408, "หมดเวลารอ", "ระบบรอข้อมูลจากเครื่องของท่านนานเกินไป โปรดลองอีกครั้ง"},
    {413, "ข้อมูลหรือไฟล์ใหญ่เกินกำหนด",
     "ข้อมูลที่ส่งมามีขนาดใหญ่เกินกว่าที่ระบบรับได้ หากเป็นไฟล์รายชื่อ โปรดแบ่งเป็นหลายไฟล์แล้วนำเข้าทีละไฟล์"},
    {414, "ที่อยู่หน้ายาวเกินไป", "โปรดตรวจสอบลิงก์อีกครั้ง หรือเปิดจากหน้าแรกของระบบ"},
    {429, "มีคำขอมากเกินไป", "โปรดรอสักครู่แล้วลองอีกครั้ง"},
    {431, "คำขอยาวเกินไป", "โปรดลบคุกกี้ของเว็บไซต์นี้ในเบราว์เซอร์ แล้วลองอีกครั้ง"},
    {500, "เกิดข้อผิดพลาดในระบบ",
     "ระบบทำรายการนี้ไม่สำเร็จ ข้อมูลที่บันทึกไว้แล้วไม่สูญหาย โปรดลองอีกครั้ง "
     "หากยังพบปัญหา โปรดแจ้งผู้ดูแลระบบพร้อมวันเวลาที่เกิดเหตุ"},
    {503, "ระบบไม่ว่างชั่วคราว",
     "ขณะนี้ระบบมีผู้ใช้งานมากหรือกำลังปรับปรุง โปรดลองอีกครั้งในอีกสักครู่ "
     "ข้อมูลที่บันทึกไว้แล้วไม่สูญหาย"},
};

/* The words for status (a general text for one not listed). */
static const struct error_text *error_text_of(int status)
{
    for (size_t i = 0; i < sizeof ERROR_TEXTS / sizeof ERROR_TEXTS[0]; i++)
        if (ERROR_TEXTS[i].status == status)
            return &ERROR_TEXTS[i];
    static const struct error_text fallback = {0, "ทำรายการไม่สำเร็จ", "โปรดกลับไปที่หน้าก่อนแล้วลองอีกครั้ง"};
    return &fallback;
}

void app_error_plain(struct http_request *req, int status, const char *message)
{
    const struct error_text *t = error_text_of(status);
    char q[300];
    log_quote(q, sizeof q, message ? message : "");
    log_info("event=error_plain status=%d why=%s", status, q);
    struct strbuf p;
    strbuf_init(&p);
    strbuf_printf(&p, "%d %s: %s\n", status, t->title, t->body);
    if (message && *message) /* what went wrong, for whoever runs the client or the server */
        strbuf_printf(&p, "(รายละเอียดทางเทคนิค: %s)\n", message);
    http_respond(req, status, "text/plain; charset=utf-8", p.data, p.len);
    strbuf_free(&p);
}

void app_error_page(struct http_request *req, int status, const char *message)
{
    const struct error_text *t = error_text_of(status);
    log_info("event=error_page status=%d why=\"%s\"", status, message ? message : "");
    struct strbuf p;
    strbuf_init(&p);
    page_frame_begin(&p, t->title);
    strbuf_printf(&p, "<p>%s</p>\n<p class=\"nt\">รหัสข้อผิดพลาด %d</p>\n", t->body, status);
    bool admin = req->path && !strncmp(req->path, "/admin", 6);
    strbuf_puts(&p, admin ? "<p><a href=\"/admin/\">ไปหน้าหลักของผู้ดูแล</a></p>\n"
                          : "<p><a href=\"/\">ไปหน้าแรกของระบบ</a></p>\n");
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
