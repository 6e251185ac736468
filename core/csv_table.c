/* Streaming CSV records with line numbers on top of libcsv (strict mode). libcsv reports fields
 * and record ends but no positions, so the input is handed to it one physical line at a time:
 * a record can only end at a line break, so the line a record starts on is the first line with
 * content fed after the previous record ended, and a strict-mode error lies on the line fed. */
#include "csv_table.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char MSG_QUOTE_INSIDE[] = "พบเครื่องหมายคำพูด (\") กลางข้อมูลที่ไม่ได้ครอบด้วยเครื่องหมายคำพูด "
                                       "(ข้อมูลที่มี \" ต้องครอบทั้งช่องด้วย \" และเขียน \" ในข้อมูลเป็น \"\")";
static const char MSG_AFTER_QUOTE[] = "มีข้อความต่อท้ายหลังเครื่องหมายคำพูดปิด (\") ในช่องเดียวกัน";
static const char MSG_UNCLOSED[] = "เครื่องหมายคำพูด (\") ที่เปิดในแถวนี้ไม่มีเครื่องหมายปิด จนถึงท้ายไฟล์";
static const char MSG_TOO_MANY_FIELDS[] = "แถวนี้มีจำนวนคอลัมน์เกิน 512 คอลัมน์";
static const char MSG_FIELD_TOO_LONG[] = "ข้อมูลช่องหนึ่งในแถวนี้ยาวเกิน 65,536 ไบต์";
static const char MSG_NO_MEMORY[] = "ไฟล์มีข้อมูลช่องหนึ่งยาวเกินกว่าจะอ่านได้";

/* RFC 4180: spaces are part of a field, so libcsv must not trim any. */
static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* libcsv's buffer growth follows the project's out-of-memory policy. */
static void *csv_realloc(void *p, size_t n)
{
    return xreallocarray(p, n, 1);
}

static void set_error(struct ita_csv_reader *r, const char *msg, unsigned long line)
{
    if (r->status != ITA_CSV_OK)
        return;
    r->status = ITA_CSV_SYNTAX;
    r->error = msg;
    r->error_line = line;
}

/* libcsv callback: one field of the current record is complete. */
static void on_field(void *s, size_t len, void *data)
{
    struct ita_csv_reader *r = data;
    if (r->status != ITA_CSV_OK)
        return;
    if (r->n_fields == ITA_CSV_MAX_FIELDS) {
        set_error(r, MSG_TOO_MANY_FIELDS, r->record_line);
        return;
    }
    if (len > ITA_CSV_MAX_FIELD_BYTES) {
        set_error(r, MSG_FIELD_TOO_LONG, r->record_line);
        return;
    }
    if (r->n_fields == r->cap_fields) {
        r->cap_fields = r->cap_fields ? r->cap_fields * 2 : 16;
        r->offsets = xreallocarray(r->offsets, r->cap_fields, sizeof *r->offsets);
        r->fields = xreallocarray(r->fields, r->cap_fields, sizeof *r->fields);
    }
    r->offsets[r->n_fields++] = r->bytes.len;
    strbuf_append(&r->bytes, s, len);
    strbuf_append(&r->bytes, "", 1); /* each field NUL-terminated inside the buffer */
}

/* libcsv callback: the record is complete (c is the terminator, or -1 at the end of input). */
static void on_record(int c, void *data)
{
    struct ita_csv_reader *r = data;
    (void)c;
    if (r->status == ITA_CSV_OK) {
        for (size_t i = 0; i < r->n_fields; i++) {
            size_t end = i + 1 < r->n_fields ? r->offsets[i + 1] : r->bytes.len;
            r->fields[i].data = r->bytes.data + r->offsets[i];
            r->fields[i].len = end - r->offsets[i] - 1;
        }
        struct ita_csv_record rec = {r->fields, r->n_fields, r->record_line};
        if (r->n_fields > 0 && r->fn(r->ctx, &rec) != 0)
            r->status = ITA_CSV_STOPPED;
    }
    r->n_fields = 0;
    r->bytes.len = 0;
    r->bytes.data[0] = '\0';
    r->in_record = false;
}

