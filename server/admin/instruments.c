/* The instrument versions of every fiscal year in the web admin, for system administrators only
 * (agency administrators get 403): the list with the upload form (/admin/instruments), an upload
 * loaded and validated on the CPU pool and kept as a draft (/admin/instruments/upload: a file
 * that does not load shows the list again with every line of the loader's message, nothing
 * stored), the draft's review (/admin/instruments/draft: counts, unconfirmed items, what
 * publishing would do under the replacement rule given the answers stored now), publishing it
 * after a confirmation step (GET, then POST /admin/instruments/publish: ita_publish_instrument,
 * one transaction that checks again what the decision was made from) and discarding it
 * (/admin/instruments/discard). Uploads, publications and discards go to audit_log. The preview
 * is in instrument_preview.c, the HTML in instruments_view.c; every step comes back to the
 * table `steps` through setup_dispatch. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "instrument_review.h"
#include "instruments_page.h"
#include "instruments_sql.h"
#include "instruments_view.h"
#include "upload.h"
#include "db/db_row.h"
#include "digest.h"
#include "log.h"
#include "server.h"
#include "text_encoding.h"
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum instruments_state {
    ST_VERSIONS,  /* sql_instrument_versions answered */
    ST_DRAFTS,    /* sql_instrument_drafts answered */
    ST_PARSED,    /* an upload was loaded on the CPU pool */
    ST_ADDED,     /* sql_instrument_draft_add answered */
    ST_DRAFT,     /* sql_instrument_draft_get answered */
    ST_REVIEWED,  /* the draft was reviewed on the CPU pool */
    ST_PUBLISHED, /* sql_instrument_publish answered */
    ST_DISCARDED, /* sql_instrument_discard answered */
};

/* What a draft request is for. */
enum draft_mode {
    DRAFT_SHOW,    /* the draft page */
    DRAFT_CONFIRM, /* the confirmation before publishing */
    DRAFT_PUBLISH, /* publish it */
};

#define PUBLISH_ATTEMPTS 3 /* decisions made before giving up when things keep changing */

static const char NO_DRAFT[] = "ไม่พบฉบับร่างนี้ (อาจเผยแพร่หรือลบไปแล้ว)";

/* The request's own state (request arena, in setup's page). */
struct ireq {
    int status;                   /* the list page's status (422 after a failed upload) */
    struct instruments_list list; /* the list page's model */
    struct version_row *versions;
    struct draft_row *drafts;
    enum draft_mode mode;
    char id[16];          /* the draft as a parameter */
    int attempts;         /* publishing: decisions made so far */
    struct draft_page dp; /* the draft page's model */
    int year;             /* an upload's fiscal year */
};

static void versions_read(struct http_request *req, struct setup *s, const struct db_result *r);
static void drafts_read(struct http_request *req, struct setup *s, const struct db_result *r);
static void upload_parsed(struct http_request *req, struct setup *s, const struct db_result *r);
static void upload_added(struct http_request *req, struct setup *s, const struct db_result *r);
static void draft_got(struct http_request *req, struct setup *s, const struct db_result *r);
static void draft_reviewed(struct http_request *req, struct setup *s, const struct db_result *r);
static void published(struct http_request *req, struct setup *s, const struct db_result *r);
static void discarded(struct http_request *req, struct setup *s, const struct db_result *r);

static const setup_step steps[] = {
    [ST_VERSIONS] = versions_read, [ST_DRAFTS] = drafts_read,  [ST_PARSED] = upload_parsed,
    [ST_ADDED] = upload_added,     [ST_DRAFT] = draft_got,     [ST_REVIEWED] = draft_reviewed,
    [ST_PUBLISHED] = published,    [ST_DISCARDED] = discarded,
};

struct setup *instruments_begin(struct http_request *req, const struct admin_user *u,
                                const setup_step *st, size_t n)
{
    struct setup *s = setup_new(req, u, st, n);
    if (!u->system) {
        setup_fail(req, s, 403, "เฉพาะผู้ดูแลระบบเท่านั้นที่จัดการแบบวัดได้");
        return NULL;
    }
    return s;
}

static struct setup *begin(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = instruments_begin(req, u, SETUP_STEPS(steps));
    if (!s)
        return NULL;
    struct ireq *q = arena_alloc(&req->arena, sizeof *q);
    memset(q, 0, sizeof *q);
    s->page = q;
    return s;
}

