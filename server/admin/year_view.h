/* The year settings page (year_view.c): a pure function of the resolved year. */
#ifndef ITA_YEAR_VIEW_H
#define ITA_YEAR_VIEW_H

#include "admin_setup.h"
#include "strbuf.h"

#include <stdbool.h>

struct year_page {
    const char *csrf;
    bool saved;         /* just saved: say so */
    long min_sample[2]; /* IIT, EIT */
    const char *url[2]; /* the public links, NULL when none */
};

/* The page body after its header (model: struct year_page): settings form, minimum samples,
 * links with posters. */
void year_view(struct strbuf *p, const struct setup *s, const void *model);

#endif
