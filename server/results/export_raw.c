/* GET /admin/export-raw?year=YYYY[&agency=ID][&instrument=IIT|EIT]: every stored anonymous
 * response of the year in the administrator's scope, as CSV (format in export_raw_csv.h),
 * streamed in constant memory whatever the number of rows.
 *
 * Steps: scope and version through the worker's pool (like every admin route: another agency
 * answers 404 like a missing one); the version parsed on the CPU pool; then a connection of the
 * export's own (pg_stream.c; the pool keeps serving respondents), which sets its parameters with
 * a parameterised set_config, writes the audit_log row, and runs a constant COPY ... TO STDOUT
 * (FORMAT binary) that reads them through current_setting. Rows go out as HTTP chunks of ~32 KiB;
 * when the client's buffer is above the high-water mark we stop reading PostgreSQL until it
 * drains. If the client leaves, the connection is closed (the backend, told to check its client
 * every second, stops). An error after the head went out ends the response without its last
 * chunk: the client sees a truncated transfer, never a short file that looks whole. When the
 * COPY has finished, the audit row gets the row count, size and SHA-256 of the file.
 *
 * Only rows that may be shown leave: those of an agency's instrument whose window has closed and
 * whose last responses are counted (sealed), and only when there are at least k of them
 * (results_min_responses) — the same rule as every figure (sql/0007_anonymity.sql). The day
 * column is the day of the batch a row was counted in (each batch holds at least k rows), never
 * the day it arrived. Rows are ordered by their content (agency, instrument, day, answers),
 * never by storage order: the file says nothing about who answered before whom, and the same
 * responses always give the same bytes.
 * The sort costs PostgreSQL about 2 s per million rows before the first row comes. */
#include "admin/admin_session.h"
#include "results_handlers.h"
#include "results_job.h"
#include "results_sql.h"
#include "admin/admin_sql.h"
#include "db/db_row.h"
#include "export_raw_csv.h"
#include "log.h"
#include "db/pg_stream.h"
#include "app/req_job.h"
#include "server.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define XR_MAX_PER_WORKER 2  /* raw exports at once per worker, each holding a connection */
#define XR_CHUNK (32 * 1024) /* CSV bytes sent as one chunk */

/* Raw exports running on this worker thread (each worker is one thread). */
static _Thread_local int xr_running;

/* Parameters of the export's session ($1 year, $2 agency or '', $3 instrument or '', $4 k); the
 * COPY below reads them back with current_setting. */
static const char sql_setup[] =
    "SELECT set_config('statement_timeout', '0', false),"
    " set_config('client_connection_check_interval', '1000', false),"
    " set_config('ita.raw_year', $1, false), set_config('ita.raw_agency', $2, false),"
    " set_config('ita.raw_instrument', $3, false), set_config('ita.raw_k', $4, false)";

enum { XR_SETUP_P_YEAR, XR_SETUP_P_AGENCY, XR_SETUP_P_INSTRUMENT, XR_SETUP_P_K, XR_SETUP_NPARAMS };

/* The export's audit_log row, not yet complete → its id. */
static const char sql_audit[] =
    "INSERT INTO audit_log (admin_id, action, agency_id, fiscal_year, detail)"
    " VALUES ($1::int, 'export_raw', $2::int, $3::smallint, jsonb_build_object('format', 'csv',"
    " 'scope', $4::text, 'instrument', $5::text, 'file_name', $6::text, 'complete', false))"
    " RETURNING id";

enum {
    XR_AUDIT_P_USER,
    XR_AUDIT_P_AGENCY,
    XR_AUDIT_P_YEAR,
    XR_AUDIT_P_SCOPE,
    XR_AUDIT_P_INSTRUMENT,
    XR_AUDIT_P_FILE_NAME,
    XR_AUDIT_NPARAMS
};
enum { XR_AUDIT_ID };

