/* /admin/progress: responses counted per instrument against the minimum sample, per day, and
 * personal-link uptake as counts (how many spent, never who). Responses are counted in groups of
 * at least k (results_min_responses) or when the window closes (sql/0007_anonymity.sql), so the
 * figures move in steps of at least k; whether some still wait is shown, not how many. Days are
 * the days groups were counted; a day with fewer than k (only possible while an agency has fewer
 * than k in all) shows no figure. */
#include "admin_handlers.h"
#include "admin_setup.h"
#include "progress_view.h"
#include "thai_date.h"
#include "setup_sql.h"
#include "db/db_row.h"
#include "server.h"

#include <stdlib.h>
#include <string.h>

enum progress_state {
    PROGRESS_RESOLVED = SETUP_RESOLVED, /* the agency and year are known */
    PROGRESS_COUNTED,                   /* sql_progress answered */
};

/* The figures of sql_progress's rows (request arena). */
static void progress_read(struct http_request *req, const struct setup *s, const PGresult *res,
                          struct progress_model *m)
{
    memset(m, 0, sizeof *m);
    m->k = req->worker->srv->cfg.results_min_responses;
    ita_today_iso(m->today, sizeof m->today);
    int n = PQntuples(res);
    for (int k = 0; k < 2; k++) {
        m->need[k] = setup_min_sample(s, k);
        m->days[k] = arena_alloc(&req->arena, sizeof *m->days[k] * (size_t)(n ? n : 1));
    }
    for (int i = 0; i < n; i++) {
        int k = strcmp(db_text(res, i, PROGRESS_INSTRUMENT), "IIT") == 0 ? 0 : 1;
        long count = (long)db_int(res, i, PROGRESS_COUNT);
        char kind = db_text(res, i, PROGRESS_KIND)[0];
        if (kind == 'w') {
            m->waiting[k] = count > 0;
        } else if (kind == 'd') {
            m->total[k] += count;
            m->days[k][m->ndays[k]++] = (struct progress_day){db_text(res, i, PROGRESS_DAY), count};
        } else {
            m->issued[k] = count;
            m->spent[k] = (long)db_int(res, i, PROGRESS_SPENT);
        }
    }
}

static json_t *progress_json(const struct setup *s, const struct progress_model *m)
{
    json_t *ins = json_object();
    for (int k = 0; k < 2; k++) {
        json_t *days = json_array();
        for (size_t i = 0; i < m->ndays[k]; i++) {
            const struct progress_day *d = &m->days[k][i];
            json_array_append_new(
                days,
                d->responses >= m->k
                    ? json_pack("{s:s, s:I}", "day", d->day, "responses", (json_int_t)d->responses)
                    : json_pack("{s:s, s:n, s:b}", "day", d->day, "responses", "fewer_than_k", 1));
        }
        json_object_set_new(ins, SETUP_INSTRUMENTS[k],
                            json_pack("{s:I, s:I, s:b, s:b, s:o, s:{s:I, s:I}}", "responses",
                                      (json_int_t)m->total[k], "min_sample", (json_int_t)m->need[k],
                                      "reached", m->total[k] >= m->need[k], "waiting",
                                      m->waiting[k], "by_day", days, "personal_links", "issued",
                                      (json_int_t)m->issued[k], "spent", (json_int_t)m->spent[k]));
    }
    return json_pack("{s:i, s:i, s:o}", "fiscal_year", atoi(s->fy), "k", m->k, "instruments", ins);
}

static void progress_ask(struct http_request *req, struct setup *s, const struct db_result *r)
{
    const char *p[PROGRESS_NPARAMS];
    p[PROGRESS_P_AGENCY] = s->agency_id;
    p[PROGRESS_P_YEAR] = s->fy;
    setup_run(req, s, &sql_progress, p, PROGRESS_COUNTED);
}

static void progress_counted(struct http_request *req, struct setup *s, const struct db_result *r)
{
    struct progress_model m;
    progress_read(req, s, r->res, &m);
    setup_answer(req, s, progress_json(s, &m),
                 arena_sprintf(&req->arena, "ความคืบหน้า ปีงบประมาณ %s", s->fy), progress_view, &m);
}

void admin_progress(struct http_request *req, const struct admin_user *u)
{
    static const setup_step steps[] = {
        [PROGRESS_RESOLVED] = progress_ask, [PROGRESS_COUNTED] = progress_counted};
    setup_resolve(req, u, false, SETUP_STEPS(steps));
}
