/* /admin/national: the national view of one fiscal year for system administrators (an agency
 * administrator is refused with 403 like the instrument pages). Every agency of the year with its
 * counted responses against the minimum samples, the days left, its OIT marks and, once stored,
 * its published result; searched, filtered, sorted and paged from the query string alone, so a
 * view can be bookmarked. One statement reads the whole year (national_sql.c: per-agency counts
 * from the tallies); its result is copied to a CPU job that derives the minimums from the year's
 * sample rule, filters, sorts and counts (national_model.c) and, for ?format=csv|json, writes every
 * filtered row. Only figures the progress page already shows a system administrator are shown:
 * responses counted in groups of k, never what waits, never who answered. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "accounts_view.h"
#include "agency_kind.h"
#include "national_model.h"
#include "national_sql.h"
#include "national_view.h"
#include "thai_date.h"
#include "db/db_row.h"
#include "log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum national_step {
    NATIONAL_READ,    /* sql_national_year answered */
    NATIONAL_COUNTED, /* the CPU job filtered and sorted */
};

enum national_format { NF_HTML, NF_CSV, NF_JSON };

/* The CPU job's data (heap; owned by the job from setup_job on). */
struct national_job {
    PGresult *res; /* a copy of the statement's result; the rows' strings point into it */
    struct national_year y;
    struct national_query q;
    enum national_format format;
    bool thai;
    char today[16];
    char kind[320], parent[48]; /* type (Thai name) and parent code asked, "" for any */
    struct national_row *rows;
    size_t n;
    size_t *idx; /* [n] the filtered, sorted rows */
    size_t m;
    struct national_totals t;
    struct strbuf body; /* CSV or JSON */
    bool failed;        /* out of memory */
};

/* The request's parameters (request arena, s->page). */
struct national_req {
    struct national_page page;
    struct national_year y;
    struct national_query q;
    enum national_format format;
    bool thai;
    char like[2 * ACCOUNTS_SEARCH_MAX + 3];
    const char *kind_th;
};

static void job_free(void *data)
{
    struct national_job *j = data;
    if (!j)
        return;
    PQclear(j->res);
    free(j->rows);
    free(j->idx);
    strbuf_free(&j->body);
    free(j);
}

static void job_work(void *data)
{
    struct national_job *j = data;
    int nt = PQntuples(j->res);
    j->rows = calloc((size_t)(nt ? nt : 1), sizeof *j->rows);
    j->idx = calloc((size_t)(nt ? nt : 1), sizeof *j->idx);
    if (!j->rows || !j->idx) {
        j->failed = true;
        return;
    }
    const PGresult *res = j->res;
    for (int i = 0; i < nt; i++) {
        if (db_int(res, i, NATIONAL_O) != 1 || !db_bool(res, i, NATIONAL_HIT))
            continue;
        if ((*j->kind && strcmp(db_text(res, i, NATIONAL_KIND), j->kind)) ||
            (*j->parent && strcmp(db_text(res, i, NATIONAL_PARENT), j->parent)))
            continue;
        struct national_row *r = &j->rows[j->n++];
        r->id = (long)db_int(res, i, NATIONAL_ID);
        r->code = db_text(res, i, NATIONAL_CODE);
        r->name = db_text(res, i, NATIONAL_NAME);
        r->kind = db_text(res, i, NATIONAL_KIND);
        r->parent = db_text(res, i, NATIONAL_PARENT);
        r->set = db_bool(res, i, NATIONAL_SET);
        r->opens = db_text(res, i, NATIONAL_OPENS);
        r->closes = db_text(res, i, NATIONAL_CLOSES);
        r->population[0] =
            db_null(res, i, NATIONAL_STAFF) ? -1 : (long)db_int(res, i, NATIONAL_STAFF);
        r->population[1] =
            db_null(res, i, NATIONAL_OUTSIDE) ? -1 : (long)db_int(res, i, NATIONAL_OUTSIDE);
        r->responses[0] = (long)db_int(res, i, NATIONAL_IIT);
        r->responses[1] = (long)db_int(res, i, NATIONAL_EIT);
        r->oit = (long)db_int(res, i, NATIONAL_OIT);
        r->total = db_text(res, i, NATIONAL_TOTAL);
        r->published =
            !db_null(res, i, NATIONAL_TOTAL) && national_parse_total(r->total, &r->total_c);
        r->rating = db_text(res, i, NATIONAL_RATING);
    }
    national_derive(j->rows, j->n, &j->y, j->today);
    j->m = national_select(j->rows, j->n, &j->q, &j->y, j->idx, &j->t);
    strbuf_init(&j->body);
    if (j->format == NF_CSV)
        national_csv(&j->body, j->rows, j->idx, j->m, j->thai);
    else if (j->format == NF_JSON)
        national_json(&j->body, &j->y, j->rows, j->idx, j->m, &j->t);
}

