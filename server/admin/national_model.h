/* The national view's model (national_model.c, pure C): every agency of a fiscal year as a compact
 * row, its derived state (minimum samples from the year's rule, days left in the window, reached
 * or not), the state and rating filters, the sort by any column, the totals and distributions of
 * the filtered set, and the page of it shown. The search is matched by the statement (escaped
 * ILIKE, national_sql.c), type and parent when the rows are read (national.c); everything that
 * needs the sample rule is filtered here, on the CPU pool, over the whole year's rows. */
#ifndef ITA_NATIONAL_MODEL_H
#define ITA_NATIONAL_MODEL_H

#include "sample_rule.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

#define NATIONAL_PAGE_SIZE 50
#define NATIONAL_LOW_DAYS 14 /* "below minimum with this many days left or fewer" */
#define NATIONAL_MAX_LEVELS 8
#define NATIONAL_SCORE_BINS 8

/* The state filter's choices (?state=<key>). */
enum national_state {
    NS_ALL,       /* every agency */
    NS_LOW14,     /* window open, NATIONAL_LOW_DAYS days left or fewer, IIT or EIT below minimum */
    NS_BELOW,     /* set up, IIT or EIT below its minimum */
    NS_REACHED,   /* set up, both minimums reached */
    NS_UNSET,     /* no set-up for the year */
    NS_OPEN,      /* window open today */
    NS_CLOSED,    /* window closed */
    NS_PUBLISHED, /* a result of the year is stored (agency_result) */
    NS_COUNT
};
struct national_choice {
    const char *key, *th;
};
extern const struct national_choice NATIONAL_STATES[NS_COUNT];

/* The sortable columns (?sort=<key>), in the table's order. */
enum national_col {
    NC_CODE,
    NC_NAME,
    NC_KIND,
    NC_PARENT,
    NC_IIT, /* share of the minimum reached, then responses */
    NC_EIT,
    NC_DAYS,   /* open windows by days left, then not yet open, closed, not set up */
    NC_OIT,    /* items assessed */
    NC_SCORE,  /* published total; none last */
    NC_RATING, /* the year's level order, the best level first ascending */
    NC_COUNT
};
extern const struct national_choice NATIONAL_COLS[NC_COUNT];

/* The window as the row shows it (core/thai_date.h's states). */
enum national_window {
    NW_UNSET,
    NW_NOT_OPEN,
    NW_OPEN,
    NW_CLOSED,
};

/* One agency of the year. Strings are borrowed (the statement's result copy). */
struct national_row {
    long id;
    const char *code, *name, *kind, *parent;
    bool set;                   /* has an agency_year row */
    const char *opens, *closes; /* YYYY-MM-DD, "" when not set */
    long population[2];         /* staff (IIT), outside (EIT); -1 when not entered */
    long responses[2];          /* counted responses, IIT and EIT */
    long oit;                   /* OIT items assessed */
    bool published;             /* a result of the year is stored */
    long total_c;               /* its total in hundredths (published only) */
    const char *total;          /* its total as stored ("87.50"), "" when none */
    const char *rating;         /* its grade or tier, "" when none */
    /* derived by national_derive */
    long need[2]; /* minimum samples */
    enum national_window window;
    long days; /* OPEN: days left (today and the closing day included); NOT_OPEN: days until
                  it opens; CLOSED: days since; UNSET: 0 */
    int level; /* index of rating among the year's levels, -1 when none or unknown */
};

/* The year's facts from its instrument version. */
struct national_year {
    int fy;
    struct ita_sample_rule rules[2];
    long oit_items;                          /* OIT items of the version */
    const char *levels[NATIONAL_MAX_LEVELS]; /* rating levels' Thai names, best first */
    size_t n_levels;
};

/* What is asked (all validated). */
struct national_query {
    enum national_state state;
    const char *rating; /* "" for any; else one of the year's levels */
    enum national_col sort;
    bool desc;
    long page; /* 1-based */
};

/* The filtered set's totals and distributions. */
struct national_totals {
    long agencies, set, reached, closed, published, open, low14;
    long per_level[NATIONAL_MAX_LEVELS]; /* published agencies per rating level */
    long other_level;                    /* published with a rating not among the levels */
    long bins[NATIONAL_SCORE_BINS];      /* published totals per NATIONAL_BIN_TH bin */
    long not_reached;                    /* set up and below a minimum */
};
extern const char *const NATIONAL_BIN_TH[NATIONAL_SCORE_BINS];

/* Derives need, window, days and level of every row on the day today (YYYY-MM-DD). */
void national_derive(struct national_row *rows, size_t n, const struct national_year *y,
                     const char *today);
/* Whether a derived row is in the state. */
bool national_in_state(const struct national_row *r, enum national_state st);
/* Both minimums reached (set up only). */
bool national_reached(const struct national_row *r);
/* Fills idx (n entries) with the indexes of the rows passing q's state and rating filters,
 * sorted by q's column and direction (code ascending breaks ties; rows without the sorted value
 * last in both directions), and returns how many; totals (may be NULL) of those rows. */
size_t national_select(const struct national_row *rows, size_t n, const struct national_query *q,
                       const struct national_year *y, size_t *idx, struct national_totals *t);
/* The key of a choice list entry, or -1 when s names none ("" is never a key). */
int national_choice_find(const struct national_choice *list, size_t n, const char *s);
/* "12.34" → 1234 hundredths; false when s is not a decimal in [0, 100] with at most 2 places. */
bool national_parse_total(const char *s, long *hundredths);

/* CSV of the rows idx[0..n) (a byte order mark first; Thai headers, or English keys when
 * !thai) and the same as JSON. */
void national_csv(struct strbuf *out, const struct national_row *rows, const size_t *idx, size_t n,
                  bool thai);
void national_json(struct strbuf *out, const struct national_year *y,
                   const struct national_row *rows, const size_t *idx, size_t n,
                   const struct national_totals *t);

#endif
