/* The HTML of /admin/units (units_view.c): an agency's internal units in order, each with its
 * rename field and buttons (up, down, retire or restore, delete when no assignment uses it), the
 * add form, and a refused change's Thai message beside its field with the typed value kept. */
#ifndef ITA_UNITS_VIEW_H
#define ITA_UNITS_VIEW_H

#include "oit_work.h"

#include <libpq-fe.h>

struct units_model {
    const struct oit_table *units; /* sql_oit_units rows */
    const char *csrf;
    const char *error; /* Thai, or NULL */
    long error_unit;   /* the unit whose rename was refused; 0: the add form */
    const char *typed; /* what was typed into that field */
    const char *done;  /* the change just made (op=), or NULL */
};

void units_view(struct strbuf *p, const struct oreq *o, const struct units_model *m);

#endif
