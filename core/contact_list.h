/* Staff (IIT) and outside-stakeholder (EIT) contact lists uploaded by a clerk as CSV, parsed and
 * validated without touching the database.
 *
 * Header row: the first non-blank record. Headers are matched in Thai or English, ignoring case,
 * spaces, '-', '_' and '.', in any order; unknown columns are ignored:
 *   name        ชื่อ, ชื่อ-นามสกุล, ชื่อ-สกุล, name, full name            (required)
 *   surname     นามสกุล, surname, last name: appended to name when given (Thai sheets often
 *               split ชื่อ / นามสกุล)
 *   email       อีเมล, อีเมล์, e-mail, email
 *   phone       โทรศัพท์, เบอร์โทร, เบอร์โทรศัพท์, phone, mobile
 *   unit        หน่วยงานย่อย, สังกัด, กอง, ฝ่าย, unit, department
 *   started_on  วันที่เริ่มปฏิบัติงาน, วันเริ่มงาน, วันบรรจุ, start date, started (required for IIT)
 *
 * Rows: blank rows are skipped. Every bad value is reported (line, column as written, Thai
 * reason). IIT staff with less than one full year of service on the reference date are left out
 * and counted. Duplicates (same e-mail, else same phone, else same name and unit) after the first
 * are dropped and counted. Order of checks per row: validation, then the one-year rule, then
 * duplicates.
 *
 * ALL OR NOTHING: when errors.total > 0 the caller must import nothing and show the errors;
 * ita_contact_list_pg_arrays() refuses such a list. */
#ifndef ITA_CONTACT_LIST_H
#define ITA_CONTACT_LIST_H

#include "arena.h"
#include "import_util.h"
#include "strbuf.h"
#include "text_encoding.h"

#include <stdbool.h>
#include <stddef.h>

#define ITA_CONTACT_NAME_MAX 200 /* characters */
#define ITA_CONTACT_UNIT_MAX 200 /* characters */

enum ita_contact_kind {
    ITA_CONTACT_IIT, /* agency staff: start date required, one full year of service */
    ITA_CONTACT_EIT, /* outside stakeholders */
};

/* A calendar date, Common Era. */
struct ita_date {
    int y; /* year CE */
    int m; /* 1..12 */
    int d; /* 1..31 */
};

struct ita_contact_options {
    enum ita_contact_kind kind;
    struct ita_date reference; /* the survey window's opening day: no start date may be after
                                  it, and IIT service is counted up to it */
};

struct ita_contact {
    const char *name;       /* cleaned, never NULL */
    const char *email;      /* lowercased; NULL when not given */
    const char *phone;      /* digits only, leading 0, 9 or 10 digits; NULL when not given */
    const char *unit;       /* cleaned; NULL when not given */
    const char *started_on; /* ISO yyyy-mm-dd (CE); NULL when not given */
    const char *dedupe_key; /* email, else phone, else lowercased name + "|" + unit */
    unsigned long line;     /* where the row starts in the file */
};

struct ita_contact_list {
    struct ita_contact *rows;        /* accepted rows in file order (owned array) */
    size_t n_rows;                   /* accepted rows */
    size_t cap_rows;                 /* room in rows */
    size_t rows_read;                /* non-blank data rows read */
    size_t too_recent;               /* IIT rows left out: less than one full year of service */
    struct ita_contact *left_out;    /* those rows in file order, name and started_on set (owned
                                        array of too_recent rows) */
    size_t cap_left_out;             /* room in left_out */
    size_t duplicates;               /* rows dropped as duplicates of an earlier row */
    enum ita_text_encoding encoding; /* how the file was saved */
    struct ita_import_errors errors; /* what is wrong; errors.total > 0 means import nothing */
    struct ita_strmap keys;          /* dedupe keys seen (internal) */
    struct arena arena;              /* owns every string above */
};

/* Parses and validates `len` bytes of an uploaded file into *out (which the caller releases with
 * ita_contact_list_free() in every case). Returns 0 when the list may be imported, -1 when
 * out->errors lists at least one error (then nothing may be imported). */
int ita_contact_list_parse(const void *bytes, size_t len, const struct ita_contact_options *opt,
                           struct ita_contact_list *out) __attribute__((warn_unused_result));
void ita_contact_list_free(struct ita_contact_list *l);

/* True when the list has no errors and may be imported. */
bool ita_contact_list_importable(const struct ita_contact_list *l);

/* Appends the accepted rows as six PostgreSQL text[] literals, one per column, element i of
 * each array being row i (for INSERT ... SELECT FROM unnest($1::text[], ..., $6::text[])).
 * Missing values are NULL. Returns -1 and appends nothing when the list has errors. */
int ita_contact_list_pg_arrays(const struct ita_contact_list *l, struct strbuf *name,
                               struct strbuf *email, struct strbuf *phone, struct strbuf *unit,
                               struct strbuf *started_on, struct strbuf *dedupe_key)
    __attribute__((warn_unused_result));

/* Dates as clerks type them: d/m/yyyy, dd/mm/yyyy, d-m-yyyy, yyyy-mm-dd. A year of 2400 or more
 * is Buddhist Era (543 is subtracted); 1900-2399 is taken as CE; earlier years are refused.
 * Returns 0, or -1 with *why a static Thai reason. */
int ita_date_parse(const char *s, struct ita_date *out, const char **why)
    __attribute__((warn_unused_result));
/* True for a date that exists in the proleptic Gregorian calendar (29 Feb only in leap years). */
bool ita_date_valid(struct ita_date d);
/* <0, 0, >0 as a is before, equal to, after b. */
int ita_date_cmp(struct ita_date a, struct ita_date b);
/* True when someone who started on `start` has served one full year on `ref`. The year ends on
 * the day before the same date one year later; a start on 29 Feb has no such date in a common
 * year, so its year ends on 28 Feb (Thai Civil and Commercial Code s. 193/5). Hence: ref is on
 * or after the anniversary, and the anniversary of 29 Feb in a common year is 1 March. */
bool ita_date_full_year(struct ita_date start, struct ita_date ref);

#endif
