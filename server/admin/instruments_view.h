/* The HTML of the instrument-version pages (instruments_view.c): pure functions writing a page's
 * body (after admin_page_begin's frame) from the models below, which the handlers in
 * instruments.c and instrument_preview.c fill. */
#ifndef ITA_INSTRUMENTS_VIEW_H
#define ITA_INSTRUMENTS_VIEW_H

#include "admin_setup.h"
#include "instrument.h"
#include "instrument_review.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* One stored version (a row of sql_instrument_versions). */
struct version_row {
    int fiscal_year;
    const char *title;
    int revision;
    const char *loaded_on; /* YYYY-MM-DD */
    long questions[ITA_N_SURVEYS], fields[ITA_N_SURVEYS], oit_items;
    long unverified;                 /* items marked unconfirmed */
    bool answers[ITA_N_INSTRUMENTS]; /* which instruments have stored answers */
};

/* One draft (a row of sql_instrument_drafts). */
struct draft_row {
    long id;
    int fiscal_year;
    const char *title, *file_name, *uploaded_by, *uploaded_on;
    long unverified;
    int stored_revision; /* 0 when the year has no version */
};

/* /admin/instruments (model: struct instruments_list). */
struct instruments_list {
    const struct version_row *versions;
    size_t n_versions;
    const struct draft_row *drafts;
    size_t n_drafts;
    const char *csrf;
    const char *flash; /* what just happened (published, discarded), or NULL */
    /* an upload that failed to load: its file name and every line of the loader's message */
    const char *bad_file;
    const struct review_line *errors;
    size_t n_errors;
};
void instruments_view_list(struct strbuf *p, const struct setup *s, const void *model);

/* A draft after its review (model of the draft page and of the publishing confirmation). */
struct draft_page {
    long id;
    int fiscal_year;
    const char *file_name, *uploaded_by, *uploaded_on;
    const struct ita_version *v; /* the draft, loaded; NULL when it no longer loads */
    const struct review *review; /* its unconfirmed items and the decision against the year */
    const struct review_line *load_errors; /* v NULL: why */
    size_t n_load_errors;
    int stored_revision;         /* 0 when the year has no version */
    bool has[ITA_N_INSTRUMENTS]; /* which instruments of the year have stored answers */
    const char *csrf;
    const char *refusal; /* a publish just refused: the page says so first; NULL otherwise */
};
/* /admin/instruments/draft: the summary, every unconfirmed item, what publishing would do and
 * the buttons (previews, publish, discard). */
void instruments_view_draft(struct strbuf *p, const struct setup *s, const void *model);
/* GET /admin/instruments/publish: what publishing will do, and the button that does it. */
void instruments_view_confirm(struct strbuf *p, const struct setup *s, const void *model);

/* The answers of a preview, checked and not stored (model: struct preview_result). */
struct preview_result {
    const struct ita_version *v;
    enum ita_instrument instrument;
    const int *answers;     /* [v->surveys[instrument].n_fields] levels */
    const char *again_href; /* the preview form again (escaped by the view) */
    const char *back_href;  /* the draft or the list */
};
void instruments_view_preview_result(struct strbuf *p, const struct setup *s, const void *model);

/* What publishing would do, in Thai ("แก้ไขฉบับที่ใช้อยู่ได้", ...) and as the word the JSON
 * answer and the page's data-outcome use ("new", "unchanged", "correction", "refused",
 * "broken"). */
const char *instruments_outcome_th(enum review_outcome o);
const char *instruments_outcome_name(enum review_outcome o);

#endif
