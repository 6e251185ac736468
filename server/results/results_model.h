/* Results of one fiscal year per agency, computed with the scoring engine (core/scoring.h) from
 * what the database returns: the IIT/EIT tallies, the OIT marks and the populations. Pure C over
 * plain structs, no libevent or libpq: the handlers copy query results into these structs and run
 * the computation and the writers on the CPU pool.
 *
 * Suppression: an instrument that is not sealed yet (its survey window still open, or its last
 * responses not yet counted), or that has fewer than `k_min` responses, is treated as unanswered
 * (its indicators undefined, the total partial) and none of its figures is written anywhere; only
 * its response count is. Counts change only in steps of at least k_min until sealing (see
 * sql/0007_anonymity.sql), so figures shown only after sealing cannot be differenced down to
 * fewer than k_min respondents.
 *
 * Ownership: every pointer in struct results_agency is owned by it and freed by
 * results_agency_clear(); the version is borrowed and must outlive the results. */
#ifndef ITA_RESULTS_MODEL_H
#define ITA_RESULTS_MODEL_H

#include "instrument.h"
#include "scoring.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One OIT item as entered (OIT detail of the agency's year). */
struct results_oit_entry {
    char *code; /* "O1".."O43" */
    bool met;
    char *url;  /* evidence URL, "" if none */
    char *note; /* "" if none */
    char *at;   /* when entered, "YYYY-MM-DD HH:MM" Thailand time */
    char *by;   /* e-mail of who entered it, "" if unknown */
};

/* One agency's inputs and, after results_compute(), its results. */
struct results_agency {
    /* inputs (from the data statement) */
    int id;
    char *code;
    char *name_th;
    uint64_t responses[ITA_N_SURVEYS]; /* IIT, EIT responses */
    char *tally[ITA_N_SURVEYS];        /* PostgreSQL int[] text, NULL when none */
    bool sealed[ITA_N_SURVEYS];        /* window closed and its last responses counted */
    char *last_day;                    /* the window's last day, YYYY-MM-DD, or "" (or NULL) */
    long population[ITA_N_SURVEYS];    /* staff / outside stakeholders; -1 not entered */
    struct results_oit_entry *oit;     /* entered OIT items */
    size_t n_oit;
    uint64_t digest_rows; /* rows seen by ita_response_digest() */
    char *digest_sum[4];  /* its four sums (decimal text), NULL when no rows */
    /* results */
    struct ita_result *res;             /* NULL until computed */
    bool shown[ITA_N_SURVEYS];          /* sealed and responses >= k_min: figures may be shown */
    long min_sample[ITA_N_SURVEYS];     /* minimum sample from the version's rule */
    bool sample_reached[ITA_N_SURVEYS]; /* responses >= min_sample (the rule's minimum while the
                                           population is not entered) */
    size_t oit_assessed;                /* OIT items entered (met or not) */
    size_t oit_items;                   /* OIT items of the version */
    bool rated; /* every minimum met: IIT and EIT shown with at least their minimum samples and
                   every OIT item assessed. Until then the results are preliminary: no rating,
                   pass or plan is shown or exported, only scores labelled preliminary. */
};

/* Parses the OIT detail JSON the data statement returns (array of {code, met, url, note, at,
 * by}, or NULL/"" for none) into a->oit. Returns 0, or -1 with *err (caller frees). */
int results_parse_oit(struct results_agency *a, const char *json, char **err)
    __attribute__((warn_unused_result));

/* Scores a with v. Returns 0, or -1 with *err (caller frees) when the tallies or OIT codes do not
 * fit the version. */
int results_compute(const struct ita_version *v, struct results_agency *a, int k_min, char **err)
    __attribute__((warn_unused_result));

void results_agency_clear(struct results_agency *a);

/* The minimums a not yet rated agency still misses, each as one string, "; " between them:
 * in Thai ("IIT 6 จาก 25 คำตอบขั้นต่ำ", "OIT ตรวจแล้ว 30 จาก 43 ข้อ", with why a sealed count is
 * not shown and which minimum applies while a population is not entered), or in English keys
 * ("IIT 6/25", "IIT open", "OIT 30/43"). Nothing when a->rated. */
void results_unmet(struct strbuf *out, const struct ita_version *v, const struct results_agency *a,
                   int k_min, bool thai);
/* While the population of instrument k is not entered: which minimum applies, in Thai
 * (" (ตามเกณฑ์ขั้นต่ำ เพราะยังไม่ได้กรอกจำนวนบุคลากร ...)", with the share of the population the rule
 * asks for once it is entered); nothing when it is entered. */
void results_min_sample_note_th(struct strbuf *out, const struct ita_version *v,
                                const struct results_agency *a, int k);
/* The number a person reads for a question or field code: "10" for "i10", "4.1" for "e4.1". */
const char *results_code_number(const char *code);

/* The state of the total in words: "complete", "partial" or "none". */
const char *results_total_state(const struct ita_summary *s);

/* Aggregates per agency, one row each, columns in a fixed order (see results_model.c):
 * CSV: UTF-8 with BOM, CRLF line ends, figures with 2 decimals (half-up), empty when undefined
 * or suppressed; cells that could start a spreadsheet formula are prefixed with an apostrophe.
 * thai: Thai column names and Thai yes/no and state words (for people; the English keys and
 * yes/no for programs). The rating, pass and blocked_by are empty while the agency is not rated
 * (preliminary: yes, minimums_not_met says which).
 * JSON: every figure as {"value": full precision, "display": "2 decimals"} or null; rating,
 * pass and blocked null while "preliminary" is true. */
void results_write_aggregates_csv(struct strbuf *out, const struct ita_version *v,
                                  const struct results_agency *a, size_t n, int k_min, bool thai);
void results_write_aggregates_json(struct strbuf *out, const struct ita_version *v,
                                   const struct results_agency *a, size_t n, int k_min);
/* Per-question scores of one agency: instrument, indicator, question, text, respondents,
 * score (and each field's score in JSON), suppressed instruments left out. thai: Thai column
 * names and the question as a person reads it ("ข้อ 10"), else the English keys and the code. */
void results_write_questions_csv(struct strbuf *out, const struct ita_version *v,
                                 const struct results_agency *a, bool thai);
void results_write_questions_json(struct strbuf *out, const struct ita_version *v,
                                  const struct results_agency *a);

/* The response-set digest of a whole export: SHA-256 (hex) of "rows:s1:s2:s3:s4" where each s is
 * the sum over the agencies of ita_response_digest()'s sums. *rows receives the total row count.
 * Returns -1 when a sum is not a decimal number. */
int results_response_digest(const struct results_agency *a, size_t n, uint64_t *rows, char out[65])
    __attribute__((warn_unused_result));

/* One CSV cell through core/csv_write.h (quoted when needed, formula guard); the caller writes
 * the separating comma. */
void results_csv_cell(struct strbuf *out, const char *text);

#endif