/* The audit_log row completed: $1 its id, $2 rows, $3 bytes, $4 the file's SHA-256. */
enum { XR_FINISH_P_ID, XR_FINISH_P_ROWS, XR_FINISH_P_BYTES, XR_FINISH_P_SHA256, XR_FINISH_NPARAMS };
static const char sql_finish[] =
    "UPDATE audit_log SET detail = detail || jsonb_build_object('complete', true,"
    " 'rows', $2::bigint, 'bytes', $3::bigint, 'file_sha256', $4::text) WHERE id = $1::bigint";

#define XR_SELECT                                                                                  \
    "COPY (SELECT a.code, r.fiscal_year::text, r.instrument::text,"                                \
    " to_char(r.received_on, 'YYYY-MM-DD'), r.answers"                                             \
    " FROM response r JOIN agency a ON a.id = r.agency_id"                                         \
    " JOIN response_tally t ON t.fiscal_year = r.fiscal_year AND t.agency_id = r.agency_id"        \
    "  AND t.instrument = r.instrument AND t.sealed"                                               \
    "  AND t.responses >= current_setting('ita.raw_k')::int"                                       \
    " WHERE r.fiscal_year = current_setting('ita.raw_year')::smallint"                             \
    " AND current_setting('ita.raw_instrument') IN ('', r.instrument::text)"
#define XR_ORDER                                                                                   \
    " ORDER BY r.agency_id, r.instrument::text COLLATE \"C\", r.received_on, r.answers)"           \
    " TO STDOUT (FORMAT binary)"
static const char sql_copy_all[] = XR_SELECT XR_ORDER;
static const char sql_copy_agency[] =
    XR_SELECT " AND r.agency_id = current_setting('ita.raw_agency')::int" XR_ORDER;

enum xr_state {
    XR_AGENCY,     /* pool: is the agency in scope? */
    XR_VERSION,    /* pool: the year's instrument version */
    XR_PARSING,    /* CPU pool: parsing it */
    XR_CONNECTING, /* own connection */
    XR_SETUP,      /* session parameters */
    XR_AUDIT,      /* audit_log row */
    XR_COPY,       /* rows streaming */
    XR_FINISH,     /* audit_log row completed */
    XR_DONE,       /* response ended (complete or truncated); only freeing is left */
};

/* One raw export; lives in the request arena, its heap parts are freed by xr_gone. */
struct xr {
    struct http_request *req;
    const struct admin_user *u; /* request arena */
    enum xr_state state;
    long year, agency; /* agency 0: every agency (system administrators only) */
    int only;          /* -1: both instruments; ITA_IIT or ITA_EIT */
    bool thai;         /* Thai column names (?keys=th, people's default) */
    char year_s[16], agency_s[16], sys[8], own[16], uid[16], k_s[16];
    char scope[80]; /* agency code, or "all" */
    char filename[128];
    char audit_id[24];
    char *doc;             /* version document until parsed (owned) */
    struct ita_version *v; /* owned */
    struct raw_layout layout;
    struct pg_stream *pg;   /* owned; NULL once closed */
    bool counted;           /* holds one of xr_running */
    bool begun;             /* the response head has gone out */
    bool header_seen;       /* the binary COPY header has been read */
    struct strbuf csv;      /* rows not yet sent */
    struct evbuffer *chunk; /* hands csv over to the HTTP layer */
    EVP_MD_CTX *sha;        /* SHA-256 of every byte of the file */
    uint64_t rows, bytes;   /* sent so far */
    struct timespec t0;     /* connection opened */
};

/* An answer in Thai: JSON for programs, a page for people (results_fail). */
static void xr_fail(struct xr *x, int status, const char *msg)
{
    results_fail(x->req, x->u, status, msg);
}

/* Releases the connection and the slot; the rest is freed by xr_gone. */
static void xr_close(struct xr *x)
{
    pg_stream_free(x->pg);
    x->pg = NULL;
    if (x->counted)
        xr_running--;
    x->counted = false;
}

static double xr_ms(const struct xr *x)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - x->t0.tv_sec) * 1000.0 +
           (double)(now.tv_nsec - x->t0.tv_nsec) / 1e6;
}

