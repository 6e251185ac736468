/* The year settings page (year_view.c): a pure function of the resolved year and the page model. */
#ifndef ITA_YEAR_VIEW_H
#define ITA_YEAR_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

#include <stdbool.h>

/* The fields of the year form, in the order they appear. */
enum year_field { YF_OPENS, YF_CLOSES, YF_STAFF, YF_EIT, YF_COUNT };

struct year_page {
    const char *csrf;
    bool saved;         /* just saved: say so */
    long min_sample[2]; /* IIT, EIT */
    const char *url[2]; /* the public links, NULL when none */
    const char *today;  /* Thailand's date, YYYY-MM-DD: the window's state is seen from it */
    /* after a refused or unconfirmed post: the values as typed (NULL shows the saved value) and
     * each field's Thai error (NULL when the field is fine) */
    const char *typed[YF_COUNT];
    const char *error[YF_COUNT];
    unsigned
        warnings; /* ITA_WINDOW_PAST | ITA_WINDOW_OUTSIDE_FY: shown, saved only once confirmed */
    const char *opens_iso, *closes_iso; /* the typed window read, for the warnings */
    /* a year not set up yet: the agency's latest earlier set-up year the page offers to copy
     * (0 when none); once asked, its settings pre-fill the form (typed[]) and say so */
    int previous_fy;
    bool copied;
    const char *previous_opens, *previous_closes; /* copied: the earlier window, YYYY-MM-DD */
};

/* iso ("YYYY-MM-DD") moved by years, same day and month (29 February becomes 28 February in a
 * year without it), into out (size >= 11); false (out = "") when iso is not a valid date or the
 * year leaves 1..9999. */
bool year_shift_day(const char *iso, int years, char *out, size_t size);

/* The page body after its header (model: struct year_page): the survey's state, the settings
 * form, minimum samples, links with posters. */
void year_view(struct strbuf *p, const struct setup *s, const void *model);
/* The survey window's state on the day today, as a prominent line (id="window-state"). */
void year_view_window_state(struct strbuf *p, const struct setup *s, const char *today);

#endif