static const char *copy_col(struct http_request *req, const PGresult *res, int row, int col)
{
    return arena_strndup(&req->arena, db_text(res, row, col), (size_t)db_len(res, row, col));
}

/* Answers doc for API tokens, else the page titled title with status. */
static void answer(struct http_request *req, const struct setup *s, int status, json_t *doc,
                   const char *title, setup_view view, const void *model)
{
    if (s->u->api) {
        setup_send_json(req, status, doc);
        return;
    }
    json_decref(doc);
    struct strbuf p;
    setup_page_begin(&p, req, s, title);
    view(&p, s, model);
    setup_send_page(req, status, &p);
}

static json_t *answered_json(const bool has[ITA_N_INSTRUMENTS])
{
    json_t *a = json_array();
    for (int k = 0; k < ITA_N_INSTRUMENTS; k++)
        if (has[k])
            json_array_append_new(a, json_string(ita_instrument_code((enum ita_instrument)k)));
    return a;
}

/* ---- /admin/instruments ---- */

static void list_start(struct http_request *req, struct setup *s, int status)
{
    struct ireq *q = s->page;
    q->status = status;
    setup_run(req, s, &sql_instrument_versions, NULL, ST_VERSIONS);
}

static void versions_read(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct ireq *q = s->page;
    const PGresult *res = r->res;
    int n = PQntuples(res);
    q->versions = arena_alloc(&req->arena, sizeof *q->versions * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++)
        q->versions[i] = (struct version_row){
            .fiscal_year = (int)db_int(res, i, INSTRUMENT_VERSIONS_FISCAL_YEAR),
            .title = copy_col(req, res, i, INSTRUMENT_VERSIONS_TITLE),
            .revision = (int)db_int(res, i, INSTRUMENT_VERSIONS_REVISION),
            .loaded_on = copy_col(req, res, i, INSTRUMENT_VERSIONS_LOADED_ON),
            .questions = {(long)db_int(res, i, INSTRUMENT_VERSIONS_IIT_QUESTIONS),
                          (long)db_int(res, i, INSTRUMENT_VERSIONS_EIT_QUESTIONS)},
            .fields = {(long)db_int(res, i, INSTRUMENT_VERSIONS_IIT_FIELDS),
                       (long)db_int(res, i, INSTRUMENT_VERSIONS_EIT_FIELDS)},
            .oit_items = (long)db_int(res, i, INSTRUMENT_VERSIONS_OIT_ITEMS),
            .unverified = (long)db_int(res, i, INSTRUMENT_VERSIONS_UNVERIFIED),
            .answers = {db_bool(res, i, INSTRUMENT_VERSIONS_IIT_ANSWERS),
                        db_bool(res, i, INSTRUMENT_VERSIONS_EIT_ANSWERS),
                        db_bool(res, i, INSTRUMENT_VERSIONS_OIT_ANSWERS)},
        };
    q->list.versions = q->versions;
    q->list.n_versions = (size_t)n;
    setup_run(req, s, &sql_instrument_drafts, NULL, ST_DRAFTS);
}

static json_t *list_json(const struct instruments_list *m)
{
    json_t *versions = json_array(), *drafts = json_array();
    for (size_t i = 0; i < m->n_versions; i++) {
        const struct version_row *v = &m->versions[i];
        json_array_append_new(
            versions,
            json_pack("{s:i, s:s, s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "fiscal_year",
                      v->fiscal_year, "title", v->title, "revision", v->revision, "loaded_on",
                      v->loaded_on, "iit_questions", (json_int_t)v->questions[ITA_IIT],
                      "iit_fields", (json_int_t)v->fields[ITA_IIT], "eit_questions",
                      (json_int_t)v->questions[ITA_EIT], "eit_fields",
                      (json_int_t)v->fields[ITA_EIT], "oit_items", (json_int_t)v->oit_items,
                      "unverified_items", (json_int_t)v->unverified, "answers",
                      answered_json(v->answers)));
    }
    for (size_t i = 0; i < m->n_drafts; i++) {
        const struct draft_row *d = &m->drafts[i];
        json_array_append_new(
            drafts,
            json_pack("{s:I, s:i, s:s, s:s, s:s, s:s, s:I, s:o}", "id", (json_int_t)d->id,
                      "fiscal_year", d->fiscal_year, "title", d->title, "file_name", d->file_name,
                      "uploaded_by", d->uploaded_by, "uploaded_on", d->uploaded_on,
                      "unverified_items", (json_int_t)d->unverified, "stored_revision",
                      d->stored_revision ? json_integer(d->stored_revision) : json_null()));
    }
    json_t *doc = json_pack("{s:o, s:o}", "versions", versions, "drafts", drafts);
    if (!doc)
        abort();
    return doc;
}

