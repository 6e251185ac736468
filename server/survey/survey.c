/* Respondent handlers: the IIT/EIT form behind a public link (/s/{slug}) or a personal
 * single-use link (/t/{token}), and its submission. Each request walks the same small state
 * machine: LOOKUP the link → (VERSION: load the fiscal year's instrument if this worker has not
 * cached it) → show the form, or validate the answers → SUBMIT in one statement → answer page.
 * Nothing about the respondent is stored: no cookie is set, no address or time of day is kept.
 * Hot paths use the worker's caches: public link rows (link_cache.c, a second at most), blank
 * form pages (page_cache.c, the form token spliced in), and submissions share commits
 * (submit_batch.c). */
#include "net/form_parse.h"
#include "answers.h"
#include "survey_handlers.h"
#include "survey_sql.h"
#include "net/http.h"
#include "link_cache.h"
#include "log.h"
#include "gzip_splice.h"
#include "page_cache.h"
#include "pages.h"
#include "app/page_frame.h"
#include "secret.h"
#include "app/app.h"
#include "server.h"
#include "strbuf.h"
#include "db/db_row.h"
#include "db/submit_batch.h"
#include "xalloc.h"

#include <event2/buffer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum survey_kind { SV_PUBLIC, SV_PERSONAL };

/* Both kinds of submission go through the same group commit (survey_sql.h). */
_Static_assert((int)SUBMIT_NPARAMS == (int)SUBMIT_BATCH_PARAMS,
               "a submission fits the group commit");
_Static_assert((int)LINK_BY_SLUG_P_SLUG == (int)LINK_BY_TOKEN_P_TOKEN_HASH &&
                   (int)LINK_BY_SLUG_NPARAMS == (int)LINK_BY_TOKEN_NPARAMS,
               "link lookups take their key in the same place");

enum survey_state {
    SV_LOOKUP,  /* waiting for the link row */
    SV_VERSION, /* waiting for the instrument version document */
    SV_SUBMIT,  /* waiting for the submission statement */
    SV_RECHECK, /* a personal submission stored nothing: was it this form's repeat? */
    SV_STATUS,  /* looking the link up again to say why nothing was stored */
};

struct survey {
    enum survey_kind kind;
    enum survey_state state;
    bool posting;                                  /* POST: submission, else show the form */
    const char *key;                               /* slug or token from the path (arena) */
    unsigned char token_hash[TOKEN_HASH_BYTES];    /* personal: HMAC of the token */
    char hash_param[2 + 2 * TOKEN_HASH_BYTES + 1]; /* bytea parameter "\x..." */
    /* from the link lookup */
    int link_id;
    int fiscal_year;
    enum ita_instrument instrument;
    char *agency_name; /* arena */
    int revision;
    bool revoked, not_open, closed, spent;
    char opens[11], closes[11];  /* YYYY-MM-DD in Thailand */
    const struct ita_version *v; /* borrowed from the worker's cache */
    /* submission */
    int *answers; /* [fields] level or -1 */
    unsigned char nonce_hash[TOKEN_HASH_BYTES];
    struct submit_entry *pending; /* SV_SUBMIT: queued in the worker's group commit */
};

static const char *const thai_months[12] = {
    "มกราคม",  "กุมภาพันธ์", "มีนาคม",  "เมษายน", "พฤษภาคม",  "มิถุนายน",
    "กรกฎาคม", "สิงหาคม",  "กันยายน", "ตุลาคม",  "พฤศจิกายน", "ธันวาคม",
};

/* "2023-10-01" → "1 ตุลาคม 2566" (Buddhist Era), in the request arena. */
static const char *thai_date(struct http_request *req, const char *iso)
{
    int y, m, d;
    if (sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12)
        return NULL;
    return arena_sprintf(&req->arena, "%d %s %d", d, thai_months[m - 1], y + 543);
}

