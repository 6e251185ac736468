/* Agency lists uploaded by a national administrator as CSV, parsed and validated without
 * touching the database. Same header rules as contact_list.h (Thai or English, any order,
 * unknown columns ignored):
 *   code         รหัส, รหัสหน่วยงาน, code                            (required)
 *   name_th      ชื่อหน่วยงาน, ชื่อ, name, name_th                     (required)
 *   kind         ประเภท, ประเภทหน่วยงาน, type, kind                    (optional: a type of
 *                agency_kind.h by its Thai name or key, stored as the Thai name; else an error
 *                listing the allowed names)
 *   parent_code  หน่วยงานต้นสังกัด, รหัสต้นสังกัด, parent, parent code  (optional)
 * A code (and a parent code) matches ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$; a name has 1-300
 * characters; a code given twice in the file is an error; a parent may not be the row itself.
 * Whether a parent code exists is for the database to say (it may be in the file or already
 * stored).
 *
 * ALL OR NOTHING: when errors.total > 0 the caller must import nothing and show the errors;
 * ita_agency_list_pg_arrays() refuses such a list. */
#ifndef ITA_AGENCY_LIST_H
#define ITA_AGENCY_LIST_H

#include "arena.h"
#include "import_util.h"
#include "strbuf.h"
#include "text_encoding.h"

#include <stdbool.h>
#include <stddef.h>

#define ITA_AGENCY_CODE_MAX 64  /* characters */
#define ITA_AGENCY_NAME_MAX 300 /* characters */
#define ITA_AGENCY_KIND_MAX 100 /* characters */

struct ita_agency {
    const char *code;        /* never NULL */
    const char *name_th;     /* cleaned, never NULL */
    const char *kind;        /* cleaned; NULL when not given */
    const char *parent_code; /* NULL when not given */
    unsigned long line;      /* where the row starts in the file */
};

struct ita_agency_list {
    struct ita_agency *rows;         /* rows in file order (owned array) */
    size_t n_rows;                   /* rows accepted */
    size_t cap_rows;                 /* room in rows */
    size_t rows_read;                /* non-blank data rows read */
    enum ita_text_encoding encoding; /* how the file was saved */
    struct ita_import_errors errors; /* what is wrong; errors.total > 0 means import nothing */
    struct ita_strmap codes;         /* code → line first seen (internal) */
    const char *kind_names;          /* the allowed types for messages, made when needed (arena) */
    struct arena arena;              /* owns every string above */
};

/* Parses and validates `len` bytes of an uploaded file into *out (released with
 * ita_agency_list_free() in every case). Returns 0 when the list may be imported, -1 when
 * out->errors lists at least one error. */
int ita_agency_list_parse(const void *bytes, size_t len, struct ita_agency_list *out)
    __attribute__((warn_unused_result));
void ita_agency_list_free(struct ita_agency_list *l);
bool ita_agency_list_importable(const struct ita_agency_list *l);
/* Appends four PostgreSQL text[] literals (code, name_th, kind, parent_code), element i of each
 * being row i; missing values are NULL. Returns -1 and appends nothing when the list has
 * errors. */
int ita_agency_list_pg_arrays(const struct ita_agency_list *l, struct strbuf *code,
                              struct strbuf *name_th, struct strbuf *kind,
                              struct strbuf *parent_code) __attribute__((warn_unused_result));
/* True when s is a valid agency code. */
bool ita_agency_code_valid(const char *s);

#endif
