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
#include "agency_kind.h"
#include "agency_list.h"
#include "app/list_view.h"
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

/* The list in progress (request arena, req->handler_state). */
struct agency_list {
    const struct admin_user *u;
    struct agency_list_view v;
    struct list_filter filters[3]; /* q, kind, parent: kept in every link */
};

static const char *const SORT_KEYS[] = {"code", "name", "kind", "parent", "created", NULL};

/* The list's type filter names and the type list as a text[] literal for 'other'. */
static const char *kinds_literal(struct http_request *req)
{
    struct strbuf b;
    strbuf_init(&b);
    strbuf_puts(&b, "{");
    for (size_t i = 0; i < ita_agency_kinds_count; i++)
        strbuf_printf(&b, "%s\"%s\"", i ? "," : "", ita_agency_kinds[i].th); /* no " or \ */
    strbuf_puts(&b, "}");
    char *s = arena_strndup(&req->arena, b.data, b.len);
    strbuf_free(&b);
    return s;
}

static void list_done(struct http_request *req, const struct db_result *r)
{
    if (http_db_failed(req, r))
        return;
    struct agency_list *l = req->handler_state;
    const struct admin_user *u = l->u;
    const PGresult *res = r->res;
    int n = PQntuples(res);
    l->v.lv.total = n ? (long)db_int(res, 0, ADMIN_AGENCIES_TOTAL) : 0;
    if (u->api) {
        if (l->v.error) {
            admin_send_json_error(req, 400, l->v.error);
            return;
        }
        json_t *arr = json_array();
        for (int i = 0; i < n; i++) {
            int k = ita_agency_kind_find(db_text(res, i, ADMIN_AGENCIES_KIND));
            json_array_append_new(
                arr, json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s, s:s, s:s}", "id",
                               db_int(res, i, ADMIN_AGENCIES_ID), "code",
                               db_text(res, i, ADMIN_AGENCIES_CODE), "name_th",
                               db_text(res, i, ADMIN_AGENCIES_NAME_TH), "kind",
                               db_text(res, i, ADMIN_AGENCIES_KIND), "kind_key",
                               k >= 0 ? ita_agency_kinds[k].key : NULL, "parent_code",
                               db_text(res, i, ADMIN_AGENCIES_PARENT_CODE), "parent_name",
                               db_text(res, i, ADMIN_AGENCIES_PARENT_NAME), "created_on",
                               db_text(res, i, ADMIN_AGENCIES_CREATED)));
        }
        long pages = list_view_pages(&l->v.lv), page = l->v.lv.page;
        json_t *doc = json_pack("{s:o, s:I, s:I, s:I, s:o}", "agencies", arr, "total",
                                (json_int_t)l->v.lv.total, "page", (json_int_t)page, "pages",
                                (json_int_t)pages, "next_page",
                                page < pages ? json_integer(page + 1) : json_null());
        admin_send_json(req, 200, doc);
        json_decref(doc);
        return;
    }
    char csrf[40];
    admin_csrf_token(req, u, csrf);
    l->v.csrf = csrf;
    struct strbuf p;
    strbuf_init(&p);
    admin_page_begin(&p, req, u, "หน่วยงาน");
    agency_view_list(&p, &l->v, res);
    page_frame_finish(&p);
    admin_send_page(req, l->v.error ? 400 : 200, &p);
}

