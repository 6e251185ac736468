/* The progress page (progress_view.c): a pure function of the figures the handler gathered. */
#ifndef ITA_PROGRESS_VIEW_H
#define ITA_PROGRESS_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

struct progress_day {
    const char *day; /* YYYY-MM-DD */
    long responses;
};

/* One agency's year: per instrument (0 IIT, 1 EIT). */
struct progress_model {
    int k; /* no per-day figure below this many responses (results_min_responses) */
    long total[2], need[2], issued[2], spent[2]; /* total: responses counted so far */
    bool waiting[2]; /* some responses wait to be counted (in groups of k, or at the close) */
    struct progress_day *days[2];
    size_t ndays[2];
    char today[16]; /* Thailand's date, YYYY-MM-DD: the survey window's state is seen from it */
};

/* The page body after its header (model: struct progress_model): the agency's links, the survey
 * window's state, each instrument's progress, the note. */
void progress_view(struct strbuf *p, const struct setup *s, const void *model);

#endif
