/* /admin/year: an agency's fiscal year — the survey window (its state seen from Thailand's date,
 * dates typed the Thai way and checked against the fiscal year and today), the populations the
 * minimum samples come from, and the year's public IIT and EIT links with their QR codes and
 * posters (created on the first save, their window moved on later saves). A year not set up yet
 * offers the agency's latest earlier set-up: copied into the form (window shifted into this
 * fiscal year, populations), never saved until the clerk saves it with the usual checks. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "setup_sql.h"
#include "year_view.h"
#include "contact_list.h"
#include "db/db_row.h"
#include "thai_date.h"
#include "log.h"
#include "secret.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum year_state {
    YEAR_RESOLVED = SETUP_RESOLVED, /* the agency and its year are known */
    YEAR_SAVED,                     /* sql_year_save answered */
    YEAR_RELOADED,                  /* the saved settings resolved again (API answer) */
    YEAR_PREVIOUS,                  /* sql_year_previous answered (a year not set up yet) */
};

/* ---- /admin/year ---- */

/* What a post left for the answer: the window's warnings (API answers list them). */
struct year_post {
    unsigned warnings;
};

static json_t *year_json(struct http_request *req, const struct setup *s)
{
    json_t *links = json_object(), *mins = json_object();
    for (int k = 0; k < 2; k++) {
        json_object_set_new(mins, SETUP_INSTRUMENTS[k], json_integer(setup_min_sample(s, k)));
        if (s->link_id[k])
            json_object_set_new(links, SETUP_INSTRUMENTS[k],
                                json_pack("{s:I, s:s}", "id", (json_int_t)s->link_id[k], "url",
                                          setup_link_url(req, s, k)));
    }
    json_t *doc = json_pack(
        "{s:{s:I, s:s, s:s}, s:i, s:s, s:s, s:o, s:o, s:o, s:o}", "agency", "id",
        (json_int_t)atoll(s->agency_id), "code", s->code, "name_th", s->name, "fiscal_year",
        atoi(s->fy), "opens_on", s->opens_on, "closes_on", s->closes_on, "staff_population",
        s->population[0] < 0 ? json_null() : json_integer(s->population[0]), "eit_population",
        s->population[1] < 0 ? json_null() : json_integer(s->population[1]), "min_sample", mins,
        "links", links);
    if (!doc)
        abort();
    const struct year_post *post = s->page;
    if (post && post->warnings) { /* saved as asked; what a clerk would have confirmed */
        json_t *w = json_array();
        if (post->warnings & ITA_WINDOW_PAST)
            json_array_append_new(w, json_string("วันปิดรับคำตอบผ่านไปแล้ว แบบสำรวจปิดทันที"));
        if (post->warnings & ITA_WINDOW_OUTSIDE_FY)
            json_array_append_new(w, json_string("ช่วงเวลารับคำตอบไม่อยู่ในปีงบประมาณ"));
        json_object_set_new(doc, "warnings", w);
    }
    return doc;
}

/* The page model common to showing the page and answering a post on it. */
static void year_page_init(struct http_request *req, const struct setup *s, struct year_page *y,
                           char *today, size_t today_size)
{
    memset(y, 0, sizeof *y);
    y->csrf = setup_csrf(req, s);
    ita_today_iso(today, today_size);
    y->today = today;
    for (int k = 0; k < 2; k++) {
        y->min_sample[k] = setup_min_sample(s, k);
        y->url[k] = setup_link_url(req, s, k);
    }
}

static const char *year_title(struct http_request *req, const struct setup *s)
{
    return arena_sprintf(&req->arena, "ตั้งค่าปีงบประมาณ %s", s->fy);
}

/* The page, with the earlier set-up year prev offers (sql_year_previous, or NULL): when the
 * address asks copy=<that year>, its window shifted into this fiscal year and its populations
 * fill the form, unsaved. */