static void page_headers(struct http_request *req)
{
    http_add_header(req, "Content-Security-Policy", page_frame_csp());
    /* same-origin: our own POST carries an Origin header (checked below); other sites still get
     * no Referer with the token in it */
    http_add_header(req, "Referrer-Policy", "same-origin");
    /* every respondent page is sent gzip-coded or not by the request's Accept-Encoding */
    http_add_header(req, "Vary", "Accept-Encoding");
}

/* Pages smaller than this go uncompressed: the gzip framing would eat most of the gain. */
#define GZIP_MIN_BYTES 1400

/* Compression and BREACH (README, "Compressed pages"). BREACH needs a secret and text an
 * attacker chooses in the same compressed body. A respondent page reflects nothing an attacker
 * chooses: the agency's name and dates come from the database, a 422 form shows the answers of a
 * POST that only our own origin can make (start() refuses any other Origin with 403 before
 * anything is read) and those are radio levels, not text; the path is the link itself, so whoever
 * chose it knows it already. The secrets a page holds (the form token; a personal link's token in
 * the form's action) are thus never compressed together with attacker text. The cached blank forms
 * go further: the token, and a personal link's address, are stored blocks (send_parts), outside
 * every compressed piece. */
static void send_page(struct http_request *req, int status, struct strbuf *page)
{
    page_headers(req);
    struct strbuf z;
    strbuf_init(&z);
    if (page->len >= GZIP_MIN_BYTES && http_accepts_gzip(req) &&
        gz_compress(&z, page->data, page->len, 6)) {
        http_add_header(req, "Content-Encoding", "gzip");
        http_respond(req, status, "text/html; charset=utf-8", z.data, z.len);
    } else {
        http_respond(req, status, "text/html; charset=utf-8", page->data, page->len);
    }
    strbuf_free(&z);
    strbuf_free(page);
}

/* A cached blank form with this request's token (and, on a personal link's shared entry, its
 * address) spliced in, written straight behind the response head in one contiguous piece
 * (http_respond_parts); gzip-coded, the page's parts were deflated once with the entry and the
 * spliced values go between them as stored blocks. */
static void send_parts(struct http_request *req, int status, const struct page_parts *pp,
                       const char *token)
{
    page_headers(req);
    struct gz_splice gz;
    struct gz_span plain[5];
    const struct gz_span *spans = plain;
    size_t n = 0;
    if (http_accepts_gzip(req) && page_parts_gzip(pp, req->path, token, &gz)) {
        http_add_header(req, "Content-Encoding", "gzip");
        spans = gz.spans;
        n = gz.n_spans;
    } else {
        n = page_parts_spans(pp, req->path, token, plain);
    }
    struct http_part parts[sizeof gz.spans / sizeof gz.spans[0]];
    for (size_t i = 0; i < n; i++)
        parts[i] = (struct http_part){spans[i].data, spans[i].len};
    http_respond_parts(req, status, "text/html; charset=utf-8", parts, n);
}

static void send_status(struct http_request *req, struct survey *sv, enum page_kind kind,
                        int status)
{
    struct strbuf page;
    strbuf_init(&page);
    struct status_view view = {
        .kind = kind,
        .agency_name_th = sv ? sv->agency_name : NULL,
        .fiscal_year = sv ? sv->fiscal_year : 0,
        .when_th = NULL,
    };
    if (sv && kind == PAGE_NOT_OPEN)
        view.when_th = thai_date(req, sv->opens);
    if (sv && kind == PAGE_CLOSED)
        view.when_th = thai_date(req, sv->closes);
    if (kind == PAGE_UNAVAILABLE || kind == PAGE_RATE_LIMITED)
        http_add_header(req, "Retry-After", "5");
    pages_status(&page, &view);
    send_page(req, status ? status : pages_status_code(kind), &page);
}

