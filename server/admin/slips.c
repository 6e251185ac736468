/* GET /admin/links/slips: the printed link slips of an agency's contacts (qr/slips.c), for staff
 * without e-mail (who=noemail, the default) or for everyone with a link (who=all). The contacts
 * are listed and the download written to audit_log in one statement (slips_sql.c); their tokens
 * are derived and the PDF drawn on the CPU pool. Whoever holds the PDF holds every link in it, so
 * the contacts page says so next to the download (slips_view.c). */
#include "admin_handlers.h"
#include "admin_session.h"
#include "admin_setup.h"
#include "slips_sql.h"
#include "db/db_row.h"
#include "log.h"
#include "secret.h"
#include "server.h"
#include "slips.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Everything the CPU job reads, copied, and what it makes. */
struct slips_job {
    struct secret secret; /* copy: the job never reaches into the server */
    char *base;           /* public base URL */
    char *agency, *closes_on, *instrument;
    int fiscal_year;
    size_t n;
    long long *ids;   /* contact ids */
    int *generations; /* their link numbers */
    char **names, **units;
    struct strbuf pdf;
    int rc;        /* slips_pdf's */
    char err[256]; /* its message */
};

static void slips_job_free(void *data)
{
    struct slips_job *j = data;
    for (size_t i = 0; i < j->n; i++) {
        free(j->names[i]);
        free(j->units[i]);
    }
    free(j->names);
    free(j->units);
    free(j->ids);
    free(j->generations);
    sodium_memzero(&j->secret, sizeof j->secret);
    free(j->base);
    free(j->agency);
    free(j->closes_on);
    free(j->instrument);
    strbuf_free(&j->pdf);
    free(j);
}

static void slips_work(void *data)
{
    struct slips_job *j = data;
    struct slip *slips = xcalloc(j->n, sizeof *slips);
    char **urls = xcalloc(j->n, sizeof *urls);
    for (size_t i = 0; i < j->n; i++) {
        char tok[PERSONAL_TOKEN_CHARS + 1];
        secret_contact_token(&j->secret, j->ids[i], j->generations[i], tok);
        urls[i] = xasprintf("%s/t/%s", j->base, tok);
        sodium_memzero(tok, sizeof tok);
        slips[i] = (struct slip){j->names[i], j->units[i], urls[i]};
    }
    struct slip_sheet sheet = {j->agency, j->fiscal_year, j->instrument, j->closes_on};
    j->rc = slips_pdf(&sheet, slips, j->n, &j->pdf, j->err, sizeof j->err);
    for (size_t i = 0; i < j->n; i++) {
        sodium_memzero(urls[i], strlen(urls[i]));
        free(urls[i]);
    }
    free(urls);
    free(slips);
}

enum slips_state {
    SLIPS_RESOLVED = SETUP_RESOLVED, /* the agency and year are known */
    SLIPS_LISTED,                    /* sql_slips_list answered (and the download logged) */
    SLIPS_DRAWN,                     /* the PDF was drawn on the CPU pool */
};

/* The page's own state: whom the slips are for. */
struct slips_page {
    bool all; /* who=all: everyone with a link; else only those without an e-mail address */
};

static void slips_start(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct slips_page *pg = arena_alloc(&req->arena, sizeof *pg);
    s->page = pg;
    const char *who = setup_param(req, s, "who");
    if (who && strcmp(who, "all") != 0 && strcmp(who, "noemail") != 0) {
        setup_fail(req, s, 400, "who= ต้องเป็น noemail (เฉพาะผู้ที่ไม่มีอีเมล) หรือ all (ทุกคน)");
        return;
    }
    pg->all = who && strcmp(who, "all") == 0;
    const char *p[SLIPS_LIST_NPARAMS];
    p[SLIPS_LIST_P_AGENCY] = s->agency_id;
    p[SLIPS_LIST_P_YEAR] = s->fy;
    p[SLIPS_LIST_P_INSTRUMENT] = SETUP_INSTRUMENTS[s->instrument];
    p[SLIPS_LIST_P_ADMIN] = s->admin;
    p[SLIPS_LIST_P_ALL] = pg->all ? "true" : "false";
    setup_run(req, s, &sql_slips_list, p, SLIPS_LISTED);
}