static void year_page_show(struct http_request *req, struct setup *s, const PGresult *prev)
{
    const char *saved = admin_query_str(req, "saved");
    struct year_page y;
    char today[16];
    year_page_init(req, s, &y, today, sizeof today);
    y.saved = saved && !strcmp(saved, "1");
    if (prev && PQntuples(prev) > 0) {
        y.previous_fy = atoi(db_text(prev, 0, YEAR_PREVIOUS_YEAR));
        const char *copy = admin_query_str(req, "copy");
        const char *opens = db_text(prev, 0, YEAR_PREVIOUS_OPENS_ON),
                   *closes = db_text(prev, 0, YEAR_PREVIOUS_CLOSES_ON);
        int years = atoi(s->fy) - y.previous_fy;
        char o[16], c[16], ot[32], ct[32];
        if (copy && setup_digits(copy, 4) && atoi(copy) == y.previous_fy &&
            year_shift_day(opens, years, o, sizeof o) &&
            year_shift_day(closes, years, c, sizeof c) && ita_thai_date_numeric(o, ot, sizeof ot) &&
            ita_thai_date_numeric(c, ct, sizeof ct)) {
            y.copied = true;
            y.previous_opens = arena_sprintf(&req->arena, "%s", opens);
            y.previous_closes = arena_sprintf(&req->arena, "%s", closes);
            y.typed[YF_OPENS] = arena_sprintf(&req->arena, "%s", ot);
            y.typed[YF_CLOSES] = arena_sprintf(&req->arena, "%s", ct);
            for (int k = 0; k < 2; k++) {
                int col = k ? YEAR_PREVIOUS_EIT_POPULATION : YEAR_PREVIOUS_STAFF_POPULATION;
                y.typed[YF_STAFF + k] =
                    db_null(prev, 0, col) ? ""
                                          : arena_sprintf(&req->arena, "%s", db_text(prev, 0, col));
            }
        }
    }
    setup_answer(req, s, year_json(req, s), year_title(req, s), year_view, &y);
}

/* The settings: JSON for API tokens (404 before the year is set), else the page (a year not set
 * up yet first looks for an earlier one to offer). */
static void year_show(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (s->u->api && !s->year_set) {
        setup_fail(req, s, 404, "ยังไม่ได้ตั้งค่าปีงบประมาณนี้ของหน่วยงาน");
        return;
    }
    if (!s->u->api && !s->year_set) {
        const char *p[YEAR_PREVIOUS_NPARAMS];
        p[YEAR_PREVIOUS_P_AGENCY] = s->agency_id;
        p[YEAR_PREVIOUS_P_YEAR] = s->fy;
        setup_run(req, s, &sql_year_previous, p, YEAR_PREVIOUS);
        return;
    }
    year_page_show(req, s, NULL);
}

static void year_previous(struct http_request *req, struct setup *s, const struct db_result *r)
{
    year_page_show(req, s, r->res);
}

void admin_year(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [YEAR_RESOLVED] = year_show, [YEAR_PREVIOUS] = year_previous};
    setup_resolve(req, u, false, SETUP_STEPS(steps));
}

/* ---- POST /admin/year ---- */

/* A date as a clerk types it (d/m/yyyy in Buddhist Era or CE, d-m-yyyy, d.m.yyyy, ISO
 * yyyy-mm-dd; Thai or Arabic digits; spaces around it ignored) as "YYYY-MM-DD" (arena); NULL with
 * *why a Thai reason. */