/* Answers 429 with the Thai page and when to try again. */
static void send_rate_limited(struct http_request *req, enum rl_result why, double retry)
{
    METRIC_INC(req->worker->metrics.rate_limited);
    char ra[16];
    snprintf(ra, sizeof ra, "%d", why == RL_FULL ? 60 : (int)retry + 1);
    http_add_header(req, "Retry-After", ra);
    struct strbuf p;
    strbuf_init(&p);
    struct status_view view = {.kind = PAGE_RATE_LIMITED};
    pages_status(&p, &view);
    send_page(req, 429, &p);
}

static void send_form(struct http_request *req, struct survey *sv, bool show_errors,
                      const char *notice, int status)
{
    char token[FORM_TOKEN_CHARS + 1];
    if (!form_token_make(&req->worker->srv->secret, sv->key, (int64_t)time(NULL), token,
                         sizeof token)) {
        send_status(req, sv, PAGE_UNAVAILABLE, 503);
        return;
    }
    struct strbuf page;
    strbuf_init(&page);
    struct form_view fv = {
        .v = sv->v,
        .instrument = sv->instrument,
        .agency_name_th = sv->agency_name,
        .action = req->path,
        .form_token = token,
        .answers = sv->answers,
        .show_errors = show_errors,
        .notice_th = notice,
        .k = req->worker->srv->cfg.results_min_responses,
    };
    /* A public link's blank form is the same for everyone but the token, a personal link's but
     * the token and its address: from the cache. */
    if (!show_errors && !notice && !sv->answers && page_cache_token_ok(token) &&
        page_cache_token_ok(req->path)) {
        struct page_cache *pc = app_worker_of(req->worker)->pages;
        const struct page_parts *pp = sv->kind == SV_PUBLIC
                                          ? page_cache_form(pc, &fv, sv->revision)
                                          : page_cache_form_any_action(pc, &fv, sv->revision);
        if (pp) {
            strbuf_free(&page);
            send_parts(req, status, pp, token);
            return;
        }
    }
    pages_form(&page, &fv);
    send_page(req, status, &page);
}

/* ---- instrument versions, cached per worker ---- */

static const struct ita_version *cached_version(struct app_worker *w, int year, int revision)
{
    for (size_t i = 0; i < sizeof w->versions / sizeof w->versions[0]; i++)
        if (w->versions[i].fiscal_year == year && w->versions[i].revision == revision)
            return w->versions[i].v;
    return NULL;
}

/* Keeps v (consumed) for year/revision; a replaced version is retired, not freed, because a
 * request that borrowed it may still be waiting on the database. */
static void cache_version(struct app_worker *w, int year, int revision, struct ita_version *v)
{
    size_t n = sizeof w->versions / sizeof w->versions[0], slot = n;
    for (size_t i = 0; i < n && slot == n; i++)
        if (w->versions[i].fiscal_year == year || w->versions[i].fiscal_year == 0)
            slot = i;
    if (slot == n)
        slot = (size_t)year % n;
    if (w->versions[slot].v) {
        w->retired = xreallocarray(w->retired, w->n_retired + 1, sizeof *w->retired);
        w->retired[w->n_retired++] = w->versions[slot].v;
    }
    w->versions[slot].fiscal_year = year;
    w->versions[slot].revision = revision;
    w->versions[slot].v = v;
}

/* ---- the state machine ---- */

static void step(struct http_request *req, const struct db_result *r);

static struct survey *survey_of(struct http_request *req)
{
    return (struct survey *)req->handler_state;
}

static void run(struct http_request *req, const struct db_statement *stmt,
                const char *const *params)
{
    if (!http_db_try(req, stmt, params, NULL, step)) {
        struct survey *sv = survey_of(req);
        send_status(req, sv->agency_name ? sv : NULL, PAGE_UNAVAILABLE, 503);
    }
}

static void lookup(struct http_request *req, struct survey *sv, enum survey_state state)
{
    sv->state = state;
    const char *p[LINK_BY_SLUG_NPARAMS];
    p[LINK_BY_SLUG_P_SLUG] = sv->kind == SV_PUBLIC ? sv->key : sv->hash_param; /* or P_TOKEN_HASH */
    run(req, sv->kind == SV_PUBLIC ? &sql_link_by_slug : &sql_link_by_token, p);
}

