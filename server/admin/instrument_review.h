/* Reviewing an instrument version before it is published (pure C over jansson and core: no I/O;
 * it runs on the CPU pool): which of its items are not confirmed against NACC's manual, what the
 * loader's or the replacement rule's messages say line by line, and what publishing it would do
 * to the stored version of its year. Used by the instrument pages (instruments.c). */
#ifndef ITA_INSTRUMENT_REVIEW_H
#define ITA_INSTRUMENT_REVIEW_H

#include "instrument.h"

#include <stdbool.h>
#include <stddef.h>

/* One item marked "verified": false (or "note_verified": false). */
struct review_item {
    char *path;    /* JSON path in the document, e.g. "instruments[1].questions[0]" */
    char *what_th; /* what it is, in Thai, with its code: "คำถาม e1 (EIT)", "ตารางคะแนน P4" */
    char *source;  /* the item's own "source" or "note" (where the text comes from), or NULL */
};

/* One line of a message: a bulleted line ("  - ...") becomes an item of a list. */
struct review_line {
    char *text;  /* without the leading spaces and "- " */
    bool bullet; /* it was "- ..." */
};

enum review_outcome {
    REVIEW_NEW_YEAR,      /* no version of the year yet: publishing inserts revision 1 */
    REVIEW_UNCHANGED,     /* the same canonical text as the stored version: nothing to publish */
    REVIEW_CORRECTION,    /* the replacement rule allows it: revision + 1 */
    REVIEW_REFUSED,       /* the replacement rule refuses it: lines say why, in Thai */
    REVIEW_STORED_BROKEN, /* the stored version no longer loads: lines hold the loader's message */
};

/* Everything owned by the review; review_free releases it. */
struct review {
    struct review_item *items; /* unconfirmed items, in document order (see review_unverified) */
    size_t n_items;
    enum review_outcome outcome;
    struct review_line *lines; /* REFUSED, STORED_BROKEN: the explanation, line by line */
    size_t n_lines;
};

/* Lists the unconfirmed items of a version document (JSON text, such as the canonical JSON) into
 * r->items: every object with "verified": false and, as a second item of the same object,
 * every one with "note_verified": false (a question's note) — the rule of
 * ita_unverified_items() in sql/0008, so the count equals that column. Top-level parts in the order
 * point_maps, scales, instruments, oit, then the rest by name. Returns 0, or -1 when text is not a
 * JSON object. */
int review_unverified(struct review *r, const char *text, size_t len)
    __attribute__((warn_unused_result));

/* What publishing new_v (canonical SHA-256 new_sha) would do, given the stored version of its
 * year (stored_doc, stored_len, stored_sha; stored_doc NULL when the year has none) and which
 * instruments already have stored answers (has[ITA_IIT], [ITA_EIT], [ITA_OIT]). Sets
 * r->outcome and, when refused or broken, r->lines (the Thai part of the refusal when the
 * message has one). */
void review_decide(struct review *r, const struct ita_version *new_v, const char *new_sha,
                   const char *stored_doc, size_t stored_len, const char *stored_sha,
                   const bool has[ITA_N_INSTRUMENTS]);

/* The non-empty lines of msg (a loader error, possibly several lines); *n receives how many.
 * The caller frees them with review_lines_free. */
struct review_line *review_split_lines(const char *msg, size_t *n);
void review_lines_free(struct review_line *lines, size_t n);

void review_free(struct review *r);

#endif
