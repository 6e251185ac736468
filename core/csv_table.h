/* A streaming CSV reader on libcsv in strict RFC 4180 mode: comma-separated, fields optionally
 * enclosed in double quotes, "" for a quote inside a quoted field, quoted fields may span lines,
 * records end with CRLF, LF or a lone CR, spaces belong to the field. Blank lines are skipped.
 *
 * The reader calls back once per record with its fields and the 1-based line where the record
 * starts. It keeps only the current record, so memory stays flat however long the input is.
 * Feed the input in pieces of any size (ita_csv_reader_feed) or all at once (ita_csv_read).
 *
 * Errors carry the line and a Thai message: a quote inside an unquoted field, text after a
 * closing quote, a quote never closed, too many fields in a record, a field too long. */
#ifndef ITA_CSV_TABLE_H
#define ITA_CSV_TABLE_H

#include "strbuf.h"

#include <csv.h>
#include <stdbool.h>
#include <stddef.h>

#define ITA_CSV_MAX_FIELDS 512              /* fields per record */
#define ITA_CSV_MAX_FIELD_BYTES (64 * 1024) /* bytes per field */

struct ita_csv_field {
    const char *data; /* NUL-terminated (the NUL is not counted); valid during the callback only */
    size_t len;       /* bytes */
};

struct ita_csv_record {
    const struct ita_csv_field *fields; /* n fields, valid during the callback only */
    size_t n;                           /* at least 1 */
    unsigned long line;                 /* 1-based line where the record starts */
};

/* Called once per record; return 0 to go on, non-zero to stop reading (ITA_CSV_STOPPED). */
typedef int (*ita_csv_record_fn)(void *ctx, const struct ita_csv_record *rec);

enum ita_csv_status {
    ITA_CSV_OK = 0,
    ITA_CSV_SYNTAX = -1,  /* malformed CSV: error_line and error are set */
    ITA_CSV_STOPPED = -2, /* the callback asked to stop */
};

struct ita_csv_reader {
    struct csv_parser parser;     /* libcsv state */
    ita_csv_record_fn fn;         /* record callback */
    void *ctx;                    /* its argument */
    struct strbuf bytes;          /* current record's field bytes, each followed by a NUL */
    size_t *offsets;              /* start of each field in bytes (owned, grows) */
    struct ita_csv_field *fields; /* handed to the callback (owned, grows with offsets) */
    size_t n_fields;              /* fields of the current record so far */
    size_t cap_fields;            /* room in offsets and fields */
    unsigned long line;           /* line of the next byte to be fed */
    unsigned long record_line;    /* line where the current record started */
    bool in_record;               /* a record has started and not yet ended */
    bool cr_pending;              /* the last piece ended with CR: a leading LF belongs to it */
    enum ita_csv_status status;   /* sticky: once not OK, feeding does nothing */
    const char *error;            /* static Thai message when status is ITA_CSV_SYNTAX */
    unsigned long error_line;     /* its line */
};

/* Prepares r; release it with ita_csv_reader_free() whatever happens. */
void ita_csv_reader_init(struct ita_csv_reader *r, ita_csv_record_fn fn, void *ctx);
/* Parses the next `len` bytes. Returns r->status. */
enum ita_csv_status ita_csv_reader_feed(struct ita_csv_reader *r, const void *data, size_t len);
/* Ends the input: delivers the last record if it had no line break, reports an unclosed quote.
 * Returns r->status. */
enum ita_csv_status ita_csv_reader_finish(struct ita_csv_reader *r);
void ita_csv_reader_free(struct ita_csv_reader *r);

/* All in one: init, feed, finish, free. On ITA_CSV_SYNTAX, *error and *error_line (either may be
 * NULL) receive the message and line. */
enum ita_csv_status ita_csv_read(const void *data, size_t len, ita_csv_record_fn fn, void *ctx,
                                 const char **error, unsigned long *error_line);

#endif