/* Why a link cannot take answers now; PAGE_THANKS when it can. */
static enum page_kind link_state(const struct survey *sv)
{
    if (sv->revoked)
        return PAGE_REVOKED;
    if (sv->not_open)
        return PAGE_NOT_OPEN;
    if (sv->closed)
        return PAGE_CLOSED;
    if (sv->spent)
        return PAGE_ALREADY_ANSWERED;
    return PAGE_THANKS;
}

/* Monotonic milliseconds at the start of the request, the link cache's clock. */
static int64_t req_ms(const struct http_request *req)
{
    return (int64_t)req->t_start.tv_sec * 1000 + req->t_start.tv_nsec / 1000000;
}

/* The same in seconds, the rate limiters' clock. */
static double req_seconds(const struct http_request *req)
{
    return (double)req->t_start.tv_sec + (double)req->t_start.tv_nsec / 1e9;
}

/* Takes a link row (from the database or the cache) into the request; the name is copied. */
static void apply_link(struct http_request *req, struct survey *sv, const struct link_row *row)
{
    sv->link_id = row->link_id;
    sv->fiscal_year = row->fiscal_year;
    sv->instrument = row->instrument;
    sv->agency_name = arena_strndup(&req->arena, row->agency_name, strlen(row->agency_name));
    sv->revision = row->revision;
    sv->revoked = row->revoked;
    sv->not_open = row->not_open;
    sv->closed = row->closed;
    memcpy(sv->opens, row->opens, sizeof sv->opens);
    memcpy(sv->closes, row->closes, sizeof sv->closes);
}

/* Reads the link row of a lookup; a public link's row is kept in the worker's cache. */
static void read_link(struct http_request *req, struct survey *sv, PGresult *res)
{
    struct link_row row = {
        .link_id = (int)db_int(res, 0, LINK_ID),
        .fiscal_year = (int)db_int(res, 0, LINK_YEAR),
        .instrument = strcmp(db_text(res, 0, LINK_INSTRUMENT), "IIT") == 0 ? ITA_IIT : ITA_EIT,
        .agency_name = db_text(res, 0, LINK_AGENCY_NAME),
        .revision = (int)db_int(res, 0, LINK_REVISION),
        .revoked = db_bool(res, 0, LINK_REVOKED) || db_bool(res, 0, LINK_TOKEN_REVOKED),
        .not_open = db_bool(res, 0, LINK_NOT_OPEN),
        .closed = db_bool(res, 0, LINK_CLOSED),
    };
    snprintf(row.opens, sizeof row.opens, "%s", db_text(res, 0, LINK_OPENS));
    snprintf(row.closes, sizeof row.closes, "%s", db_text(res, 0, LINK_CLOSES));
    apply_link(req, sv, &row);
    sv->spent = db_bool(res, 0, LINK_SPENT);
    if (sv->kind == SV_PUBLIC)
        link_cache_put(app_worker_of(req->worker)->links, sv->key, &row, req_ms(req));
}

/* Checks the posted form against the instrument (answers.h); fills sv->answers. Returns the
 * number of unanswered fields, or -1 after answering 400 for a tampered or malformed form. */
static int read_answers(struct http_request *req, struct survey *sv, const struct form_data *form)
{
    const struct ita_survey *s = &sv->v->surveys[sv->instrument];
    sv->answers = arena_alloc(&req->arena, s->n_fields * sizeof *sv->answers);
    int missing = survey_answers_read(sv->v, sv->instrument, form, NULL, sv->answers);
    if (missing < 0)
        send_status(req, sv, PAGE_BAD_REQUEST, 400);
    return missing;
}

