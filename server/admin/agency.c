/* Administrator pages for agencies and their public links: the list of agencies the signed-in
 * administrator may see (all for a system administrator, one's own for an agency administrator),
 * an agency's links with their QR codes, and the code or the printable poster of one link. Every
 * query carries the administrator's scope, so a guessed id of another agency answers 404 exactly
 * like an id that does not exist. Posters are drawn on the CPU pool, not on the event loop. The
 * HTML is in agency_view.c. */
#include "admin_session.h"
#include "admin_handlers.h"
#include "admin_sql.h"
#include "agency_sql.h"
#include "agency_view.h"
#include "app/req_job.h"
#include "db/db_row.h"
#include "net/http.h"
#include "log.h"
#include "app/page_frame.h"
#include "qr.h"
#include "server.h"
#include "thai_date.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An error in the form the client asked for: JSON for API tokens, plain text otherwise. */
static void answer_error(struct http_request *req, int status, const char *message)
{
    if (admin_is_api(req))
        admin_send_json_error(req, status, message);
    else
        http_respond_error(req, status, message);
}

static void not_found(struct http_request *req)
{
    answer_error(req, 404, "no such agency or link");
}

/* True when the lookup returned the one row the page needs; otherwise answers 503 or 404. */
static bool found_one(struct http_request *req, const struct db_result *r)
{
    if (!r->ok) {
        http_respond_unavailable(req, "database unavailable");
        return false;
    }
    if (PQntuples(r->res) != 1) {
        not_found(req);
        return false;
    }
    return true;
}

/* ---- the list ---- */

static void list_done(struct http_request *req, const struct db_result *r)
{
    if (http_db_failed(req, r))
        return;
    const struct admin_user *u = req->handler_state;
    long page = admin_query_int(req, "page");
    if (page < 0)
        page = 0;
    const PGresult *res = r->res;
    int n = PQntuples(res);
    if (u->api) {
        json_t *arr = json_array();
        for (int i = 0; i < n && i < AGENCY_PAGE_ROWS; i++)
            json_array_append_new(
                arr, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", db_int(res, i, ADMIN_AGENCIES_ID),
                               "code", db_text(res, i, ADMIN_AGENCIES_CODE), "name_th",
                               db_text(res, i, ADMIN_AGENCIES_NAME_TH), "kind",
                               db_text(res, i, ADMIN_AGENCIES_KIND), "parent_code",
                               db_text(res, i, ADMIN_AGENCIES_PARENT_CODE)));
        json_t *doc = json_pack("{s:o, s:o}", "agencies", arr, "next_page",
                                n > AGENCY_PAGE_ROWS ? json_integer(page + 1) : json_null());
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    char csrf[40];
    admin_csrf_token(req, u, csrf);
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, u, "หน่วยงาน");
    agency_view_list(&p, u->system, csrf, res, page);
    page_frame_finish(&p);
    admin_send_page(req, 200, &p);
}

void admin_agencies(struct http_request *req, const struct admin_user *u)
{
    long page = admin_query_int(req, "page");
    char sys[8], agency[16], offset[24];
    admin_scope(u, sys, agency);
    snprintf(offset, sizeof offset, "%ld", (page < 0 ? 0 : page) * AGENCY_PAGE_ROWS);
    req->handler_state = (void *)u;
    const char *p[ADMIN_AGENCIES_NPARAMS];
    p[ADMIN_AGENCIES_P_SYSTEM] = sys;
    p[ADMIN_AGENCIES_P_AGENCY] = agency;
    p[ADMIN_AGENCIES_P_OFFSET] = offset;
    http_db(req, &sql_admin_agencies, p, NULL, list_done);
}

/* ---- one agency ---- */

/* The agency page in progress (request arena, req->handler_state). */
struct agency_page {
    enum { AG_AGENCY, AG_CHECKLIST, AG_LINKS } state;
    const struct admin_user *u;
    char id[24];
    struct agency_info info;      /* strings in the request arena */
    struct agency_checklist list; /* the year's checklist (list.fy 0: none) */
    char fy[8];                   /* list.fy as a parameter */
};

/* The year the page shows: the one asked for (fy=) when the agency has it, else the current
 * fiscal year when it is loaded, else the newest loaded one; 0 when none is loaded. */
static int chosen_year(struct http_request *req, const char *years)
{
    long asked = admin_query_int(req, "fy");
    int current = ita_fiscal_year_now(), newest = 0;
    bool has_current = false, has_asked = false;
    for (const char *y = years; y && *y;) {
        int v = atoi(y);
        if (!newest)
            newest = v;
        has_current = has_current || v == current;
        has_asked = has_asked || v == asked;
        size_t l = strcspn(y, ",");
        y += l + (y[l] == ',');
    }
    return has_asked ? (int)asked : has_current ? current : newest;
}

static const char *column(struct http_request *req, const PGresult *res, int col)
{
    return arena_strndup(&req->arena, db_text(res, 0, col), (size_t)db_len(res, 0, col));
}

static void agency_step(struct http_request *req, const struct db_result *r);