/* The page with its message (status), or the message as JSON for programs. */
static void answer_page(struct http_request *req, struct setup *s, int status)
{
    struct national_req *a = s->page;
    if (s->u->api && a->page.error) {
        setup_fail(req, s, status, a->page.error);
        return;
    }
    struct strbuf p;
    setup_page_begin(&p, req, s,
                     arena_sprintf(&req->arena, "ภาพรวมทั้งประเทศ ปีงบประมาณ %s", a->page.fy));
    national_view(&p, s, &a->page);
    setup_send_page(req, status, &p);
}

static void counted(struct http_request *req, struct setup *s, const struct db_result *r)
{
    (void)r;
    struct national_req *a = s->page;
    struct national_job *j = s->job;
    if (j->failed) {
        setup_fail(req, s, 503, "หน่วยความจำของระบบไม่พอในขณะนี้ กรุณาลองใหม่ภายหลัง");
        return;
    }
    if (a->format != NF_HTML) {
        bool csv = a->format == NF_CSV;
        char disp[96];
        snprintf(disp, sizeof disp, "attachment; filename=\"ita-national-%d.%s\"", j->y.fy,
                 csv ? "csv" : "json");
        http_add_header(req, "Content-Disposition", disp);
        http_respond(req, 200, csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
                     j->body.data ? j->body.data : "", j->body.len);
        return;
    }
    struct national_page *m = &a->page;
    m->have_year = true;
    m->rows = j->rows;
    m->idx = j->idx;
    m->n = j->m;
    m->t = &j->t;
    long pages = j->m ? (long)((j->m + NATIONAL_PAGE_SIZE - 1) / NATIONAL_PAGE_SIZE) : 1;
    if (a->q.page > pages)
        m->error = arena_sprintf(&req->arena,
                                 "ไม่มีหน้าที่ %ld ตามเงื่อนไขนี้มีทั้งหมด %ld หน้า "
                                 "จึงแสดงหน้าสุดท้ายแทน",
                                 a->q.page, pages);
    answer_page(req, s, 200);
}

/* The year's row: its sample rule, OIT items and rating levels into y (request arena); false when
 * the year has no instrument version. */