static void xr_log(const struct xr *x, const char *outcome, const char *error)
{
    char q[400];
    log_quote(q, sizeof q, error ? error : "");
    log_info("event=export_raw w=%d user=%d audit=%s scope=%s outcome=%s rows=%llu bytes=%llu "
             "ms=%.1f error=%s",
             x->req->worker->id, x->u->id, x->audit_id[0] ? x->audit_id : "-", x->scope, outcome,
             (unsigned long long)x->rows, (unsigned long long)x->bytes, xr_ms(x), q);
}

/* Something went wrong: an answer while nothing was sent, else a truncated transfer. */
static void xr_abort(struct xr *x, int status, const char *what, const char *error)
{
    if (x->state == XR_DONE)
        return;
    xr_log(x, x->begun ? "truncated" : "failed", error);
    if (x->begun)
        http_stream_end(x->req, false);
    else if (status == 503)
        http_respond_unavailable(x->req, what);
    else
        xr_fail(x, status, what);
    x->state = XR_DONE;
    xr_close(x);
}

static void xr_gone(struct http_request *req)
{
    struct xr *x = req->handler_state;
    if (x->state != XR_DONE)
        xr_log(x, "client_gone", NULL);
    xr_close(x);
    free(x->doc);
    ita_version_free(x->v);
    strbuf_free(&x->csv);
    if (x->chunk)
        evbuffer_free(x->chunk);
    EVP_MD_CTX_free(x->sha);
}

/* ---- streaming the rows ---- */

/* Sends what is batched as one chunk; false when the client is behind (pause). */
static bool xr_flush(struct xr *x)
{
    if (x->csv.len == 0)
        return true;
    EVP_DigestUpdate(x->sha, x->csv.data, x->csv.len);
    x->bytes += x->csv.len;
    evbuffer_add(x->chunk, x->csv.data, x->csv.len);
    x->csv.len = 0; /* keep the allocation for the next chunk */
    x->csv.data[0] = '\0';
    return http_stream_write(x->req, x->chunk);
}

static void xr_drained(struct http_request *req)
{
    struct xr *x = req->handler_state;
    if (x->pg)
        pg_stream_resume(x->pg);
}

static void xr_begin(struct xr *x)
{
    char disp[200];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", x->filename);
    http_add_header(x->req, "Content-Disposition", disp);
    http_add_header(x->req, "X-ITA-Export-Id", x->audit_id);
    x->begun = true;
    if (!http_stream_begin(x->req, 200, "text/csv; charset=utf-8", xr_drained))
        abort(); /* HEAD was answered before the export started */
    raw_csv_begin(&x->csv, &x->layout);
}

static bool xr_copy_row(void *arg, const char *data, size_t len)
{
    struct xr *x = arg;
    struct raw_row row;
    switch (raw_copy_decode(data, len, &x->header_seen, &row)) {
    case RAW_END:
        return true;
    case RAW_BAD:
        xr_abort(x, 500, "อ่านข้อมูลส่งออกไม่สำเร็จ กรุณาลองใหม่หรือแจ้งผู้ดูแลระบบ", "malformed COPY row");
        return false;
    case RAW_ROW:
        break;
    }
    if (!x->begun)
        xr_begin(x);
    char err[300];
    if (!raw_csv_row(&x->csv, &x->layout, &row, err, sizeof err)) {
        xr_abort(x, 500, "คำตอบที่เก็บไว้ไม่ตรงกับแบบวัดของปีนี้ กรุณาแจ้งผู้ดูแลระบบ", err);
        return false;
    }
    x->rows++;
    return x->csv.len < XR_CHUNK || xr_flush(x);
}

static void xr_copy_idle(void *arg)
{
    struct xr *x = arg;
    if (x->begun && !xr_flush(x))
        pg_stream_pause(x->pg);
}

/* ---- the export's own connection ---- */

static void xr_query(struct xr *x, enum xr_state st, const char *sql, int n, const char *const *p,
                     int timeout_ms)
{
    x->state = st;
    if (!pg_stream_query(x->pg, sql, n, p,
                         timeout_ms)) /* the stream is dead, no callback follows */
        xr_abort(x, 503, "database unavailable", "could not send the statement");
}

