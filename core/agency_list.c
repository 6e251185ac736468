/* Agency lists from CSV: header aliases, code/name/type/parent validation with Thai reasons,
 * duplicate codes within the file; accepted rows become PostgreSQL text[] literals for one
 * INSERT ... unnest(). */
#include "agency_list.h"

#include "csv_table.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field { F_CODE, F_NAME, F_KIND, F_PARENT, F_COUNT };

static const char *const CODE_ALIASES[] = {"รหัส", "รหัสหน่วยงาน", "code", NULL};
static const char *const NAME_ALIASES[] = {"ชื่อหน่วยงาน", "ชื่อ", "name", "name_th", NULL};
static const char *const KIND_ALIASES[] = {"ประเภท", "ประเภทหน่วยงาน", "type", "kind", NULL};
static const char *const PARENT_ALIASES[] = {"หน่วยงานต้นสังกัด", "รหัสต้นสังกัด", "parent", "parent code",
                                             NULL};
static const struct ita_header_spec SPECS[] = {
    {F_CODE, CODE_ALIASES},
    {F_NAME, NAME_ALIASES},
    {F_KIND, KIND_ALIASES},
    {F_PARENT, PARENT_ALIASES},
};

#define EXCERPT_CHARS 60 /* characters of a bad value quoted back in a message */

static const char MSG_EMPTY_FILE[] = "ไฟล์ไม่มีข้อมูล";
static const char MSG_NO_ROWS[] = "ไฟล์มีแต่แถวหัวตาราง ไม่มีรายการหน่วยงาน";
static const char MSG_NO_CODE_COL[] =
    "ไม่พบคอลัมน์รหัสหน่วยงาน: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"รหัสหน่วยงาน\" (หรือ \"code\")";
static const char MSG_NO_NAME_COL[] =
    "ไม่พบคอลัมน์ชื่อหน่วยงาน: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"ชื่อหน่วยงาน\" (หรือ \"name\")";
static const char MSG_DUP_COL[] = "หัวคอลัมน์นี้มีความหมายซ้ำกับคอลัมน์ \"%s\" กรุณาเหลือไว้คอลัมน์เดียว";
static const char MSG_EXTRA_FIELDS[] = "แถวนี้มีข้อมูลเกินจำนวนคอลัมน์ของหัวตาราง (อาจมีเครื่องหมายจุลภาค , "
                                       "ในข้อมูลที่ไม่ได้ครอบด้วยเครื่องหมายคำพูด)";
static const char MSG_CODE_REQUIRED[] = "ต้องกรอกรหัสหน่วยงาน";
static const char MSG_CODE_FORMAT[] =
    "รหัส \"%s\" ไม่ถูกต้อง: ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข และ . _ - ยาวไม่เกิน 64 ตัว "
    "และขึ้นต้นด้วยตัวอักษรหรือตัวเลข";
static const char MSG_CODE_DUP[] = "รหัสหน่วยงาน \"%s\" ซ้ำกับแถวที่ %lu";
static const char MSG_NAME_REQUIRED[] = "ต้องกรอกชื่อหน่วยงาน";
static const char MSG_TOO_LONG[] = "ยาวเกิน %d ตัวอักษร (มี %zu ตัวอักษร)";
static const char MSG_CONTROL[] = "มีอักขระควบคุมที่มองไม่เห็นปนอยู่ กรุณาพิมพ์ข้อมูลช่องนี้ใหม่";
static const char MSG_PARENT_SELF[] = "หน่วยงานต้นสังกัดต้องไม่ใช่หน่วยงานเดียวกัน (รหัส \"%s\")";

bool ita_agency_code_valid(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && (n == 0 || (c != '.' && c != '_' && c != '-')))
            return false;
    }
    return n >= 1 && n <= ITA_AGENCY_CODE_MAX;
}

struct parse_ctx {
    struct ita_agency_list *out;
    bool have_header;              /* the header row has been read */
    size_t n_cols;                 /* columns in the header */
    long field_col[F_COUNT];       /* column of each field, -1 when absent */
    const char *col_text[F_COUNT]; /* each field's header as written (arena) */
    unsigned long line;            /* line of the row being read */
    bool row_bad;                  /* the row being read has an error */
};

