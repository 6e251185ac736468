/* The raw anonymous-response export's file format, as pure functions (no sockets, no libpq): the
 * columns from the instrument version, the decoding of one binary COPY row of the export query,
 * and the CSV row written for it through core/csv_write.h.
 *
 * The file: UTF-8 with BOM, CRLF, one header row, then one row per stored response:
 *   agency_code,fiscal_year,instrument,counted_on,<IIT field codes...>,<EIT field codes...>
 * (for people the same columns named in Thai: รหัสหน่วยงาน,ปีงบประมาณ,แบบวัด,วันที่นับ,IIT ข้อ 1,...)
 * counted_on is the day of the batch the row was counted in (YYYY-MM-DD; each day holds at least
 * k rows of its agency and instrument), never the day it arrived; each field column holds the
 * stored answer level (0 = the scale's first label, as in instruments/README.md). A row fills the
 * columns of its own instrument and leaves the other instrument's empty. With one instrument chosen
 * only its columns are there. Nothing else exists in the table, so nothing else can be written. */
#ifndef ITA_EXPORT_RAW_CSV_H
#define ITA_EXPORT_RAW_CSV_H

#include "instrument.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

/* Which instruments the file has and where their columns start. Points into v (not owned). */
struct raw_layout {
    const struct ita_version *v;
    bool has[ITA_N_SURVEYS];           /* instrument k has columns */
    size_t first_field[ITA_N_SURVEYS]; /* index in v->field_list of k's first field */
    bool thai; /* Thai column names ("รหัสหน่วยงาน", ..., "IIT ข้อ 4.1"), else the English keys
                  and field codes; raw_layout_init sets false */
};

/* only: ITA_IIT or ITA_EIT for one instrument's columns, -1 for both. */
void raw_layout_init(struct raw_layout *l, const struct ita_version *v, int only);

/* Appends the byte order mark and the header row. */
void raw_csv_begin(struct strbuf *out, const struct raw_layout *l);

/* One response as the export query returns it (binary COPY: every column but answers as text).
 * Pointers into the COPY message. */
struct raw_row {
    const char *code, *year, *instrument, *day;
    size_t code_len, year_len, instrument_len, day_len;
    const unsigned char *answers; /* one level per field */
    size_t n_answers;
};

enum raw_decode { RAW_ROW, RAW_END, RAW_BAD };

/* Decodes one CopyData message of `COPY (SELECT code, year, instrument, day, answers) TO STDOUT
 * (FORMAT binary)`. *header_seen starts false: the first message carries the file header in
 * front of its row. RAW_END is the trailer (the last message). */
enum raw_decode raw_copy_decode(const char *msg, size_t len, bool *header_seen,
                                struct raw_row *row);

/* Appends the CSV row of one response. Returns false (and appends nothing) when the row does
 * not fit the version: an instrument without columns in this file, a wrong number of answers,
 * or a level beyond its field's scale; err then says which. */
bool raw_csv_row(struct strbuf *out, const struct raw_layout *l, const struct raw_row *row,
                 char *err, size_t errlen) __attribute__((warn_unused_result));

#endif