static void xr_ready(void *arg, bool ok, const char *msg)
{
    struct xr *x = arg;
    if (!ok) {
        xr_abort(x, 503, "database unavailable", msg);
        return;
    }
    const char *p[XR_SETUP_NPARAMS];
    p[XR_SETUP_P_YEAR] = x->year_s;
    p[XR_SETUP_P_AGENCY] = x->agency > 0 ? x->agency_s : "";
    p[XR_SETUP_P_INSTRUMENT] = x->only < 0 ? "" : ita_instrument_code((enum ita_instrument)x->only);
    snprintf(x->k_s, sizeof x->k_s, "%d", x->req->worker->srv->cfg.results_min_responses);
    p[XR_SETUP_P_K] = x->k_s;
    xr_query(x, XR_SETUP, sql_setup, XR_SETUP_NPARAMS, p, x->req->worker->srv->cfg.db_timeout_ms);
}

static void xr_copy_done(struct xr *x, PGresult *res)
{
    const char *n = PQcmdTuples(res);
    if (strtoull(n, NULL, 10) != x->rows) {
        char err[120];
        snprintf(err, sizeof err, "COPY reported %s rows, %llu were written", n,
                 (unsigned long long)x->rows);
        xr_abort(x, 500, "ส่งออกไม่สำเร็จ กรุณาลองใหม่อีกครั้ง", err);
        return;
    }
    if (!x->begun)
        xr_begin(x); /* no rows: the header alone */
    xr_flush(x);     /* the last rows go out whatever the client's backlog */
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(x->sha, md, &mdlen);
    char hex[2 * EVP_MAX_MD_SIZE + 1] = "", rows[24], bytes[24];
    for (unsigned int i = 0; i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    snprintf(rows, sizeof rows, "%llu", (unsigned long long)x->rows);
    snprintf(bytes, sizeof bytes, "%llu", (unsigned long long)x->bytes);
    const char *p[XR_FINISH_NPARAMS];
    p[XR_FINISH_P_ID] = x->audit_id;
    p[XR_FINISH_P_ROWS] = rows;
    p[XR_FINISH_P_BYTES] = bytes;
    p[XR_FINISH_P_SHA256] = hex;
    xr_query(x, XR_FINISH, sql_finish, XR_FINISH_NPARAMS, p,
             x->req->worker->srv->cfg.db_timeout_ms);
}

static void xr_result(void *arg, PGresult *res, const char *msg)
{
    struct xr *x = arg;
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (!ok) {
        const char *e = res ? PQresultErrorMessage(res) : msg;
        if (x->state == XR_FINISH) { /* the file is whole; only its audit detail is missing */
            log_warn("event=export_raw_audit_incomplete w=%d audit=%s", x->req->worker->id,
                     x->audit_id);
        } else {
            xr_abort(x, 503, "database unavailable", e);
            return;
        }
    }
    switch (x->state) {
    case XR_SETUP: {
        const char *p[XR_AUDIT_NPARAMS];
        p[XR_AUDIT_P_USER] = x->uid;
        p[XR_AUDIT_P_AGENCY] = x->agency > 0 ? x->agency_s : NULL;
        p[XR_AUDIT_P_YEAR] = x->year_s;
        p[XR_AUDIT_P_SCOPE] = x->scope;
        p[XR_AUDIT_P_INSTRUMENT] =
            x->only < 0 ? NULL : ita_instrument_code((enum ita_instrument)x->only);
        p[XR_AUDIT_P_FILE_NAME] = x->filename;
        xr_query(x, XR_AUDIT, sql_audit, XR_AUDIT_NPARAMS, p,
                 x->req->worker->srv->cfg.db_timeout_ms);
        return;
    }
    case XR_AUDIT:
        snprintf(x->audit_id, sizeof x->audit_id, "%s",
                 PQntuples(res) == 1 ? db_text(res, 0, XR_AUDIT_ID) : "");
        xr_query(x, XR_COPY, x->agency > 0 ? sql_copy_agency : sql_copy_all, 0, NULL, 0);
        return;
    case XR_COPY:
        xr_copy_done(x, res);
        return;
    case XR_FINISH:
        xr_log(x, "complete", NULL);
        x->state = XR_DONE;
        http_stream_end(x->req, true);
        xr_close(x);
        return;
    case XR_AGENCY:
    case XR_VERSION:
    case XR_PARSING:
    case XR_CONNECTING:
    case XR_DONE:
        break;
    }
    abort(); /* a result in a state that sent nothing */
}

static const struct pg_stream_ops xr_ops = {xr_ready, xr_result, xr_copy_row, xr_copy_idle};

/* ---- parsing the version on the CPU pool ---- */

struct xr_parse {
    char *doc;             /* owned */
    struct ita_version *v; /* result (owned until taken) */
    char err[300];
};

static void parse_work(void *data)
{
    struct xr_parse *p = data;
    char *e = NULL;
    p->v = ita_version_load_string(p->doc, strlen(p->doc), "stored version", &e);
    if (!p->v) {
        snprintf(p->err, sizeof p->err, "%s", e);
        free(e);
    }
}

static void parse_free(void *data)
{
    struct xr_parse *p = data;
    free(p->doc);
    ita_version_free(p->v);
    free(p);
}

static void parse_finish(struct http_request *req, void *data)
{
    struct xr_parse *p = data;
    struct xr *x = req->handler_state;
    if (!p->v) {
        log_error("event=export_raw_bad_version w=%d error=\"%s\"", req->worker->id, p->err);
        xr_fail(x, 500, "อ่านแบบวัดของปีนี้ที่เก็บไว้ไม่ได้ กรุณาแจ้งผู้ดูแลระบบ");
        return;
    }
    x->v = p->v;
    p->v = NULL;
    req->on_gone = xr_gone; /* from here on xr owns heap memory */
    raw_layout_init(&x->layout, x->v, x->only);
    x->layout.thai = x->thai;
    strbuf_init(&x->csv);
    x->chunk = evbuffer_new();
    x->sha = EVP_MD_CTX_new();
    if (!x->chunk || !x->sha || EVP_DigestInit_ex(x->sha, EVP_sha256(), NULL) != 1)
        abort(); /* out of memory */
    if (xr_running >= XR_MAX_PER_WORKER) {
        http_respond_unavailable(req, "too many raw exports at once; try again shortly");
        x->state = XR_DONE;
        return;
    }
    xr_running++;
    x->counted = true;
    x->state = XR_CONNECTING;
    clock_gettime(CLOCK_MONOTONIC, &x->t0);
    const struct config *cfg = &req->worker->srv->cfg;
    x->pg = pg_stream_open(req->worker->base, req->worker->dns, cfg->database_url,
                           cfg->db_timeout_ms, &xr_ops, x);
}

/* ---- the pool steps ---- */

static void pool_step(struct http_request *req, const struct db_result *r);

static void pool_exec(struct xr *x, enum xr_state st, const struct db_statement *stmt,
                      const char *const *p)
{
    x->state = st;
    http_db(x->req, stmt, p, NULL, pool_step);
}

static void start_version(struct xr *x)
{
    const char *p[RES_VERSION_NPARAMS];
    p[RES_VERSION_P_YEAR] = x->year_s;
    pool_exec(x, XR_VERSION, &sql_res_version, p);
}

static void got_version(struct xr *x, const PGresult *res)
{
    if (PQntuples(res) != 1) {
        xr_fail(x, 404, "ยังไม่มีแบบวัดของปีงบประมาณนี้");
        return;
    }
    snprintf(x->filename, sizeof x->filename, "ita-%ld-%s-raw%s%s.csv", x->year, x->scope,
             x->only < 0 ? "" : "-",
             x->only < 0 ? "" : ita_instrument_code((enum ita_instrument)x->only));
    results_safe_filename(x->filename);
    if (x->req->head.method == HTTP_HEAD) { /* the head alone: nothing is exported */
        char disp[200];
        snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", x->filename);
        http_add_header(x->req, "Content-Disposition", disp);
        if (http_stream_begin(x->req, 200, "text/csv; charset=utf-8", NULL))
            abort(); /* HEAD never has a body */
        x->state = XR_DONE;
        return;
    }
    struct xr_parse *p = xcalloc(1, sizeof *p);
    p->doc = xstrndup(db_text(res, 0, RES_VERSION_DOCUMENT),
                      (size_t)db_len(res, 0, RES_VERSION_DOCUMENT));
    x->state = XR_PARSING;
    req_job_start(x->req, p, parse_work, parse_finish, parse_free);
}

static void pool_step(struct http_request *req, const struct db_result *r)
{
    struct xr *x = req->handler_state;
    if (!r->ok) {
        log_error("event=export_raw_db_error w=%d step=%d error=\"%s\"", req->worker->id, x->state,
                  r->error ? r->error : "");
        http_respond_unavailable(req, "database unavailable");
        return;
    }
    if (x->state == XR_AGENCY) {
        if (PQntuples(r->res) != 1) {
            xr_fail(x, 404, "ไม่พบหน่วยงานนี้");
            return;
        }
        snprintf(x->scope, sizeof x->scope, "%s", db_text(r->res, 0, ADMIN_AGENCY_CODE));
        start_version(x);
        return;
    }
    got_version(x, r->res);
}

/* ---- entry point ---- */

/* Reads year (required), agency and instrument (optional) from the query; false: answered 400. */
static bool read_params(struct http_request *req, struct xr *x)
{
    x->year = admin_query_int(req, "year");
    x->agency = admin_query_int(req, "agency");
    const char *ins = admin_query_str(req, "instrument");
    x->only = !ins ? -1 : !strcmp(ins, "IIT") ? ITA_IIT : !strcmp(ins, "EIT") ? ITA_EIT : -2;
    bool agency_bad = admin_query_str(req, "agency") && x->agency <= 0;
    /* column names: Thai for people, the English keys with keys=en (and for API tokens) */
    const char *keys = admin_query_str(req, "keys");
    x->thai = keys ? strcmp(keys, "th") == 0 : !x->u->api;
    bool keys_bad = keys && strcmp(keys, "th") && strcmp(keys, "en");
    if (x->year < 2500 || x->year > 2700 || agency_bad || x->only == -2 || keys_bad) {
        xr_fail(x, 400,
                "ที่อยู่ไม่ถูกต้อง: ใช้ ?year=ปีงบประมาณ[&agency=รหัส][&instrument=IIT|EIT]"
                "[&keys=th|en (ชื่อคอลัมน์)]");
        return false;
    }
    if (x->agency <= 0)
        x->agency = x->u->system ? 0 : x->u->agency_id; /* an agency administrator's "all" */
    snprintf(x->year_s, sizeof x->year_s, "%ld", x->year);
    snprintf(x->agency_s, sizeof x->agency_s, "%ld", x->agency);
    return true;
}

void admin_export_raw(struct http_request *req, const struct admin_user *u)
{
    struct xr *x = arena_alloc(&req->arena, sizeof *x);
    memset(x, 0, sizeof *x);
    x->req = req;
    x->u = u;
    req->handler_state = x;
    admin_scope(u, x->sys, x->own);
    snprintf(x->uid, sizeof x->uid, "%d", u->id);
    snprintf(x->scope, sizeof x->scope, "all");
    if (!read_params(req, x))
        return;
    if (x->agency == 0) {
        start_version(x);
        return;
    }
    const char *p[ADMIN_AGENCY_NPARAMS];
    p[ADMIN_AGENCY_P_ID] = x->agency_s;
    p[ADMIN_AGENCY_P_SYSTEM] = x->sys;
    p[ADMIN_AGENCY_P_AGENCY] = x->own;
    pool_exec(x, XR_AGENCY, &sql_admin_agency, p);
}
