/* /admin/year: an agency's fiscal year — the survey window, the populations the minimum samples
 * come from, and the year's public IIT and EIT links with their QR codes and posters (created on
 * the first save, their window moved on later saves). */
#define _GNU_SOURCE /* strptime, timegm */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "setup_sql.h"
#include "year_view.h"
#include "log.h"
#include "secret.h"
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum year_state {
    YEAR_RESOLVED = SETUP_RESOLVED, /* the agency and its year are known */
    YEAR_SAVED,                     /* sql_year_save answered */
    YEAR_RELOADED,                  /* the saved settings resolved again (API answer) */
};

/* ---- /admin/year ---- */

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
    return doc;
}

/* The settings: JSON for API tokens (404 before the year is set), else the page. */
static void year_show(struct http_request *req, struct setup *s, const struct db_result *r)
{
    if (s->u->api && !s->year_set) {
        setup_fail(req, s, 404, "ยังไม่ได้ตั้งค่าปีงบประมาณนี้ของหน่วยงาน");
        return;
    }
    const char *saved = admin_query_str(req, "saved");
    struct year_page y = {.csrf = setup_csrf(req, s), .saved = saved && !strcmp(saved, "1")};
    for (int k = 0; k < 2; k++) {
        y.min_sample[k] = setup_min_sample(s, k);
        y.url[k] = setup_link_url(req, s, k);
    }
    setup_answer(req, s, year_json(req, s), arena_sprintf(&req->arena, "ตั้งค่าปีงบประมาณ %s", s->fy),
                 year_view, &y);
}

void admin_year(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {[YEAR_RESOLVED] = year_show};
    setup_resolve(req, u, false, SETUP_STEPS(steps));
}

/* ---- POST /admin/year ---- */

/* YYYY-MM-DD (Common Era) into t; false when malformed or not a real date. */
static bool parse_day(const char *v, struct tm *t)
{
    if (!v || strlen(v) != 10 || v[4] != '-' || v[7] != '-')
        return false;
    memset(t, 0, sizeof *t);
    char *end = strptime(v, "%Y-%m-%d", t);
    if (!end || *end)
        return false;
    struct tm check = *t;
    check.tm_hour = 12;
    time_t x = timegm(&check);
    struct tm back;
    gmtime_r(&x, &back);
    return back.tm_mday == t->tm_mday && back.tm_mon == t->tm_mon && t->tm_year >= 100 &&
           t->tm_year < 200;
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

/* Checks the posted settings and saves them. */
static void year_save(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct tm o, c;
    const char *opens = setup_param(req, s, "opens_on"), *closes = setup_param(req, s, "closes_on");
    if (!parse_day(opens, &o) || !parse_day(closes, &c)) {
        setup_fail(req, s, 400,
                   "วันเปิดและวันปิดรับคำตอบต้องเป็นวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2024-01-15");
        return;
    }
    double days = difftime(timegm(&c), timegm(&o)) / 86400.0;
    if (days < 0 || days > 366) {
        setup_fail(req, s, 400, "วันปิดรับคำตอบต้องไม่ก่อนวันเปิด และช่วงเวลาต้องไม่เกิน 1 ปี");
        return;
    }
    const char *staff, *eit;
    if (!population_param(req, s, "staff_population", s->population[0], &staff) ||
        !population_param(req, s, "eit_population", s->population[1], &eit)) {
        setup_fail(req, s, 400, "จำนวนบุคลากรและจำนวนผู้มีส่วนได้ส่วนเสียต้องเป็นตัวเลขจำนวนเต็ม (หรือเว้นว่าง)");
        return;
    }
    if (!s->version_exists) {
        setup_fail(req, s, 409,
                   "ยังไม่มีแบบสำรวจของปีงบประมาณนี้ในระบบ ผู้ดูแลระบบต้องโหลดแบบสำรวจก่อน "
                   "(หน้าแบบวัด หรือ itad --load-instruments)");
        return;
    }
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
    static const setup_step steps[] = {
        [YEAR_RESOLVED] = year_save, [YEAR_SAVED] = year_saved, [YEAR_RELOADED] = year_show};
    setup_resolve(req, u, false, SETUP_STEPS(steps));
}