static const char *read_day(struct http_request *req, const char *v, const char **why)
{
    if (!v || !*(v += strspn(v, " \t"))) {
        *why = "กรุณากรอกวันที่ เช่น 1/11/2569";
        return NULL;
    }
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    /* Thai digits (U+0E50..U+0E59, three bytes each) become ASCII ones, '.' a '/' */
    char *t = arena_strndup(&req->arena, v, n), *o = t;
    for (const char *c = t; *c; c++) {
        if ((unsigned char)c[0] == 0xE0 && (unsigned char)c[1] == 0xB9 &&
            (unsigned char)c[2] >= 0x90 && (unsigned char)c[2] <= 0x99) {
            *o++ = (char)('0' + ((unsigned char)c[2] - 0x90));
            c += 2;
        } else {
            *o++ = *c == '.' ? '/' : *c;
        }
    }
    *o = '\0';
    struct ita_date d;
    const char *reason;
    if (n > 40 || ita_date_parse(t, &d, &reason) != 0) {
        *why = arena_sprintf(&req->arena,
                             "%s (กรอกเป็น วัน/เดือน/ปี พ.ศ. เช่น 1/11/2569 หรือ ปปปป-ดด-วว ค.ศ.)",
                             n > 40 ? "ยาวเกินไป" : reason);
        return NULL;
    }
    if (d.y < 2000 || d.y > 2099) { /* as the survey can be: 2543..2642 in Buddhist Era */
        *why = "ปีไม่ถูกต้อง ใช้ปี พ.ศ. เช่น 2569 (หรือ ค.ศ. เช่น 2026)";
        return NULL;
    }
    return arena_sprintf(&req->arena, "%04d-%02d-%02d", d.y, d.m, d.d);
}

/* The population field: absent keeps the stored value (current, -1 for none), "" clears it,
 * digits (at most 8) set it. out receives the parameter text or NULL; false when malformed. */
static bool population_param(struct http_request *req, const struct setup *s, const char *name,
                             long current, const char **out)
{
    const char *v = setup_param(req, s, name);
    if (!v) {
        *out = current >= 0 ? arena_sprintf(&req->arena, "%ld", current) : NULL;
        return true;
    }
    if (!*v) {
        *out = NULL;
        return true;
    }
    *out = v;
    return setup_digits(v, 8);
}

/* The year page again with what was typed, the errors beside their fields and the window's
 * warnings to confirm: 422 when something was refused, 200 when only a confirmation is asked. */
static void year_again(struct http_request *req, struct setup *s, struct year_page *y, int status)
{
    static const char *const names[YF_COUNT] = {"opens_on", "closes_on", "staff_population",
                                                "eit_population"};
    for (int f = 0; f < YF_COUNT; f++) {
        const char *v = setup_param(req, s, names[f]);
        y->typed[f] = v ? v : "";
    }
    struct strbuf p;
    setup_page_begin(&p, req, s, year_title(req, s));
    year_view(&p, s, y);
    setup_send_page(req, status, &p);
}

/* Checks the posted settings and saves them: a browser gets the page back with every problem
 * beside its field, and a window that is allowed but probably a mistake (closing day past,
 * outside the fiscal year) is saved only once confirmed; API tokens get the first problem as
 * JSON (400) and the warnings with the saved settings. */