/* What the redirect after publishing or discarding asks the list to say. */
static const char *flash(struct http_request *req)
{
    long published = admin_query_int(req, "published"), revision = admin_query_int(req, "revision");
    long discarded = admin_query_int(req, "discarded");
    if (published >= 2500 && published <= 2700 && revision >= 1)
        return arena_sprintf(&req->arena,
                             "เผยแพร่แบบวัดปีงบประมาณ %ld (ฉบับที่ %ld) แล้ว "
                             "แบบสอบถามของปีนี้ใช้ฉบับนี้ตั้งแต่บัดนี้",
                             published, revision);
    if (discarded >= 2500 && discarded <= 2700)
        return arena_sprintf(&req->arena, "ลบฉบับร่างของปีงบประมาณ %ld แล้ว", discarded);
    return NULL;
}

static void drafts_read(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct ireq *q = s->page;
    const PGresult *res = r->res;
    int n = PQntuples(res);
    q->drafts = arena_alloc(&req->arena, sizeof *q->drafts * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++)
        q->drafts[i] = (struct draft_row){
            .id = (long)db_int(res, i, INSTRUMENT_DRAFTS_ID),
            .fiscal_year = (int)db_int(res, i, INSTRUMENT_DRAFTS_FISCAL_YEAR),
            .title = copy_col(req, res, i, INSTRUMENT_DRAFTS_TITLE),
            .file_name = copy_col(req, res, i, INSTRUMENT_DRAFTS_FILE_NAME),
            .uploaded_by = copy_col(req, res, i, INSTRUMENT_DRAFTS_UPLOADED_BY),
            .uploaded_on = copy_col(req, res, i, INSTRUMENT_DRAFTS_UPLOADED_ON),
            .unverified = (long)db_int(res, i, INSTRUMENT_DRAFTS_UNVERIFIED),
            .stored_revision = (int)db_int(res, i, INSTRUMENT_DRAFTS_STORED_REVISION),
        };
    q->list.drafts = q->drafts;
    q->list.n_drafts = (size_t)n;
    q->list.csrf = setup_csrf(req, s);
    if (!q->list.n_errors)
        q->list.flash = flash(req);
    answer(req, s, q->status ? q->status : 200, list_json(&q->list), "แบบวัดแต่ละปีงบประมาณ",
           instruments_view_list, &q->list);
}

void admin_instruments(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = begin(req, u);
    if (s)
        list_start(req, s, 200);
}

/* ---- /admin/instruments/upload ---- */

/* Loading an uploaded version file on the CPU pool: owns a copy of the bytes and what it made. */
struct parse_job {
    struct upload up;      /* first: the bytes (upload.h) */
    char source[160];      /* the file's name, for the loader's messages */
    struct ita_version *v; /* the loaded version, or NULL */
    char *json;            /* its canonical JSON */
    char sha[65];          /* SHA-256 of json */
    char *err;             /* v NULL: the loader's message */
};

static void parse_release(struct upload *up)
{
    struct parse_job *j = (struct parse_job *)up;
    ita_version_free(j->v);
    free(j->json);
    free(j->err);
}

static void parse_work(void *data)
{
    struct parse_job *j = data;
    j->v = ita_version_load_string((const char *)j->up.bytes, j->up.len, j->source, &j->err);
    if (!j->v)
        return;
    j->json = ita_version_to_json(j->v);
    sha256_hex(j->json, strlen(j->json), j->sha);
}

/* The file name as sent, without its folders, control characters replaced, at most 100 bytes
 * of whole UTF-8 characters; "" when none or not UTF-8. */
static void file_name(char *out, size_t size, const char *sent)
{
    const char *base = sent ? sent : "";
    for (const char *c = base; *c; c++)
        if (*c == '/' || *c == '\\')
            base = c + 1;
    out[0] = '\0';
    if (!ita_utf8_valid(base, strlen(base)))
        return;
    size_t o = 0;
    for (const unsigned char *c = (const unsigned char *)base; *c;) {
        size_t len = *c < 0x80 ? 1 : *c >= 0xf0 ? 4 : *c >= 0xe0 ? 3 : 2;
        if (o + len > 100 || o + len >= size)
            break;
        for (size_t i = 0; i < len; i++)
            out[o++] = c[i] < 0x20 || c[i] == 0x7f ? '_' : (char)c[i];
        c += len;
    }
    out[o] = '\0';
}