/* The group commit answered this submission (after its COMMIT). */
static void submitted(const struct db_result *r, void *arg)
{
    struct http_request *req = arg;
    struct survey *sv = survey_of(req);
    sv->pending = NULL;
    req->on_gone = NULL;
    step(req, r);
}

/* The client left while its submission waited in the group commit. */
static void survey_gone(struct http_request *req)
{
    struct survey *sv = survey_of(req);
    submit_entry_cancel(sv->pending);
    sv->pending = NULL;
}

static void submit(struct http_request *req, struct survey *sv)
{
    struct form_data *form = arena_alloc(&req->arena, sizeof *form);
    size_t blen = evbuffer_get_length(req->body);
    const char *body = (const char *)evbuffer_pullup(req->body, -1);
    const char *why;
    if (form_parse(body ? body : "", blen, &req->arena, form, &why) != 0) {
        log_debug("event=bad_form w=%d reason=\"%s\"", req->worker->id, why);
        send_status(req, sv, PAGE_BAD_REQUEST, 400);
        return;
    }
    int missing = read_answers(req, sv, form);
    if (missing < 0)
        return;
    const struct server *srv = req->worker->srv;
    enum form_token_check tc =
        form_token_check(&srv->secret, sv->key, form_get(form, PAGES_FORM_TOKEN_FIELD),
                         (int64_t)time(NULL), srv->cfg.form_max_age_s, sv->nonce_hash);
    if (tc == FORM_TOKEN_INVALID) {
        send_status(req, sv, PAGE_BAD_REQUEST, 400);
        return;
    }
    if (tc == FORM_TOKEN_EXPIRED) {
        send_form(req, sv, missing > 0,
                  "แบบฟอร์มนี้เปิดไว้นานเกินไป คำตอบของท่านยังอยู่ครบ กรุณาตรวจสอบแล้วกด \"ส่งคำตอบ\" อีกครั้ง",
                  422);
        return;
    }
    if (missing > 0) {
        send_form(req, sv, true, NULL, 422);
        return;
    }
    /* Valid: the link exists and takes answers, the form and its token check out. Only now is
     * the link's bucket charged (start() looked at it without taking). */
    double retry = 0;
    enum rl_result rl = ratelimit_take(app_worker_of(req->worker)->rl_link, sv->key,
                                       strlen(sv->key), req_seconds(req), &retry);
    if (rl != RL_ALLOW) {
        send_rate_limited(req, rl, retry);
        return;
    }
    const struct ita_survey *s = &sv->v->surveys[sv->instrument];
    char *answers_hex = arena_alloc(&req->arena, 3 + 2 * s->n_fields);
    answers_hex[0] = '\\';
    answers_hex[1] = 'x';
    for (size_t i = 0; i < s->n_fields; i++)
        snprintf(answers_hex + 2 + 2 * i, 3, "%02x", sv->answers[i]);
    char nonce_param[2 + 2 * TOKEN_HASH_BYTES + 1] = "\\x";
    secret_hex(sv->nonce_hash, TOKEN_HASH_BYTES, nonce_param + 2);
    char link_param[16];
    snprintf(link_param, sizeof link_param, "%d", sv->link_id);
    sv->state = SV_SUBMIT;
    const char *p[SUBMIT_NPARAMS];
    p[SUBMIT_P_KEY] = sv->kind == SV_PUBLIC ? link_param : sv->hash_param;
    p[SUBMIT_P_NONCE] = nonce_param;
    p[SUBMIT_P_ANSWERS] = answers_hex;
    sv->pending = submit_batch_exec(
        app_worker_of(req->worker)->batch,
        sv->kind == SV_PUBLIC ? &sql_submit_public : &sql_submit_personal, p, submitted, req);
    req->on_gone = survey_gone;
}