/* The list's parameters read into l (a refused one: its default, and v.error says why). */
static void read_list_params(struct http_request *req, struct agency_list *l)
{
    struct agency_list_view *v = &l->v;
    const char *why = NULL;
    v->q = list_view_search(&req->arena, admin_query_str(req, "q"));
    const char *kind = admin_query_str(req, "kind");
    v->kind = "";
    if (kind && *kind) {
        int k = ita_agency_kind_find(kind);
        if (k >= 0)
            v->kind = ita_agency_kinds[k].key;
        else if (!strcmp(kind, "none") || !strcmp(kind, "other"))
            v->kind = kind;
        else
            why = "ไม่รู้จักประเภทหน่วยงานที่เลือก กรุณาเลือกจากรายการ";
    }
    /* parent=CODE, or parent=- (none; the form's box sends noparent=1) */
    v->parent = "";
    const char *parent = admin_query_str(req, "parent");
    const char *noparent = admin_query_str(req, "noparent");
    if (noparent && !strcmp(noparent, "1"))
        parent = "-";
    if (parent && *parent) {
        parent = list_view_search(&req->arena, parent);
        if (!strcmp(parent, "-") || ita_agency_code_valid(parent))
            v->parent = parent;
        else if (*parent)
            why = "รหัสหน่วยงานต้นสังกัดไม่ถูกต้อง: ใช้ได้เฉพาะ A-Z a-z 0-9 . _ - (ไม่เกิน 64 ตัว)";
    }
    const char *sort;
    bool desc;
    if (list_view_parse_sort(admin_query_str(req, "sort"), admin_query_str(req, "dir"), SORT_KEYS,
                             &sort, &desc) != 0)
        why = "ไม่รู้จักการเรียงลำดับที่ขอ จึงเรียงตามรหัสหน่วยงาน";
    long page;
    const char *page_s = admin_query_str(req, "page");
    if (l->u->api && page_s && !strcmp(page_s, "0"))
        page_s = "1"; /* itactl and older clients start from page 0 */
    if (list_view_parse_page(page_s, &page) != 0)
        why = "เลขหน้าไม่ถูกต้อง จึงแสดงหน้าแรก";
    if (!l->u->system) { /* an agency administrator's list is the own agency: nothing to filter */
        v->q = v->kind = v->parent = "";
        why = NULL;
    }
    v->error = why;
    l->filters[0] = (struct list_filter){"q", v->q};
    l->filters[1] = (struct list_filter){"kind", v->kind};
    l->filters[2] = (struct list_filter){"parent", v->parent};
    v->lv = (struct list_view){.path = "/admin/agencies",
                               .filters = l->filters,
                               .n_filters = 3,
                               .default_sort = SORT_KEYS[0],
                               .sort = sort,
                               .desc = desc,
                               .page = page,
                               .per_page = AGENCY_PAGE_ROWS};
}

void admin_agencies(struct http_request *req, const struct admin_user *u)
{
    struct agency_list *l = arena_alloc(&req->arena, sizeof *l);
    memset(l, 0, sizeof *l);
    l->u = u;
    l->v.system = u->system;
    read_list_params(req, l);
    struct agency_list_view *v = &l->v;
    char sys[8], agency[16], offset[24], limit[8];
    char *pattern = arena_alloc(&req->arena, 2 * LIST_VIEW_SEARCH_MAX + 3);
    if (!list_view_like_pattern(v->q, pattern, 2 * LIST_VIEW_SEARCH_MAX + 3))
        abort(); /* cut to LIST_VIEW_SEARCH_MAX by list_view_search */
    admin_scope(u, sys, agency);
    snprintf(offset, sizeof offset, "%ld", list_view_offset(&v->lv));
    snprintf(limit, sizeof limit, "%d", AGENCY_PAGE_ROWS);
    int k = v->kind[0] ? ita_agency_kind_find(v->kind) : -1;
    req->handler_state = l;
    const char *p[ADMIN_AGENCIES_NPARAMS];
    p[ADMIN_AGENCIES_P_SYSTEM] = sys;
    p[ADMIN_AGENCIES_P_AGENCY] = agency;
    p[ADMIN_AGENCIES_P_PATTERN] = pattern;
    p[ADMIN_AGENCIES_P_KIND_MODE] = k >= 0 ? "is" : v->kind;
    p[ADMIN_AGENCIES_P_KIND] = k >= 0 ? ita_agency_kinds[k].th : "";
    p[ADMIN_AGENCIES_P_KINDS] = kinds_literal(req);
    p[ADMIN_AGENCIES_P_PARENT] = v->parent;
    p[ADMIN_AGENCIES_P_SORT] = v->lv.sort;
    p[ADMIN_AGENCIES_P_DESC] = v->lv.desc ? "true" : "false";
    p[ADMIN_AGENCIES_P_OFFSET] = offset;
    p[ADMIN_AGENCIES_P_LIMIT] = limit;
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
        a->parent_name = column(req, r->res, ADMIN_AGENCY_PARENT_NAME);
        a->parent_id = column(req, r->res, ADMIN_AGENCY_PARENT_ID);
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