void admin_instruments_upload(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = begin(req, u);
    if (!s)
        return;
    struct parse_job *j = upload_take(req, s, sizeof *j, "กรุณาเลือกไฟล์แบบวัด (.json) ก่อนกดอัปโหลด",
                                      "ไฟล์ว่างเปล่า กรุณาเลือกไฟล์แบบวัด (.json)");
    if (!j)
        return;
    file_name(j->source, sizeof j->source, s->upload ? s->upload->filename : NULL);
    if (!j->source[0])
        snprintf(j->source, sizeof j->source, "ไฟล์ที่อัปโหลด");
    upload_parse(req, s, &j->up, parse_work, parse_release, ST_PARSED);
}

static void upload_parsed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct ireq *q = s->page;
    struct parse_job *j = s->job;
    if (!j->v) {
        /* the job is freed after this step: the lines go to the arena */
        size_t n;
        struct review_line *lines = review_split_lines(j->err, &n);
        struct review_line *kept = arena_alloc(&req->arena, sizeof *kept * (n ? n : 1));
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            kept[i] = (struct review_line){
                arena_strndup(&req->arena, lines[i].text, strlen(lines[i].text)), lines[i].bullet};
            json_array_append_new(arr, json_string(lines[i].text));
        }
        review_lines_free(lines, n);
        q->list.bad_file = arena_strndup(&req->arena, j->source, strlen(j->source));
        q->list.errors = kept;
        q->list.n_errors = n;
        log_info("event=instrument_upload_refused w=%d admin=%d file=\"%s\" errors=%zu",
                 req->worker->id, s->u->id, j->source, n);
        if (s->u->api) {
            setup_send_json(req, 422,
                            json_pack("{s:s, s:i, s:o}", "error",
                                      "ไฟล์แบบวัดมีข้อผิดพลาด ยังไม่ได้บันทึกสิ่งใด", "status", 422, "errors",
                                      arr));
            return;
        }
        json_decref(arr);
        list_start(req, s, 422);
        return;
    }
    q->year = j->v->fiscal_year;
    char year[16], iit[16], eit[16];
    snprintf(year, sizeof year, "%d", j->v->fiscal_year);
    snprintf(iit, sizeof iit, "%zu", j->v->surveys[ITA_IIT].n_fields);
    snprintf(eit, sizeof eit, "%zu", j->v->surveys[ITA_EIT].n_fields);
    const char *p[INSTRUMENT_DRAFT_ADD_NPARAMS];
    p[INSTRUMENT_DRAFT_ADD_P_YEAR] = year;
    p[INSTRUMENT_DRAFT_ADD_P_DOCUMENT] = j->json;
    p[INSTRUMENT_DRAFT_ADD_P_SHA256] = j->sha;
    p[INSTRUMENT_DRAFT_ADD_P_IIT_FIELDS] = iit;
    p[INSTRUMENT_DRAFT_ADD_P_EIT_FIELDS] = eit;
    p[INSTRUMENT_DRAFT_ADD_P_FILE_NAME] = s->upload ? j->source : "";
    p[INSTRUMENT_DRAFT_ADD_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_instrument_draft_add, p, ST_ADDED);
}