static bool read_year(struct http_request *req, const PGresult *res, struct national_year *y)
{
    if (PQntuples(res) < 1 || db_int(res, 0, NATIONAL_O) != 0)
        return false;
    char err[256];
    if (ita_sample_rules_parse_text(db_text(res, 0, NATIONAL_RULE), y->rules, err, sizeof err) !=
        0) {
        log_warn("event=national_sample_rule fy=%d error=\"%s\"", y->fy, err);
        y->rules[0] = ita_sample_rule_default(0);
        y->rules[1] = ita_sample_rule_default(1);
    }
    y->oit_items = (long)db_int(res, 0, NATIONAL_OIT_ITEMS);
    json_t *levels = json_loads(db_text(res, 0, NATIONAL_LEVELS), 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(levels, i, v)
    {
        if (y->n_levels < NATIONAL_MAX_LEVELS && json_is_string(v))
            y->levels[y->n_levels++] =
                arena_strndup(&req->arena, json_string_value(v), json_string_length(v));
    }
    json_decref(levels);
    return true;
}

static void read_done(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct national_req *a = s->page;
    struct national_page *m = &a->page;
    if (!read_year(req, r->res, &a->y)) {
        m->error = arena_sprintf(&req->arena, "ยังไม่มีแบบวัดของปีงบประมาณ %s", m->fy);
        answer_page(req, s, 404);
        return;
    }
    m->y = &a->y;
    if (*m->rating) {
        bool known = false;
        for (size_t l = 0; l < a->y.n_levels; l++)
            known |= !strcmp(m->rating, a->y.levels[l]);
        if (!known) {
            m->error =
                arena_sprintf(&req->arena, "ระดับผล \"%s\" ไม่มีในปีงบประมาณ %s", m->rating, m->fy);
            answer_page(req, s, 400);
            return;
        }
    }
    struct national_job *j = calloc(1, sizeof *j);
    PGresult *copy = j ? PQcopyResult(r->res, PG_COPYRES_ATTRS | PG_COPYRES_TUPLES) : NULL;
    if (!copy) {
        free(j);
        setup_fail(req, s, 503, "หน่วยความจำของระบบไม่พอในขณะนี้ กรุณาลองใหม่ภายหลัง");
        return;
    }
    j->res = copy;
    j->y = a->y;
    j->q = a->q;
    j->format = a->format;
    j->thai = a->thai;
    snprintf(j->kind, sizeof j->kind, "%s", a->kind_th);
    snprintf(j->parent, sizeof j->parent, "%s", a->page.parent);
    ita_today_iso(j->today, sizeof j->today);
    setup_job(req, s, j, job_work, job_free, NATIONAL_COUNTED);
}

/* Validates the parameters into a; the first problem as a Thai message, or NULL. */
static const char *read_params(struct http_request *req, struct setup *s, struct national_req *a)
{
    struct national_page *m = &a->page;
    m->fy = admin_query_typed(req, "fy");
    m->q = admin_query_typed(req, "q");
    m->kind = admin_query_typed(req, "kind");
    m->parent = admin_query_typed(req, "parent");
    m->state = admin_query_typed(req, "state");
    m->rating = admin_query_typed(req, "rating");
    m->sort = admin_query_typed(req, "sort");
    m->dir = admin_query_typed(req, "dir");
    m->page_s = admin_query_typed(req, "page");
    const char *format = admin_query_typed(req, "format"), *keys = admin_query_typed(req, "keys");
    m->query = &a->q;
    if (!*m->fy)
        m->fy = arena_sprintf(&req->arena, "%d", ita_fiscal_year_now());
    snprintf(s->fy, sizeof s->fy, "%.7s", m->fy);
    a->q.page = 1;
    a->format = s->u->api ? NF_JSON : NF_HTML;
    if (!strcmp(format, "csv"))
        a->format = NF_CSV;
    else if (!strcmp(format, "json"))
        a->format = NF_JSON;
    else if (!strcmp(format, "html") && !s->u->api)
        a->format = NF_HTML;
    else if (*format)
        return "รูปแบบไฟล์ต้องเป็น csv หรือ json";
    /* CSV column names: Thai for people, the English keys with ?keys=en (itactl asks for them) */
    a->thai = *keys ? !strcmp(keys, "th") : !s->u->api;
    if (*keys && strcmp(keys, "th") && strcmp(keys, "en"))
        return "ชื่อคอลัมน์ (keys) ต้องเป็น th หรือ en";
    if (!setup_digits(m->fy, 4) || atoi(m->fy) < 2500 || atoi(m->fy) > 2700)
        return arena_sprintf(&req->arena, "ปีงบประมาณ \"%s\" ไม่ถูกต้อง ต้องเป็นปี พ.ศ. 4 หลัก เช่น 2570",
                             m->fy);
    a->y.fy = atoi(m->fy);
    if (!accounts_like_pattern(m->q, a->like, sizeof a->like))
        return "คำค้นยาวเกินไป (ไม่เกิน 100 ตัวอักษร)";
    a->kind_th = "";
    if (*m->kind) {
        int k = ita_agency_kind_find(m->kind);
        if (k < 0)
            return arena_sprintf(&req->arena, "ไม่รู้จักประเภทหน่วยงาน \"%s\"", m->kind);
        a->kind_th = ita_agency_kinds[k].th;
        m->kind = ita_agency_kinds[k].key;
    }
    if (strlen(m->parent) > 40)
        return "รหัสหน่วยงานต้นสังกัดยาวเกินไป";
    int st = *m->state ? national_choice_find(NATIONAL_STATES, NS_COUNT, m->state) : NS_ALL;
    if (st < 0)
        return arena_sprintf(&req->arena, "ไม่รู้จักสถานะ \"%s\"", m->state);
    a->q.state = (enum national_state)st;
    if (strlen(m->rating) > 60)
        return "ระดับผลยาวเกินไป";
    a->q.rating = m->rating;
    int col = *m->sort ? national_choice_find(NATIONAL_COLS, NC_COUNT, m->sort) : NC_CODE;
    if (col < 0)
        return arena_sprintf(&req->arena, "เรียงตาม \"%s\" ไม่ได้ เลือกได้จากหัวคอลัมน์ของตาราง", m->sort);
    a->q.sort = (enum national_col)col;
    if (*m->dir && strcmp(m->dir, "asc") && strcmp(m->dir, "desc"))
        return "ทิศทางการเรียงต้องเป็น asc (น้อยไปมาก) หรือ desc (มากไปน้อย)";
    a->q.desc = !strcmp(m->dir, "desc");
    if (*m->page_s) {
        if (!setup_digits(m->page_s, 6) || atol(m->page_s) < 1)
            return arena_sprintf(&req->arena, "หน้า \"%s\" ไม่ถูกต้อง ต้องเป็นเลข 1 ขึ้นไป", m->page_s);
        a->q.page = atol(m->page_s);
    }
    return NULL;
}

void admin_national(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[NATIONAL_READ] = read_done, [NATIONAL_COUNTED] = counted};
    struct setup *s = setup_new(req, u, SETUP_STEPS(steps));
    if (!u->system) {
        setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่ดูภาพรวมทั้งประเทศได้");
        return;
    }
    struct national_req *a = arena_alloc(&req->arena, sizeof *a);
    memset(a, 0, sizeof *a);
    s->page = a;
    const char *msg = read_params(req, s, a);
    if (msg) {
        a->page.error = msg;
        a->format = NF_HTML;
        answer_page(req, s, 400);
        return;
    }
    const char *p[NATIONAL_NPARAMS];
    p[NATIONAL_P_YEAR] = a->page.fy;
    p[NATIONAL_P_LIKE] = a->like;
    setup_run(req, s, &sql_national_year, p, NATIONAL_READ);
}