static void year_save(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct year_page y;
    char today[16];
    year_page_init(req, s, &y, today, sizeof today);
    const char *why = NULL, *first = NULL;
    const char *opens = read_day(req, setup_param(req, s, "opens_on"), &why);
    if (!opens)
        first = y.error[YF_OPENS] = arena_sprintf(&req->arena, "วันเปิดรับคำตอบ: %s", why);
    const char *closes = read_day(req, setup_param(req, s, "closes_on"), &why);
    if (!closes) {
        y.error[YF_CLOSES] = arena_sprintf(&req->arena, "วันปิดรับคำตอบ: %s", why);
        first = first ? first : y.error[YF_CLOSES];
    }
    unsigned flags = opens && closes ? ita_window_check(opens, closes, today, atoi(s->fy)) : 0;
    if (flags & ITA_WINDOW_REFUSED) {
        char o[ITA_THAI_DATE_SIZE];
        ita_thai_date_short(opens, o, sizeof o);
        y.error[YF_CLOSES] =
            flags & ITA_WINDOW_REVERSED
                ? arena_sprintf(&req->arena, "วันปิดรับคำตอบต้องไม่ก่อนวันเปิด (วันเปิดคือ %s)", o)
                : "วันปิดรับคำตอบต้องไม่ก่อนวันเปิด และช่วงเวลาต้องไม่เกิน 1 ปี";
        first = first ? first : y.error[YF_CLOSES];
    }
    const char *staff, *eit;
    if (!population_param(req, s, "staff_population", s->population[0], &staff))
        y.error[YF_STAFF] = "จำนวนบุคลากรต้องเป็นตัวเลขจำนวนเต็ม ไม่เกิน 8 หลัก (หรือเว้นว่าง)";
    if (!population_param(req, s, "eit_population", s->population[1], &eit))
        y.error[YF_EIT] = "จำนวนผู้มีส่วนได้ส่วนเสียต้องเป็นตัวเลขจำนวนเต็ม ไม่เกิน 8 หลัก (หรือเว้นว่าง)";
    if (!first && (y.error[YF_STAFF] || y.error[YF_EIT]))
        first = "จำนวนบุคลากรและจำนวนผู้มีส่วนได้ส่วนเสียต้องเป็นตัวเลขจำนวนเต็ม (หรือเว้นว่าง)";
    if (first) {
        if (s->u->api)
            setup_fail(req, s, 400, first);
        else
            year_again(req, s, &y, 422);
        return;
    }
    if (!s->version_exists) {
        if (s->u->api)
            setup_fail(req, s, 409,
                       "ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ ผู้ดูแลระบบต้องโหลดแบบสำรวจก่อน "
                       "(ที่หน้า \"แบบวัด\" ของผู้ดูแลระบบ)");
        else
            year_again(req, s, &y, 409); /* the page says why at the top */
        return;
    }
    unsigned warnings = flags & ITA_WINDOW_WARNINGS;
    const char *confirm = setup_param(req, s, "confirm");
    unsigned confirmed = confirm && setup_digits(confirm, 2) ? (unsigned)atoi(confirm) : 0;
    if (!s->u->api && (warnings & ~confirmed)) {
        y.warnings = warnings;
        y.opens_iso = opens;
        y.closes_iso = closes;
        year_again(req, s, &y, 200);
        return;
    }
    struct year_post *post = arena_alloc(&req->arena, sizeof *post);
    post->warnings = warnings;
    s->page = post;
    char slug_iit[SLUG_CHARS + 2], slug_eit[SLUG_CHARS + 2];
    if (!secret_random_b64url(16, slug_iit) || !secret_random_b64url(16, slug_eit)) {
        http_respond_unavailable(req, "no random bytes");
        return;
    }
    const char *p[YEAR_SAVE_NPARAMS];
    p[YEAR_SAVE_P_AGENCY] = s->agency_id;
    p[YEAR_SAVE_P_YEAR] = s->fy;
    p[YEAR_SAVE_P_OPENS_ON] = opens;
    p[YEAR_SAVE_P_CLOSES_ON] = closes;
    p[YEAR_SAVE_P_STAFF_POPULATION] = staff;
    p[YEAR_SAVE_P_EIT_POPULATION] = eit;
    p[YEAR_SAVE_P_IIT_SLUG] = slug_iit;
    p[YEAR_SAVE_P_EIT_SLUG] = slug_eit;
    setup_run(req, s, &sql_year_save, p, YEAR_SAVED);
}

static void year_saved(struct http_request *req, struct setup *s, const struct db_result *r)
{
    log_info("event=year_saved w=%d admin=%d agency=%s fy=%s", req->worker->id, s->u->id,
             s->agency_id, s->fy);
    if (s->u->api) { /* answer with the saved settings */
        setup_reload(req, s, YEAR_RELOADED);
        return;
    }
    setup_redirect(req, arena_sprintf(&req->arena, "/admin/year?agency=%s&fy=%s&saved=1",
                                      s->agency_id, s->fy));
}

void admin_year_save(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[YEAR_RESOLVED] = year_save,
                                       [YEAR_SAVED] = year_saved,
                                       [YEAR_RELOADED] = year_show,
                                       [YEAR_PREVIOUS] = year_previous};
    setup_resolve(req, u, false, SETUP_STEPS(steps));
}