static void upload_added(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct ireq *q = s->page;
    long id = (long)db_int(r->res, 0, INSTRUMENT_DRAFT_ADD_ID);
    log_info("event=instrument_draft_added w=%d admin=%d draft=%ld fy=%d", req->worker->id,
             s->u->id, id, q->year);
    if (s->u->api) {
        setup_send_json(req, 201,
                        json_pack("{s:I, s:i}", "draft", (json_int_t)id, "fiscal_year", q->year));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/instruments/draft?id=%ld", id));
}

/* ---- a draft: /admin/instruments/draft, /admin/instruments/publish ---- */

/* Reviewing a draft on the CPU pool: owns copies of the documents and what it made. */
struct review_job {
    char *doc; /* the draft's document */
    size_t len;
    char sha[65];
    char *stored; /* the year's stored document, or NULL */
    size_t stored_len;
    char stored_sha[65];
    bool has[ITA_N_INSTRUMENTS];
    struct ita_version *v;           /* the draft loaded, or NULL */
    struct review_line *load_errors; /* v NULL: why */
    size_t n_load_errors;
    struct review review;
};

static void review_job_free(void *data)
{
    struct review_job *j = data;
    free(j->doc);
    free(j->stored);
    ita_version_free(j->v);
    review_lines_free(j->load_errors, j->n_load_errors);
    review_free(&j->review);
    free(j);
}

static void review_work(void *data)
{
    struct review_job *j = data;
    char *err = NULL;
    j->v = ita_version_load_string(j->doc, j->len, "ฉบับร่าง", &err);
    if (!j->v) {
        j->load_errors = review_split_lines(err, &j->n_load_errors);
        free(err);
        return;
    }
    if (review_unverified(&j->review, j->doc, j->len) != 0)
        abort(); /* it loaded, so it is a JSON object */
    review_decide(&j->review, j->v, j->sha, j->stored, j->stored_len,
                  j->stored ? j->stored_sha : NULL, j->has);
}

static void draft_read(struct http_request *req, struct setup *s)
{
    struct ireq *q = s->page;
    const char *p[INSTRUMENT_DRAFT_GET_NPARAMS];
    p[INSTRUMENT_DRAFT_GET_P_ID] = q->id;
    setup_run(req, s, &sql_instrument_draft_get, p, ST_DRAFT);
}

static void draft_start(struct http_request *req, const struct admin_user *u, enum draft_mode mode)
{
    struct setup *s = begin(req, u);
    if (!s)
        return;
    struct ireq *q = s->page;
    const char *id = setup_param(req, s, "id");
    if (!setup_digits(id, 9)) {
        setup_fail(req, s, 404, NO_DRAFT);
        return;
    }
    q->mode = mode;
    snprintf(q->id, sizeof q->id, "%s", id);
    draft_read(req, s);
}

static char *copy_text(const PGresult *res, int col)
{
    return xstrndup(db_text(res, 0, col), (size_t)db_len(res, 0, col));
}

static void draft_got(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct ireq *q = s->page;
    const PGresult *res = r->res;
    if (PQntuples(res) != 1) {
        setup_fail(req, s, 404, NO_DRAFT);
        return;
    }
    struct draft_page *d = &q->dp;
    *d = (struct draft_page){
        .id = (long)db_int(res, 0, INSTRUMENT_DRAFT_GET_ID),
        .fiscal_year = (int)db_int(res, 0, INSTRUMENT_DRAFT_GET_FISCAL_YEAR),
        .file_name = copy_col(req, res, 0, INSTRUMENT_DRAFT_GET_FILE_NAME),
        .uploaded_by = copy_col(req, res, 0, INSTRUMENT_DRAFT_GET_UPLOADED_BY),
        .uploaded_on = copy_col(req, res, 0, INSTRUMENT_DRAFT_GET_UPLOADED_ON),
        .stored_revision = (int)db_int(res, 0, INSTRUMENT_DRAFT_GET_STORED_REVISION),
        .has = {db_bool(res, 0, INSTRUMENT_DRAFT_GET_IIT_ANSWERS),
                db_bool(res, 0, INSTRUMENT_DRAFT_GET_EIT_ANSWERS),
                db_bool(res, 0, INSTRUMENT_DRAFT_GET_OIT_ANSWERS)},
        .csrf = setup_csrf(req, s),
    };
    struct review_job *j = xcalloc(1, sizeof *j);
    j->doc = copy_text(res, INSTRUMENT_DRAFT_GET_DOCUMENT);
    j->len = (size_t)db_len(res, 0, INSTRUMENT_DRAFT_GET_DOCUMENT);
    snprintf(j->sha, sizeof j->sha, "%s", db_text(res, 0, INSTRUMENT_DRAFT_GET_SHA256));
    if (!db_null(res, 0, INSTRUMENT_DRAFT_GET_STORED_DOCUMENT)) {
        j->stored = copy_text(res, INSTRUMENT_DRAFT_GET_STORED_DOCUMENT);
        j->stored_len = (size_t)db_len(res, 0, INSTRUMENT_DRAFT_GET_STORED_DOCUMENT);
        snprintf(j->stored_sha, sizeof j->stored_sha, "%s",
                 db_text(res, 0, INSTRUMENT_DRAFT_GET_STORED_SHA256));
    }
    memcpy(j->has, d->has, sizeof j->has);
    setup_job(req, s, j, review_work, review_job_free, ST_REVIEWED);
}

static json_t *lines_json(const struct review_line *l, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(l[i].text));
    return a;
}