void ita_csv_reader_init(struct ita_csv_reader *r, ita_csv_record_fn fn, void *ctx)
{
    memset(r, 0, sizeof *r);
    /* csv_init only fails for a NULL parser. */
    (void)csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_space_func(&r->parser, never_space);
    csv_set_realloc_func(&r->parser, csv_realloc);
    r->fn = fn;
    r->ctx = ctx;
    strbuf_init(&r->bytes);
    r->line = 1;
    r->status = ITA_CSV_OK;
}

void ita_csv_reader_free(struct ita_csv_reader *r)
{
    csv_free(&r->parser);
    strbuf_free(&r->bytes);
    free(r->offsets);
    free(r->fields);
    r->offsets = NULL;
    r->fields = NULL;
    r->cap_fields = 0;
}

/* Bytes up to and including the next line break (CRLF, LF or lone CR), or all of them when
 * there is none. A CR ending the input may be the first half of a CRLF: *cr_at_end says so. */
static size_t next_line(const char *p, size_t n, bool *has_break, bool *cr_at_end)
{
    *has_break = true;
    *cr_at_end = false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\n')
            return i + 1;
        if (p[i] == '\r') {
            if (i + 1 == n)
                *cr_at_end = true;
            return i + 1 < n && p[i + 1] == '\n' ? i + 2 : i + 1;
        }
    }
    *has_break = false;
    return n;
}

static bool has_content(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != '\r' && p[i] != '\n')
            return true;
    return false;
}

/* Hands one piece (never more than one physical line) to libcsv. */
static void parse_piece(struct ita_csv_reader *r, const char *p, size_t n)
{
    size_t done = csv_parse(&r->parser, p, n, on_field, on_record, r);
    if (done == n || r->status != ITA_CSV_OK)
        return;
    if (csv_error(&r->parser) == CSV_EPARSE)
        set_error(r, p[done] == '"' ? MSG_QUOTE_INSIDE : MSG_AFTER_QUOTE, r->line);
    else
        set_error(r, MSG_NO_MEMORY, r->line);
}

enum ita_csv_status ita_csv_reader_feed(struct ita_csv_reader *r, const void *data, size_t len)
{
    const char *p = data;
    if (r->cr_pending && len > 0) {
        r->cr_pending = false;
        if (p[0] == '\n' && r->status == ITA_CSV_OK) { /* second half of a CRLF split by pieces */
            parse_piece(r, p, 1);
            p++;
            len--;
        }
    }
    while (len > 0 && r->status == ITA_CSV_OK) {
        bool has_break, cr_at_end;
        size_t n = next_line(p, len, &has_break, &cr_at_end);
        if (!r->in_record && has_content(p, n)) {
            r->in_record = true;
            r->record_line = r->line;
        }
        parse_piece(r, p, n);
        if (has_break)
            r->line++;
        r->cr_pending = cr_at_end;
        p += n;
        len -= n;
    }
    return r->status;
}

enum ita_csv_status ita_csv_reader_finish(struct ita_csv_reader *r)
{
    if (r->status != ITA_CSV_OK)
        return r->status;
    if (csv_fini(&r->parser, on_field, on_record, r) != 0)
        set_error(r, MSG_UNCLOSED, r->record_line);
    return r->status;
}

enum ita_csv_status ita_csv_read(const void *data, size_t len, ita_csv_record_fn fn, void *ctx,
                                 const char **error, unsigned long *error_line)
{
    struct ita_csv_reader r;
    ita_csv_reader_init(&r, fn, ctx);
    if (ita_csv_reader_feed(&r, data, len) == ITA_CSV_OK)
        (void)ita_csv_reader_finish(&r);
    enum ita_csv_status st = r.status;
    if (error)
        *error = r.error;
    if (error_line)
        *error_line = r.error_line;
    ita_csv_reader_free(&r);
    return st;
}