static void links_step(struct http_request *req, struct agency_page *ag)
{
    ag->state = AG_LINKS;
    const char *p[ADMIN_AGENCY_LINKS_NPARAMS];
    p[ADMIN_AGENCY_LINKS_P_AGENCY] = ag->id;
    http_db(req, &sql_admin_agency_links, p, NULL, agency_step);
}

/* The checklist row into ag->list (strings in the request arena). */
static void read_checklist(struct http_request *req, struct agency_page *ag, const PGresult *res)
{
    struct agency_checklist *c = &ag->list;
    c->has_version = db_bool(res, 0, AGENCY_CHECKLIST_HAS_VERSION);
    c->year_set = db_bool(res, 0, AGENCY_CHECKLIST_YEAR_SET);
    c->opens_on = column(req, res, AGENCY_CHECKLIST_OPENS_ON);
    c->last_day = column(req, res, AGENCY_CHECKLIST_LAST_DAY);
    c->window = column(req, res, AGENCY_CHECKLIST_WINDOW);
    c->days_to_close = (long)db_int(res, 0, AGENCY_CHECKLIST_DAYS_TO_CLOSE);
    c->days_to_open = (long)db_int(res, 0, AGENCY_CHECKLIST_DAYS_TO_OPEN);
    c->staff_known = db_bool(res, 0, AGENCY_CHECKLIST_STAFF_KNOWN);
    c->iit_contacts = (long)db_int(res, 0, AGENCY_CHECKLIST_IIT_CONTACTS);
    c->iit_issued = (long)db_int(res, 0, AGENCY_CHECKLIST_IIT_ISSUED);
    c->eit_contacts = (long)db_int(res, 0, AGENCY_CHECKLIST_EIT_CONTACTS);
    c->public_links = (long)db_int(res, 0, AGENCY_CHECKLIST_PUBLIC_LINKS);
    c->oit_marked = (long)db_int(res, 0, AGENCY_CHECKLIST_OIT_MARKED);
    c->oit_items = (long)db_int(res, 0, AGENCY_CHECKLIST_OIT_ITEMS);
    c->measures = (long)db_int(res, 0, AGENCY_CHECKLIST_MEASURES);
}

static void agency_step(struct http_request *req, const struct db_result *r)
{
    struct agency_page *ag = req->handler_state;
    switch (ag->state) {
    case AG_AGENCY: {
        if (!found_one(req, r))
            return;
        struct agency_info *a = &ag->info;
        a->id = ag->id;
        a->code = column(req, r->res, ADMIN_AGENCY_CODE);
        a->name = column(req, r->res, ADMIN_AGENCY_NAME_TH);
        a->kind = column(req, r->res, ADMIN_AGENCY_KIND);
        a->parent_code = column(req, r->res, ADMIN_AGENCY_PARENT_CODE);
        a->years = column(req, r->res, ADMIN_AGENCY_YEARS);
        ag->list.fy = chosen_year(req, a->years);
        if (!ag->list.fy) {
            links_step(req, ag);
            return;
        }
        snprintf(ag->fy, sizeof ag->fy, "%d", ag->list.fy);
        ag->state = AG_CHECKLIST;
        const char *p[AGENCY_CHECKLIST_NPARAMS];
        p[AGENCY_CHECKLIST_P_AGENCY] = ag->id;
        p[AGENCY_CHECKLIST_P_YEAR] = ag->fy;
        http_db(req, &sql_agency_checklist, p, NULL, agency_step);
        return;
    }
    case AG_CHECKLIST:
        if (http_db_failed(req, r))
            return;
        if (PQntuples(r->res) == 1)
            read_checklist(req, ag, r->res);
        else
            ag->list.fy = 0;
        links_step(req, ag);
        return;
    case AG_LINKS: {
        if (http_db_failed(req, r))
            return;
        char csrf[40];
        admin_csrf_token(req, ag->u, csrf);
        const char *base = admin_public_base(req);
        struct strbuf p;
        strbuf_init(&p);
        admin_page_begin(&p, req, ag->u, ag->info.name);
        agency_view_page(&p, &ag->info, ag->u->system, csrf, base, r->res, &ag->list);
        page_frame_finish(&p);
        admin_send_page(req, 200, &p);
        return;
    }
    }
    abort();
}

void admin_agency(struct http_request *req, const struct admin_user *u)
{
    long id = admin_query_int(req, "id");
    if (id <= 0) {
        not_found(req);
        return;
    }
    struct agency_page *ag = arena_alloc(&req->arena, sizeof *ag);
    *ag = (struct agency_page){.state = AG_AGENCY, .u = u};
    snprintf(ag->id, sizeof ag->id, "%ld", id);
    req->handler_state = ag;
    char sys[8], agency[16];
    admin_scope(u, sys, agency);
    const char *p[ADMIN_AGENCY_NPARAMS];
    p[ADMIN_AGENCY_P_ID] = ag->id;
    p[ADMIN_AGENCY_P_SYSTEM] = sys;
    p[ADMIN_AGENCY_P_AGENCY] = agency;
    http_db(req, &sql_admin_agency, p, NULL, agency_step);
}

/* ---- codes and posters ---- */