static json_t *draft_json(const struct draft_page *d)
{
    json_t *doc = json_pack("{s:I, s:i, s:s, s:s, s:s, s:o, s:o}", "id", (json_int_t)d->id,
                            "fiscal_year", d->fiscal_year, "file_name", d->file_name, "uploaded_by",
                            d->uploaded_by, "uploaded_on", d->uploaded_on, "stored_revision",
                            d->stored_revision ? json_integer(d->stored_revision) : json_null(),
                            "answers", answered_json(d->has));
    if (!doc)
        abort();
    if (!d->v) {
        json_object_set_new(doc, "outcome", json_string("unreadable"));
        json_object_set_new(doc, "errors", lines_json(d->load_errors, d->n_load_errors));
        return doc;
    }
    const struct review *r = d->review;
    json_t *items = json_array();
    for (size_t i = 0; i < r->n_items; i++)
        json_array_append_new(
            items, json_pack("{s:s, s:s}", "what", r->items[i].what_th, "path", r->items[i].path));
    json_object_set_new(doc, "title", json_string(d->v->title_th));
    json_object_set_new(doc, "iit_questions",
                        json_integer((json_int_t)d->v->surveys[0].n_questions));
    json_object_set_new(doc, "eit_questions",
                        json_integer((json_int_t)d->v->surveys[1].n_questions));
    json_object_set_new(doc, "oit_items", json_integer((json_int_t)d->v->n_oit_items));
    json_object_set_new(doc, "unverified", items);
    json_object_set_new(doc, "outcome", json_string(instruments_outcome_name(r->outcome)));
    json_object_set_new(doc, "conflicts", lines_json(r->lines, r->n_lines));
    return doc;
}

static void publish_run(struct http_request *req, struct setup *s);

static void draft_reviewed(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct ireq *q = s->page;
    struct review_job *j = s->job;
    struct draft_page *d = &q->dp;
    /* the job is freed after this step: every answer below is written now, or needs none of it */
    d->v = j->v;
    d->review = &j->review;
    d->load_errors = j->load_errors;
    d->n_load_errors = j->n_load_errors;
    const char *title =
        arena_sprintf(&req->arena, "ฉบับร่างแบบวัด #%ld ปีงบประมาณ %d", d->id, d->fiscal_year);
    bool publishable =
        d->v && (j->review.outcome == REVIEW_NEW_YEAR || j->review.outcome == REVIEW_CORRECTION);
    if (q->mode == DRAFT_SHOW || (q->mode == DRAFT_CONFIRM && !publishable)) {
        answer(req, s, 200, draft_json(d), title, instruments_view_draft, d);
        return;
    }
    if (q->mode == DRAFT_CONFIRM) {
        answer(req, s, 200, draft_json(d),
               arena_sprintf(&req->arena, "ยืนยันการเผยแพร่แบบวัดปีงบประมาณ %d", d->fiscal_year),
               instruments_view_confirm, d);
        return;
    }
    if (!publishable) {
        d->refusal = !d->v ? "ฉบับร่างนี้อ่านไม่ได้แล้ว ไม่มีสิ่งใดเปลี่ยนแปลง"
                     : j->review.outcome == REVIEW_UNCHANGED
                         ? "ไฟล์นี้เหมือนฉบับที่ใช้อยู่ทุกประการ ไม่มีสิ่งใดเปลี่ยนแปลง"
                         : "การเผยแพร่ถูกปฏิเสธตามเหตุผลด้านล่าง แบบวัดที่ใช้อยู่ไม่มีสิ่งใดเปลี่ยนแปลง";
        log_info("event=instrument_publish_refused w=%d admin=%d draft=%ld fy=%d outcome=%s",
                 req->worker->id, s->u->id, d->id, d->fiscal_year,
                 d->v ? instruments_outcome_name(j->review.outcome) : "unreadable");
        json_t *doc = draft_json(d);
        json_object_set_new(doc, "error", json_string(d->refusal));
        answer(req, s, 409, doc, title, instruments_view_draft, d);
        return;
    }
    d->v = NULL; /* the job's, freed once this step returns */
    d->review = NULL;
    publish_run(req, s);
}