static void row_error(struct parse_ctx *c, enum field f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void row_error(struct parse_ctx *c, enum field f, const char *fmt, ...)
{
    char reason[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    ita_import_error_add(&c->out->errors, &c->out->arena, c->line,
                         (int)f < F_COUNT ? c->col_text[f] : "", "%s", reason);
    c->row_bad = true;
}

static int read_header(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    struct ita_agency_list *out = c->out;
    int rc = 0;
    c->n_cols = rec->n;
    for (size_t i = 0; i < rec->n; i++) {
        const char *text = ita_text_clean(&out->arena, rec->fields[i].data, rec->fields[i].len);
        int f = ita_header_field(text, SPECS, sizeof SPECS / sizeof SPECS[0]);
        if (f < 0)
            continue;
        if (c->field_col[f] >= 0) {
            ita_import_error_add(&out->errors, &out->arena, rec->line, text, MSG_DUP_COL,
                                 c->col_text[f]);
            rc = -1;
            continue;
        }
        c->field_col[f] = (long)i;
        c->col_text[f] = text;
    }
    if (c->field_col[F_CODE] < 0) {
        ita_import_error_add(&out->errors, &out->arena, rec->line, "", "%s", MSG_NO_CODE_COL);
        rc = -1;
    }
    if (c->field_col[F_NAME] < 0) {
        ita_import_error_add(&out->errors, &out->arena, rec->line, "", "%s", MSG_NO_NAME_COL);
        rc = -1;
    }
    return rc;
}

static char *value_of(struct parse_ctx *c, const struct ita_csv_record *rec, enum field f)
{
    long col = c->field_col[f];
    if (col < 0 || (size_t)col >= rec->n)
        return NULL;
    char *v = ita_text_clean(&c->out->arena, rec->fields[col].data, rec->fields[col].len);
    return v[0] ? v : NULL;
}

static void check_text(struct parse_ctx *c, enum field f, const char *v, int max_chars)
{
    size_t chars = ita_utf8_chars(v);
    if (chars > (size_t)max_chars)
        row_error(c, f, MSG_TOO_LONG, max_chars, chars);
    if (ita_has_control(v))
        row_error(c, f, "%s", MSG_CONTROL);
}

static const char *excerpt(struct parse_ctx *c, const char *v)
{
    return ita_text_excerpt(&c->out->arena, v, EXCERPT_CHARS);
}

static const char *check_code(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    const char *code = value_of(c, rec, F_CODE);
    if (!code) {
        row_error(c, F_CODE, "%s", MSG_CODE_REQUIRED);
        return NULL;
    }
    if (!ita_agency_code_valid(code)) {
        row_error(c, F_CODE, MSG_CODE_FORMAT, excerpt(c, code));
        return NULL;
    }
    unsigned long first;
    if (!ita_strmap_add(&c->out->codes, code, c->line, &first))
        row_error(c, F_CODE, MSG_CODE_DUP, code, first);
    return code;
}

static const char *check_parent(struct parse_ctx *c, const struct ita_csv_record *rec,
                                const char *code)
{
    const char *parent = value_of(c, rec, F_PARENT);
    if (!parent)
        return NULL;
    if (!ita_agency_code_valid(parent))
        row_error(c, F_PARENT, MSG_CODE_FORMAT, excerpt(c, parent));
    else if (code && strcmp(code, parent) == 0)
        row_error(c, F_PARENT, MSG_PARENT_SELF, parent);
    return parent;
}

static void read_row(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    struct ita_agency_list *out = c->out;
    struct ita_agency row = {0};
    out->rows_read++;
    c->row_bad = false;
    for (size_t i = c->n_cols; i < rec->n; i++) {
        if (!ita_text_blank(rec->fields[i].data, rec->fields[i].len)) {
            row_error(c, F_COUNT, "%s", MSG_EXTRA_FIELDS);
            break;
        }
    }
    row.code = check_code(c, rec);
    row.name_th = value_of(c, rec, F_NAME);
    if (row.name_th)
        check_text(c, F_NAME, row.name_th, ITA_AGENCY_NAME_MAX);
    else
        row_error(c, F_NAME, "%s", MSG_NAME_REQUIRED);
    row.kind = value_of(c, rec, F_KIND);
    if (row.kind)
        check_text(c, F_KIND, row.kind, ITA_AGENCY_KIND_MAX);
    row.parent_code = check_parent(c, rec, row.code);
    row.line = rec->line;
    if (c->row_bad) {
        out->errors.bad_rows++;
        return;
    }
    if (out->n_rows == out->cap_rows) {
        out->cap_rows = out->cap_rows ? out->cap_rows * 2 : 64;
        out->rows = xreallocarray(out->rows, out->cap_rows, sizeof *out->rows);
    }
    out->rows[out->n_rows++] = row;
}

static int on_record(void *ctx, const struct ita_csv_record *rec)
{
    struct parse_ctx *c = ctx;
    if (ita_csv_record_blank(rec))
        return 0;
    c->line = rec->line;
    if (c->have_header) {
        read_row(c, rec);
        return 0;
    }
    c->have_header = true;
    return read_header(c, rec) == 0 ? 0 : 1;
}

static void parse_text(const struct ita_text *text, struct ita_agency_list *out)
{
    struct parse_ctx c = {.out = out};
    for (int f = 0; f < F_COUNT; f++)
        c.field_col[f] = -1;
    const char *err = NULL;
    unsigned long err_line = 0;
    enum ita_csv_status st = ita_csv_read(text->data, text->len, on_record, &c, &err, &err_line);
    if (st == ITA_CSV_SYNTAX)
        ita_import_error_add(&out->errors, &out->arena, err_line, "", "%s", err);
    else if (!c.have_header)
        ita_import_error_add(&out->errors, &out->arena, 0, "", "%s", MSG_EMPTY_FILE);
    else if (st == ITA_CSV_OK && out->rows_read == 0)
        ita_import_error_add(&out->errors, &out->arena, 0, "", "%s", MSG_NO_ROWS);
}

int ita_agency_list_parse(const void *bytes, size_t len, struct ita_agency_list *out)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena, 64 * 1024);
    ita_strmap_init(&out->codes);
    struct strbuf scratch; /* the converted text when the file is Windows-874 */
    strbuf_init(&scratch);
    struct ita_text text;
    if (ita_text_to_utf8(bytes, len, &scratch, &text) == 0) {
        out->encoding = text.encoding;
        parse_text(&text, out);
    } else {
        ita_import_error_add(&out->errors, &out->arena, text.error_line, "", "%s", text.error);
    }
    strbuf_free(&scratch);
    return out->errors.total > 0 ? -1 : 0;
}

void ita_agency_list_free(struct ita_agency_list *l)
{
    free(l->rows);
    ita_strmap_free(&l->codes);
    arena_reset(&l->arena);
    memset(l, 0, sizeof *l);
}

bool ita_agency_list_importable(const struct ita_agency_list *l)
{
    return l->errors.total == 0;
}

int ita_agency_list_pg_arrays(const struct ita_agency_list *l, struct strbuf *code,
                              struct strbuf *name_th, struct strbuf *kind,
                              struct strbuf *parent_code)
{
    if (!ita_agency_list_importable(l))
        return -1;
    struct strbuf *cols[4] = {code, name_th, kind, parent_code};
    for (size_t i = 0; i < 4; i++)
        ita_pg_array_begin(cols[i]);
    for (size_t r = 0; r < l->n_rows; r++) {
        ita_pg_array_add(code, l->rows[r].code);
        ita_pg_array_add(name_th, l->rows[r].name_th);
        ita_pg_array_add(kind, l->rows[r].kind);
        ita_pg_array_add(parent_code, l->rows[r].parent_code);
    }
    for (size_t i = 0; i < 4; i++)
        ita_pg_array_end(cols[i]);
    return 0;
}
