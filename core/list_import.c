/* The generic CSV list importer behind contact_list.c and agency_list.c: encoding, header row,
 * blank rows, cleaning, per-column required/check/length rules from a column spec, and the
 * clerk's error list. */
#include "list_import.h"

#include "csv_table.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MSG_EMPTY_FILE[] = "ไฟล์ไม่มีข้อมูล";
static const char MSG_DUP_COL[] = "หัวคอลัมน์นี้มีความหมายซ้ำกับคอลัมน์ \"%s\" กรุณาเหลือไว้คอลัมน์เดียว";
static const char MSG_EXTRA_FIELDS[] = "แถวนี้มีข้อมูลเกินจำนวนคอลัมน์ของหัวตาราง (อาจมีเครื่องหมายจุลภาค , "
                                       "ในข้อมูลที่ไม่ได้ครอบด้วยเครื่องหมายคำพูด)";
static const char MSG_TOO_LONG[] = "ยาวเกิน %d ตัวอักษร (มี %zu ตัวอักษร)";
static const char MSG_CONTROL[] = "มีอักขระควบคุมที่มองไม่เห็นปนอยู่ กรุณาพิมพ์ข้อมูลช่องนี้ใหม่";

struct ita_list_importer {
    const struct ita_list_spec *spec;
    const struct ita_list_sink *sink;
    bool have_header;    /* the header row has been read */
    size_t n_cols;       /* columns in the header */
    long *column_at;     /* [n_columns] file column of each spec column, -1 when absent (owned) */
    const char **header; /* [n_columns] each spec column's header as written (arena) */
    char **cleaned;      /* [n_columns] the current row's cleaned values (owned array) */
    const char **values; /* [n_columns] the current row's values as kept (owned array) */
};

void ita_list_row_error(struct ita_list_row *row, size_t col, const char *fmt, ...)
{
    const struct ita_list_importer *im = row->importer;
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    ita_import_error_add(im->sink->errors, im->sink->arena, row->line,
                         col < im->spec->n_columns ? im->header[col] : "", "%s", reason);
    row->bad = true;
}

const char *ita_list_excerpt(struct ita_list_row *row, const char *v)
{
    return ita_text_excerpt(row->arena, v, ITA_LIST_EXCERPT_CHARS);
}

void *ita_list_grow(void *array, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return array;
    *cap = *cap ? *cap * 2 : 64;
    return xreallocarray(array, *cap, size);
}

/* Maps header columns to spec columns; returns 0, or -1 when the header is unusable. */
static int read_header(struct ita_list_importer *im, const struct ita_csv_record *rec)
{
    const struct ita_list_spec *spec = im->spec;
    const struct ita_list_sink *sink = im->sink;
    int rc = 0;
    im->n_cols = rec->n;
    for (size_t i = 0; i < rec->n; i++) {
        const char *text = ita_text_clean(sink->arena, rec->fields[i].data, rec->fields[i].len);
        int c = -1;
        for (size_t k = 0; k < spec->n_columns && c < 0; k++) {
            struct ita_header_spec one = {(int)k, spec->columns[k].aliases};
            c = ita_header_field(text, &one, 1);
        }
        if (c < 0)
            continue;
        if (im->column_at[c] >= 0) {
            ita_import_error_add(sink->errors, sink->arena, rec->line, text, MSG_DUP_COL,
                                 im->header[c]);
            rc = -1;
            continue;
        }
        im->column_at[c] = (long)i;
        im->header[c] = text;
    }
    for (size_t k = 0; k < spec->n_columns; k++) {
        if (spec->columns[k].no_column && im->column_at[k] < 0) {
            ita_import_error_add(sink->errors, sink->arena, rec->line, "", "%s",
                                 spec->columns[k].no_column);
            rc = -1;
        }
    }
    return rc;
}

/* The cleaned value of spec column k in rec, or NULL when the column is absent or blank. */
static char *value_of(struct ita_list_importer *im, const struct ita_csv_record *rec, size_t k)
{
    long col = im->column_at[k];
    if (col < 0 || (size_t)col >= rec->n)
        return NULL;
    char *v = ita_text_clean(im->sink->arena, rec->fields[col].data, rec->fields[col].len);
    return v[0] ? v : NULL;
}