/* The link row is known and the version loaded: show the form or take the submission. */
static void proceed(struct http_request *req, struct survey *sv)
{
    enum page_kind st = link_state(sv);
    /* A used personal link still takes a POST as far as the statement: if this very form was
     * the one stored (a refresh after success), the answer is "thank you", not "already used". */
    if (st != PAGE_THANKS && !(sv->posting && st == PAGE_ALREADY_ANSWERED)) {
        send_status(req, sv, st, 0);
        return;
    }
    if (sv->posting)
        submit(req, sv);
    else
        send_form(req, sv, false, NULL, 200);
}

/* The link row is known: load the instrument version if this worker has not, then proceed. */
static void link_known(struct http_request *req, struct survey *sv)
{
    sv->v = cached_version(app_worker_of(req->worker), sv->fiscal_year, sv->revision);
    if (!sv->v && (link_state(sv) == PAGE_THANKS ||
                   (sv->posting && link_state(sv) == PAGE_ALREADY_ANSWERED))) {
        sv->state = SV_VERSION;
        char year[16];
        snprintf(year, sizeof year, "%d", sv->fiscal_year);
        const char *p[VERSION_DOC_NPARAMS];
        p[VERSION_DOC_P_YEAR] = year;
        run(req, &sql_version_doc, p);
        return;
    }
    proceed(req, sv);
}

static void step(struct http_request *req, const struct db_result *r)
{
    struct survey *sv = survey_of(req);
    if (!r->ok) {
        if (!r->unavailable) {
            char q[600];
            log_quote(q, sizeof q, r->error ? r->error : "");
            log_error("event=survey_db_error w=%d state=%d error=%s", req->worker->id, sv->state,
                      q);
        }
        send_status(req, sv->agency_name ? sv : NULL, PAGE_UNAVAILABLE, 503);
        return;
    }
    switch (sv->state) {
    case SV_LOOKUP:
        if (PQntuples(r->res) != 1) {
            send_status(req, NULL, PAGE_NOT_FOUND, 0);
            return;
        }
        read_link(req, sv, r->res);
        link_known(req, sv);
        return;
    case SV_VERSION: {
        if (PQntuples(r->res) != 1) {
            send_status(req, sv, PAGE_UNAVAILABLE, 503);
            return;
        }
        char *err = NULL;
        struct ita_version *v = ita_version_load_string(
            db_text(r->res, 0, VERSION_DOC_DOCUMENT),
            (size_t)db_len(r->res, 0, VERSION_DOC_DOCUMENT), "stored version", &err);
        if (!v) {
            log_error("event=version_unloadable year=%d error=\"%s\"", sv->fiscal_year, err);
            free(err);
            send_status(req, sv, PAGE_UNAVAILABLE, 503);
            return;
        }
        int revision = (int)db_int(r->res, 0, VERSION_DOC_REVISION);
        cache_version(app_worker_of(req->worker), sv->fiscal_year, revision, v);
        sv->v = v;
        proceed(req, sv);
        return;
    }
    case SV_SUBMIT: {
        bool link_ok = db_bool(r->res, 0, SUBMIT_LINK_OK);
        bool stored = db_bool(r->res, 0, SUBMIT_STORED);
        if (stored || (sv->kind == SV_PUBLIC && link_ok)) {
            /* stored now, or this very form was stored before (a refresh or a second tap) */
            send_status(req, sv, PAGE_THANKS, 200);
            return;
        }
        if (sv->kind == SV_PERSONAL) {
            sv->state = SV_RECHECK;
            char nonce_param[2 + 2 * TOKEN_HASH_BYTES + 1] = "\\x";
            secret_hex(sv->nonce_hash, TOKEN_HASH_BYTES, nonce_param + 2);
            const char *p[NONCE_USED_NPARAMS];
            p[NONCE_USED_P_NONCE] = nonce_param;
            run(req, &sql_nonce_used, p);
            return;
        }
        lookup(req, sv, SV_STATUS);
        return;
    }
    case SV_RECHECK:
        if (db_bool(r->res, 0, NONCE_USED_USED)) {
            send_status(req, sv, PAGE_THANKS, 200);
            return;
        }
        lookup(req, sv, SV_STATUS);
        return;
    case SV_STATUS: {
        if (PQntuples(r->res) != 1) {
            if (sv->kind == SV_PUBLIC)
                link_cache_forget(app_worker_of(req->worker)->links, sv->key);
            send_status(req, NULL, PAGE_NOT_FOUND, 0);
            return;
        }
        read_link(req, sv, r->res);
        enum page_kind st = link_state(sv);
        /* the window closed or the link was withdrawn between the lookup and the submission */
        send_status(req, sv, st == PAGE_THANKS ? PAGE_UNAVAILABLE : st, 0);
        return;
    }
    }
    abort();
}

