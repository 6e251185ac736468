/* The OIT work pages' model and HTML (oit_work_view.c): the rows of sql_oit_items read once, the
 * year's overview (summary counts, filters, one card per item grouped by sub-indicator), one
 * item's page (its form, evidence URLs with their verdicts, history) and the Thai sentence of
 * each history entry. Every text from the database is escaped. */
#ifndef ITA_OIT_WORK_VIEW_H
#define ITA_OIT_WORK_VIEW_H

#include "oit_work.h"

#include <libpq-fe.h>

struct oit_row {
    const char *code, *sub_code, *sub_name, *title;
    const char *requirements, *suggested; /* lines ("" none) */
    const char *state, *due_on, *note;
    const char *units, *unit_ids, *urls; /* lines; ids comma-separated */
    const char *updated, *updated_by;
    long n_urls, n_failed, n_checked;
    int st;    /* enum oit_state */
    bool late; /* due before today and not published */
};

/* The rows of sql_oit_items (strings in the arena); today is YYYY-MM-DD. */
struct oit_row *oit_rows_read(struct arena *a, const PGresult *res, const char *today, size_t *n);
/* Whether unit id (decimal) is among row's units. */
bool oit_row_has_unit(const struct oit_row *row, const char *id);

struct oit_filter {
    int state;        /* enum oit_state, -1: any */
    const char *unit; /* unit id, "" any */
    bool late, broken;
};

struct oit_overview_model {
    const struct oit_row *rows;
    size_t n;
    struct oit_filter f;
    const struct oit_table *units; /* sql_oit_units rows */
    const char *csrf;
    const char *notice; /* Thai, after copying or the suggested units, or NULL */
};
void oit_overview_view(struct strbuf *p, const struct oreq *o, const struct oit_overview_model *m);

/* What the item form shows: the stored values, or what was typed when a save was refused. */
struct oit_item_form {
    const char *state, *due_on, *note;
    const char *unit_ids; /* comma-separated */
    const char *url;      /* the URL being added */
};
struct oit_item_model {
    const struct oit_row *row;
    const struct oit_table *units, *evidence,
        *history; /* sql_oit_units, _evidence, _item_history */
    const char *csrf;
    struct oit_item_form form;
    const char *error;       /* Thai, or NULL */
    const char *error_field; /* "state", "due_on", "note", "url" or NULL */
    const char *done;        /* the change just made (op=), or NULL */
    struct arena *arena;     /* the request's, for what the page derives */
};
void oit_item_view(struct strbuf *p, const struct oreq *o, const struct oit_item_model *m);

/* The Thai sentence of one of an item's audit entries (action and its JSON detail), escaped. */
void oit_history_describe(struct strbuf *p, const char *action, const char *detail);

#endif