/* Nothing to print: what to do instead (409). */
static void slips_nothing(struct http_request *req, struct setup *s, const PGresult *res)
{
    const struct slips_page *pg = s->page;
    long total = (long)db_int(res, 0, SLIPS_LIST_TOTAL);
    const char *msg;
    if (total > 0)
        msg = pg->all ? "ยังไม่มีใบแจ้งลิงก์ให้พิมพ์: ยังไม่ได้ออกลิงก์ส่วนบุคคลให้รายชื่อใดเลย "
                        "กด “ออกลิงก์” ในหน้ารายชื่อก่อน แล้วจึงพิมพ์ใบแจ้งลิงก์"
                      : "ยังไม่มีใบแจ้งลิงก์ให้พิมพ์: ผู้ที่ไม่มีอีเมลยังไม่ได้รับลิงก์ส่วนบุคคล "
                        "กด “ออกลิงก์” ในหน้ารายชื่อก่อน แล้วจึงพิมพ์ใบแจ้งลิงก์";
    else
        msg = pg->all ? "ยังไม่มีใบแจ้งลิงก์ให้พิมพ์: ยังไม่มีรายชื่อในรายการนี้ "
                        "นำเข้ารายชื่อในหน้ารายชื่อก่อน"
                      : "ไม่มีใบแจ้งลิงก์ให้พิมพ์: ไม่มีรายชื่อที่ไม่มีอีเมลในรายการนี้ "
                        "ส่งลิงก์ทางอีเมลหรือจดหมายเวียนได้ "
                        "หรือเลือกพิมพ์ใบแจ้งลิงก์ของทุกคนที่มีลิงก์";
    setup_fail(req, s, 409, msg);
}

static void slips_listed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const PGresult *res = r->res;
    if (PQntuples(res) < 1 || db_null(res, 0, SLIPS_LIST_ID)) {
        slips_nothing(req, s, res);
        return;
    }
    size_t n = (size_t)PQntuples(res);
    struct slips_job *j = xcalloc(1, sizeof *j);
    j->secret = req->worker->srv->secret;
    j->base = xstrdup(admin_public_base(req));
    j->agency = xstrdup(s->name ? s->name : "");
    j->closes_on = xstrdup(s->closes_on ? s->closes_on : "");
    j->instrument = xstrdup(SETUP_INSTRUMENTS[s->instrument]);
    j->fiscal_year = atoi(s->fy);
    j->n = n;
    j->ids = xcalloc(n, sizeof *j->ids);
    j->generations = xcalloc(n, sizeof *j->generations);
    j->names = xcalloc(n, sizeof *j->names);
    j->units = xcalloc(n, sizeof *j->units);
    strbuf_init(&j->pdf);
    for (size_t i = 0; i < n; i++) {
        j->ids[i] = db_int(res, (int)i, SLIPS_LIST_ID);
        j->generations[i] = (int)db_int(res, (int)i, SLIPS_LIST_GENERATION);
        j->names[i] = xstrdup(db_text(res, (int)i, SLIPS_LIST_NAME));
        j->units[i] = xstrdup(db_text(res, (int)i, SLIPS_LIST_UNIT));
    }
    setup_job(req, s, j, slips_work, slips_job_free, SLIPS_DRAWN);
}

static void slips_drawn(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const struct slips_job *j = s->job;
    const struct slips_page *pg = s->page;
    const char *in = SETUP_INSTRUMENTS[s->instrument];
    if (j->rc != 0) {
        char q[300];
        log_quote(q, sizeof q, j->err);
        log_error("event=links_slips_failed w=%d agency=%s error=%s", req->worker->id, s->agency_id,
                  q);
        setup_fail(req, s, 500, "สร้างไฟล์ใบแจ้งลิงก์ไม่สำเร็จ กรุณาแจ้งผู้ดูแลระบบ");
        return;
    }
    log_info("event=links_slips w=%d admin=%d agency=%s fy=%s instrument=%s who=%s n=%zu",
             req->worker->id, s->u->id, s->agency_id, s->fy, in, pg->all ? "all" : "noemail", j->n);
    http_add_header(req, "Content-Disposition",
                    arena_sprintf(&req->arena, "attachment; filename=\"ita-%s-%s-%s-slips.pdf\"",
                                  s->code, s->fy, in));
    http_add_header(req, "Cache-Control", "no-store");
    http_respond(req, 200, "application/pdf", j->pdf.data, j->pdf.len);
}

void admin_links_slips(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [SLIPS_RESOLVED] = slips_start, [SLIPS_LISTED] = slips_listed, [SLIPS_DRAWN] = slips_drawn};
    setup_resolve(req, u, true, SETUP_STEPS(steps));
}