static void start(struct http_request *req, enum survey_kind kind, bool posting)
{
    const char *key = req->path + 3; /* after "/s/" or "/t/" */
    if (kind == SV_PUBLIC ? !secret_is_slug(key) : !secret_is_personal_token(key)) {
        send_status(req, NULL, PAGE_NOT_FOUND, 0);
        return;
    }
    if (posting) {
        /* POSTs must come from our own pages: a same-origin Origin header (browsers send it on
         * form posts), or failing that a same-origin Referer */
        if (!http_same_origin(req, true)) {
            send_status(req, NULL, PAGE_BAD_REQUEST, 403);
            return;
        }
        /* abuse control before any database work: every POST is charged to its client address
         * (an IPv6 client by its /64); the link's bucket is only looked at here and charged in
         * submit(), once the submission has proved valid, so junk sent to a link can never
         * use up the link's budget and turn its real respondents away */
        double now_s = req_seconds(req);
        double retry = 0;
        struct app_worker *aw = app_worker_of(req->worker);
        unsigned char ipkey[RL_ADDR_KEY_MAX];
        size_t ipkey_len = ratelimit_addr_key(req->peer_ip, req->peer_ip_len, ipkey);
        enum rl_result a = ratelimit_take(aw->rl_ip, ipkey, ipkey_len, now_s, &retry);
        enum rl_result b =
            a == RL_ALLOW ? ratelimit_peek(aw->rl_link, key, strlen(key), now_s, &retry) : a;
        if (b != RL_ALLOW) {
            send_rate_limited(req, b, retry);
            return;
        }
        const struct http_header *ct = http_head_find(&req->head, "content-type");
        static const char form_type[] = "application/x-www-form-urlencoded";
        if (!ct || ct->value_len < sizeof form_type - 1 ||
            strncasecmp(ct->value, form_type, sizeof form_type - 1) != 0) {
            send_status(req, NULL, PAGE_BAD_REQUEST, 415);
            return;
        }
    }
    struct survey *sv = arena_alloc(&req->arena, sizeof *sv);
    memset(sv, 0, sizeof *sv);
    sv->kind = kind;
    sv->posting = posting;
    sv->key = key;
    if (kind == SV_PERSONAL) {
        secret_hmac(&req->worker->srv->secret, SECRET_LABEL_TOKEN, key, strlen(key),
                    sv->token_hash);
        memcpy(sv->hash_param, "\\x", 2);
        secret_hex(sv->token_hash, TOKEN_HASH_BYTES, sv->hash_param + 2);
    }
    req->handler_state = sv;
    const struct link_row *row =
        kind == SV_PUBLIC ? link_cache_get(app_worker_of(req->worker)->links, key, req_ms(req))
                          : NULL;
    if (row) {
        apply_link(req, sv, row);
        link_known(req, sv);
        return;
    }
    lookup(req, sv, SV_LOOKUP);
}

void handle_public_get(struct http_request *req)
{
    start(req, SV_PUBLIC, false);
}

void handle_public_post(struct http_request *req)
{
    start(req, SV_PUBLIC, true);
}

void handle_personal_get(struct http_request *req)
{
    start(req, SV_PERSONAL, false);
}

void handle_personal_post(struct http_request *req)
{
    start(req, SV_PERSONAL, true);
}