static void publish_run(struct http_request *req, struct setup *s)
{
    struct ireq *q = s->page;
    struct draft_page *d = &q->dp;
    q->attempts++;
    char revision[16];
    snprintf(revision, sizeof revision, "%d", d->stored_revision);
    const char *p[INSTRUMENT_PUBLISH_NPARAMS];
    p[INSTRUMENT_PUBLISH_P_DRAFT] = q->id;
    p[INSTRUMENT_PUBLISH_P_REVISION] = revision;
    p[INSTRUMENT_PUBLISH_P_HAD_IIT] = d->has[ITA_IIT] ? "true" : "false";
    p[INSTRUMENT_PUBLISH_P_HAD_EIT] = d->has[ITA_EIT] ? "true" : "false";
    p[INSTRUMENT_PUBLISH_P_HAD_OIT] = d->has[ITA_OIT] ? "true" : "false";
    p[INSTRUMENT_PUBLISH_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_instrument_publish, p, ST_PUBLISHED);
}

static void published(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct ireq *q = s->page;
    const char *outcome = db_text(r->res, 0, INSTRUMENT_PUBLISH_OUTCOME);
    if (!strcmp(outcome, "no_draft")) {
        setup_fail(req, s, 404, NO_DRAFT);
        return;
    }
    if (!strcmp(outcome, "changed")) {
        /* published by someone else, or answers arrived, since the decision: decide again */
        log_info("event=instrument_publish_retry w=%d draft=%s attempt=%d", req->worker->id, q->id,
                 q->attempts);
        if (q->attempts < PUBLISH_ATTEMPTS) {
            draft_read(req, s);
            return;
        }
        setup_fail(req, s, 409,
                   "แบบวัดของปีนี้หรือคำตอบที่บันทึกไว้เปลี่ยนระหว่างการเผยแพร่หลายครั้ง "
                   "ยังไม่ได้เผยแพร่ กรุณาลองใหม่อีกครั้ง");
        return;
    }
    int year = (int)db_int(r->res, 0, INSTRUMENT_PUBLISH_FISCAL_YEAR);
    int revision = (int)db_int(r->res, 0, INSTRUMENT_PUBLISH_REVISION);
    log_info("event=instrument_published w=%d admin=%d draft=%s fy=%d revision=%d", req->worker->id,
             s->u->id, q->id, year, revision);
    if (s->u->api) {
        setup_send_json(req, 200,
                        json_pack("{s:b, s:i, s:i}", "published", 1, "fiscal_year", year,
                                  "revision", revision));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/instruments?published=%d&revision=%d",
                                      year, revision));
}

void admin_instrument_draft(struct http_request *req, const struct admin_user *u)
{
    draft_start(req, u, DRAFT_SHOW);
}

void admin_instrument_publish_confirm(struct http_request *req, const struct admin_user *u)
{
    draft_start(req, u, DRAFT_CONFIRM);
}

void admin_instrument_publish(struct http_request *req, const struct admin_user *u)
{
    draft_start(req, u, DRAFT_PUBLISH);
}

/* ---- /admin/instruments/discard ---- */

void admin_instrument_discard(struct http_request *req, const struct admin_user *u)
{
    struct setup *s = begin(req, u);
    if (!s)
        return;
    const char *id = setup_param(req, s, "id");
    if (!setup_digits(id, 9)) {
        setup_fail(req, s, 404, NO_DRAFT);
        return;
    }
    const char *p[INSTRUMENT_DISCARD_NPARAMS];
    p[INSTRUMENT_DISCARD_P_ID] = id;
    p[INSTRUMENT_DISCARD_P_ADMIN] = s->admin;
    setup_run(req, s, &sql_instrument_discard, p, ST_DISCARDED);
}

static void discarded(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (PQntuples(r->res) != 1) {
        setup_fail(req, s, 404, NO_DRAFT);
        return;
    }
    int year = (int)db_int(r->res, 0, INSTRUMENT_DISCARD_FISCAL_YEAR);
    log_info("event=instrument_draft_discarded w=%d admin=%d fy=%d", req->worker->id, s->u->id,
             year);
    if (s->u->api) {
        setup_send_json(req, 200, json_pack("{s:b, s:i}", "discarded", 1, "fiscal_year", year));
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/instruments?discarded=%d", year));
}
