/* The O42 report's editable texts on /admin/report (o42_texts.c): the form, written on the CPU
 * pool with the report. */
#ifndef ITA_O42_TEXTS_H
#define ITA_O42_TEXTS_H

#include "o42_doc.h"
#include "strbuf.h"

#define O42_MAX_STEPS 30       /* timetable rows */
#define O42_MAX_SUGGESTIONS 40 /* questions with a suggestion */

/* The form (not printed) with the texts the report prints now: the clerk's, else the defaults of
 * the version the report is published under (in->next_v, else in->v). */
void o42_texts_form(struct strbuf *o, const struct o42_in *in, int agency_id, const char *csrf,
                    const char *error);

/* d as the body of an HTML page: headings one level down (the title is the h1), tables with
 * their captions and header cells, the bar chart as a table of its figures. */
void o42_doc_html(struct strbuf *o, const struct doc *d);

#endif
