/* The results page (/admin/results: an agency's scores with the OIT entry form; programs get the
 * agency's figures as the aggregates JSON) and the printable Thai report with its draft
 * improvement measures (/admin/report). The data steps are in results_steps.c. */
#include "results_handlers.h"
#include "results_job.h"
#include "results_page.h"
#include "o42_texts.h"
#include "app/page_frame.h"

#include <stdio.h>
#include <stdlib.h>

void results_render(struct rjob *j, const struct ita_version *v, const struct ita_version *prev_v)
{
    if (j->view == RV_PAGE) {
        results_page_scores(&j->body, v, &j->ag[0], j->k_min, j->csrf, j->history, j->n_history);
        return;
    }
    size_t nm = 0;
    struct results_measure *m = results_measures_parse(j->measures_json, &nm);
    struct results_report_in in = {
        .v = v,
        .a = &j->ag[0],
        .prev_v = prev_v,
        .prev = prev_v ? &j->prev[0] : NULL,
        .measures = m,
        .n_measures = nm,
        .k_min = j->k_min,
        .csrf = j->csrf[0] ? j->csrf : NULL,
        .history = j->history,
        .n_history = j->n_history,
    };
    /* the O42 texts form, with the defaults of the version the report is published under */
    struct strbuf texts_form;
    strbuf_init(&texts_form);
    struct ita_version *next_v = NULL;
    if (in.csrf) {
        char err[300];
        next_v = j->next_doc ? results_load_version(j->next_doc, err, sizeof err) : NULL;
        struct o42_texts t;
        o42_texts_parse(&t, j->texts_json);
        struct o42_in oi = {.v = v,
                            .year = v->fiscal_year,
                            .agency_name = j->ag[0].name_th,
                            .next_v = next_v,
                            .texts = &t};
        o42_figures_computed(&oi.fig, j->ag[0].res, j->ag[0].rated);
        o42_texts_form(&texts_form, &oi, j->ag[0].id, in.csrf, j->form_error);
        in.form_error = j->form_error;
        o42_texts_clear(&t);
        in.texts_form = texts_form.data;
    }
    results_report(&j->body, &in);
    ita_version_free(next_v);
    strbuf_free(&texts_form);
    results_measures_free(m, nm);
}

void results_send_view(struct http_request *req, struct rreq *rq)
{
    struct rjob *j = rq->job;
    if (rq->view == RV_REPORT) {
        http_add_header(req, "Content-Security-Policy", results_report_csp());
        http_add_header(req, "Referrer-Policy", "same-origin");
        http_respond(req, j->form_error ? 422 : 200, "text/html; charset=utf-8", j->body.data,
                     j->body.len);
    } else if (rq->u->api) {
        /* programs get the agency's figures as the aggregates JSON */
        http_respond(req, 200, "application/json; charset=utf-8", j->body.data, j->body.len);
    } else {
        struct strbuf p;
        strbuf_init(&p);
        admin_page_begin(&p, req, rq->u, j->ag[0].name_th);
        page_year_nav(&p, rq->agency_s, j->ag[0].name_th, (int)rq->year, PAGE_YEAR_RESULTS);
        admin_page_unverified(&p, rq->u, (int)rq->year, j->unverified);
        strbuf_append(&p, j->body.data, j->body.len);
        page_frame_finish(&p);
        admin_send_page(req, 200, &p);
    }
}

void admin_results(struct http_request *req, const struct admin_user *u)
{
    struct rreq *rq = results_rreq_new(req, u, RV_PAGE);
    if (!results_read_target(req, rq, false))
        return;
    /* programs: the same figures as an export, for one agency, not logged as an export */
    results_start(req, rq, u->api ? RV_EXPORT : RV_PAGE, u->api, false);
}

void admin_report(struct http_request *req, const struct admin_user *u)
{
    struct rreq *rq = results_rreq_new(req, u, RV_REPORT);
    if (results_read_target(req, rq, false))
        results_start(req, rq, RV_REPORT, false, false);
}

void results_report_again(struct http_request *req, const struct admin_user *u, long agency,
                          long year, const char *posted_texts, const char *form_error)
{
    struct rreq *rq = results_rreq_new(req, u, RV_REPORT);
    rq->agency = agency;
    rq->year = year;
    snprintf(rq->year_s, sizeof rq->year_s, "%ld", year);
    snprintf(rq->prev_s, sizeof rq->prev_s, "%ld", year - 1);
    snprintf(rq->agency_s, sizeof rq->agency_s, "%ld", agency);
    rq->posted_texts = posted_texts;
    rq->form_error = form_error;
    results_start(req, rq, RV_REPORT, false, false);
}