/* Drawing a poster on the CPU pool (app/req_job.h): owns copies of what it needs. */
struct poster_job {
    struct poster p; /* strings below are owned by the job */
    char agency[512];
    char url[512];
    enum poster_format fmt;
    unsigned char *out; /* result, malloc'd */
    size_t len;
    char err[256];
    int rc;
};

static void poster_run(void *data)
{
    struct poster_job *j = data;
    j->rc = poster_render(&j->p, j->fmt, 300, &j->out, &j->len, j->err, sizeof j->err);
}

static void poster_drawn(struct http_request *req, void *data)
{
    struct poster_job *j = data;
    req->handler_state = NULL;
    if (j->rc != 0) {
        log_error("event=poster_failed w=%d error=\"%s\"", req->worker->id, j->err);
        http_respond_error(req, 500, "the poster could not be drawn");
        return;
    }
    /* year and instrument in the name: a clerk saves the IIT and EIT posters side by side */
    http_add_header(req, "Content-Disposition",
                    arena_sprintf(&req->arena, "attachment; filename=\"ita-poster-%d-%s.%s\"",
                                  j->p.fiscal_year, j->p.instrument,
                                  j->fmt == POSTER_PDF ? "pdf" : "png"));
    http_respond(req, 200, j->fmt == POSTER_PDF ? "application/pdf" : "image/png", j->out, j->len);
}

static void poster_free(void *data)
{
    struct poster_job *j = data;
    free(j->out);
    free(j);
}

/* The code itself (PNG, SVG) or the snippet for a web site, answered at once. */
static void answer_code(struct http_request *req, const char *format, const struct poster *p)
{
    char err[256];
    if (!strcmp(format, "html")) {
        char *html = poster_html_snippet(p, err, sizeof err);
        if (!html) {
            http_respond_error(req, 500, err);
            return;
        }
        http_respond(req, 200, "text/plain; charset=utf-8", html, strlen(html));
        free(html);
        return;
    }
    struct qr_code q;
    if (qr_make(p->url, &q, err, sizeof err) != 0) {
        http_respond_error(req, 500, err);
        return;
    }
    if (!strcmp(format, "svg")) {
        char *svg = qr_svg(&q, 10);
        http_respond(req, 200, "image/svg+xml", svg, strlen(svg));
        free(svg);
    } else {
        unsigned char *png = NULL;
        size_t len = 0;
        if (qr_png_mem(&q, 10, &png, &len, err, sizeof err) != 0)
            http_respond_error(req, 500, err);
        else
            http_respond(req, 200, "image/png", png, len);
        free(png);
    }
    qr_free(&q);
}

static void posters_busy(struct http_request *req)
{
    http_respond_unavailable(req, "too many posters being drawn");
}

static void link_done(struct http_request *req, const struct db_result *r)
{
    if (!found_one(req, r))
        return;
    const PGresult *res = r->res;
    const char *format = admin_query_str(req, "format");
    struct poster p = {
        .agency_th = db_text(res, 0, ADMIN_LINK_AGENCY_NAME_TH),
        .fiscal_year = (int)db_int(res, 0, ADMIN_LINK_FISCAL_YEAR),
        .instrument = db_text(res, 0, ADMIN_LINK_INSTRUMENT),
        .url = arena_sprintf(&req->arena, "%s/s/%s", admin_public_base(req),
                             db_text(res, 0, ADMIN_LINK_SLUG)),
    };
    if (!strcmp(format, "png") || !strcmp(format, "svg") || !strcmp(format, "html")) {
        answer_code(req, format, &p);
        return;
    }
    struct poster_job *j = xcalloc(1, sizeof *j);
    snprintf(j->agency, sizeof j->agency, "%s", p.agency_th);
    snprintf(j->url, sizeof j->url, "%s", p.url);
    j->p = p;
    j->p.agency_th = j->agency;
    j->p.url = j->url;
    j->p.instrument = strcmp(p.instrument, "IIT") == 0 ? "IIT" : "EIT";
    j->fmt = !strcmp(format, "pdf") ? POSTER_PDF : POSTER_PNG;
    req_job_start_or(req, j, poster_run, poster_drawn, poster_free, posters_busy);
}

void admin_qr(struct http_request *req, const struct admin_user *u)
{
    long link = admin_query_int(req, "link");
    const char *format = admin_query_str(req, "format");
    static const char *const formats[] = {"png", "svg", "pdf", "poster-png", "html"};
    bool known = false;
    for (size_t i = 0; format && i < sizeof formats / sizeof formats[0]; i++)
        known |= strcmp(format, formats[i]) == 0;
    if (link <= 0 || !known) {
        answer_error(req, 400, "use ?link=ID&format=png|svg|pdf|poster-png|html");
        return;
    }
    char id[24], sys[8], agency[16];
    snprintf(id, sizeof id, "%ld", link);
    admin_scope(u, sys, agency);
    const char *p[ADMIN_LINK_NPARAMS];
    p[ADMIN_LINK_P_ID] = id;
    p[ADMIN_LINK_P_SYSTEM] = sys;
    p[ADMIN_LINK_P_AGENCY] = agency;
    http_db(req, &sql_admin_link, p, NULL, link_done);
}