/* Required value, the column's check, then length and control characters. */
static void check_column(struct ita_list_row *row, size_t k, char *v)
{
    const struct ita_list_column *col = &row->importer->spec->columns[k];
    if (!v) {
        if (col->no_value)
            ita_list_row_error(row, k, "%s", col->no_value);
        row->values[k] = NULL;
        return;
    }
    const char *kept = col->check ? col->check(row, k, v) : v;
    row->values[k] = kept;
    if (!kept || col->max_chars <= 0)
        return;
    size_t chars = ita_utf8_chars(kept);
    if (chars > (size_t)col->max_chars)
        ita_list_row_error(row, k, MSG_TOO_LONG, col->max_chars, chars);
    if (ita_has_control(kept))
        ita_list_row_error(row, k, "%s", MSG_CONTROL);
}

static void read_row(struct ita_list_importer *im, const struct ita_csv_record *rec)
{
    const struct ita_list_spec *spec = im->spec;
    struct ita_list_row row = {.values = im->values,
                               .line = rec->line,
                               .user = spec->user,
                               .arena = im->sink->arena,
                               .importer = im};
    (*im->sink->rows_read)++;
    for (size_t i = im->n_cols; i < rec->n; i++) {
        if (!ita_text_blank(rec->fields[i].data, rec->fields[i].len)) {
            ita_list_row_error(&row, spec->n_columns, "%s", MSG_EXTRA_FIELDS);
            break;
        }
    }
    for (size_t k = 0; k < spec->n_columns; k++)
        im->values[k] = im->cleaned[k] = value_of(im, rec, k);
    for (size_t k = 0; k < spec->n_columns; k++)
        check_column(&row, k, im->cleaned[k]);
    if (spec->check_row)
        spec->check_row(&row);
    if (row.bad)
        im->sink->errors->bad_rows++;
    else
        spec->accept(&row);
}

static int on_record(void *ctx, const struct ita_csv_record *rec)
{
    struct ita_list_importer *im = ctx;
    if (ita_csv_record_blank(rec))
        return 0;
    if (im->have_header) {
        read_row(im, rec);
        return 0;
    }
    im->have_header = true;
    return read_header(im, rec) == 0 ? 0 : 1; /* without usable columns every row would fail */
}

/* Reads the UTF-8 text record by record. */
static void import_text(const struct ita_text *text, const struct ita_list_spec *spec,
                        const struct ita_list_sink *sink)
{
    struct ita_list_importer im = {.spec = spec, .sink = sink};
    im.column_at = xcalloc(spec->n_columns, sizeof *im.column_at);
    im.header = xcalloc(spec->n_columns, sizeof *im.header);
    im.cleaned = xcalloc(spec->n_columns, sizeof *im.cleaned);
    im.values = xcalloc(spec->n_columns, sizeof *im.values);
    for (size_t k = 0; k < spec->n_columns; k++)
        im.column_at[k] = -1;
    const char *err = NULL;
    unsigned long err_line = 0;
    enum ita_csv_status st = ita_csv_read(text->data, text->len, on_record, &im, &err, &err_line);
    if (st == ITA_CSV_SYNTAX)
        ita_import_error_add(sink->errors, sink->arena, err_line, "", "%s", err);
    else if (!im.have_header)
        ita_import_error_add(sink->errors, sink->arena, 0, "", "%s", MSG_EMPTY_FILE);
    else if (st == ITA_CSV_OK && *sink->rows_read == 0)
        ita_import_error_add(sink->errors, sink->arena, 0, "", "%s", spec->no_rows);
    free(im.column_at);
    free(im.header);
    free(im.cleaned);
    free(im.values);
}

int ita_list_import(const void *bytes, size_t len, const struct ita_list_spec *spec,
                    const struct ita_list_sink *sink)
{
    struct strbuf scratch; /* the converted text when the file is Windows-874 */
    strbuf_init(&scratch);
    struct ita_text text;
    if (ita_text_to_utf8(bytes, len, &scratch, &text) == 0) {
        *sink->encoding = text.encoding;
        import_text(&text, spec, sink);
    } else {
        ita_import_error_add(sink->errors, sink->arena, text.error_line, "", "%s", text.error);
    }
    strbuf_free(&scratch);
    return sink->errors->total > 0 ? -1 : 0;
}
