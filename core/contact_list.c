/* Contact lists (IIT staff, EIT stakeholders) from CSV: header aliases, per-value validation
 * with Thai reasons, Thai phone numbers and Buddhist Era dates, the one-year service rule, and
 * duplicates; accepted rows become PostgreSQL text[] literals for one INSERT ... unnest(). */
#include "contact_list.h"

#include "csv_table.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field { F_NAME, F_SURNAME, F_EMAIL, F_PHONE, F_UNIT, F_STARTED, F_COUNT };

static const char *const NAME_ALIASES[] = {"ชื่อ", "ชื่อ-นามสกุล", "ชื่อ-สกุล", "name", "full name", NULL};
static const char *const SURNAME_ALIASES[] = {"นามสกุล", "surname", "last name", NULL};
static const char *const EMAIL_ALIASES[] = {"อีเมล", "อีเมล์", "e-mail", "email", NULL};
static const char *const PHONE_ALIASES[] = {"โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์",
                                            "phone",  "mobile",  NULL};
static const char *const UNIT_ALIASES[] = {"หน่วยงานย่อย", "สังกัด",       "กอง", "ฝ่าย",
                                           "unit",       "department", NULL};
static const char *const STARTED_ALIASES[] = {"วันที่เริ่มปฏิบัติงาน", "วันเริ่มงาน", "วันบรรจุ",
                                              "start date",    "started",  NULL};
static const struct ita_header_spec SPECS[] = {
    {F_NAME, NAME_ALIASES},   {F_SURNAME, SURNAME_ALIASES}, {F_EMAIL, EMAIL_ALIASES},
    {F_PHONE, PHONE_ALIASES}, {F_UNIT, UNIT_ALIASES},       {F_STARTED, STARTED_ALIASES},
};

#define EXCERPT_CHARS 60 /* characters of a bad value quoted back in a message */

static const char MSG_EMPTY_FILE[] = "ไฟล์ไม่มีข้อมูล";
static const char MSG_NO_ROWS[] = "ไฟล์มีแต่แถวหัวตาราง ไม่มีรายชื่อ";
static const char MSG_NO_NAME_COL[] =
    "ไม่พบคอลัมน์ชื่อ: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"ชื่อ-นามสกุล\" (หรือ \"ชื่อ\", \"name\")";
static const char MSG_NO_START_COL[] = "ไม่พบคอลัมน์ \"วันที่เริ่มปฏิบัติงาน\" ซึ่งต้องมีในรายชื่อบุคลากร (IIT) "
                                       "เพื่อคัดเฉพาะผู้ที่ปฏิบัติงานมาแล้วไม่น้อยกว่า 1 ปี";
static const char MSG_DUP_COL[] = "หัวคอลัมน์นี้มีความหมายซ้ำกับคอลัมน์ \"%s\" กรุณาเหลือไว้คอลัมน์เดียว";
static const char MSG_EXTRA_FIELDS[] = "แถวนี้มีข้อมูลเกินจำนวนคอลัมน์ของหัวตาราง (อาจมีเครื่องหมายจุลภาค , "
                                       "ในข้อมูลที่ไม่ได้ครอบด้วยเครื่องหมายคำพูด)";
static const char MSG_NAME_REQUIRED[] = "ต้องกรอกชื่อ";
static const char MSG_TOO_LONG[] = "ยาวเกิน %d ตัวอักษร (มี %zu ตัวอักษร)";
static const char MSG_CONTROL[] = "มีอักขระควบคุมที่มองไม่เห็นปนอยู่ กรุณาพิมพ์ข้อมูลช่องนี้ใหม่";
static const char MSG_EMAIL[] = "อีเมล \"%s\" ไม่ถูกต้อง (ตัวอย่างที่ถูกต้อง: somchai@example.go.th)";
static const char MSG_PHONE_CHARS[] =
    "เบอร์โทรศัพท์ \"%s\" มีอักขระที่ไม่ใช่ตัวเลข (ใส่ได้หนึ่งเบอร์ ใช้ตัวเลข ช่องว่าง และขีด - "
    "เช่น 081-234-5678)";
static const char MSG_PHONE_ZERO[] = "เบอร์โทรศัพท์ \"%s\" ไม่ขึ้นต้นด้วย 0 (หาก Excel ตัดเลข 0 หน้าเบอร์ออก "
                                     "ให้ตั้งรูปแบบคอลัมน์เป็น \"ข้อความ\" แล้วพิมพ์ใหม่)";
static const char MSG_PHONE_LEN[] =
    "เบอร์โทรศัพท์ \"%s\" ต้องมี 9 หรือ 10 หลัก เช่น 02-123-4567 หรือ 081-234-5678";
static const char MSG_START_REQUIRED[] = "ต้องกรอกวันที่เริ่มปฏิบัติงาน (จำเป็นสำหรับรายชื่อบุคลากร)";
static const char MSG_DATE[] = "วันที่ \"%s\": %s";
static const char MSG_DATE_FORMAT[] = "อ่านไม่ได้ ใช้รูปแบบ วัน/เดือน/ปี เช่น 1/10/2566 หรือ 2023-10-01";
static const char MSG_DATE_YEAR[] = "ปีไม่ถูกต้อง ใช้ปี พ.ศ. (เช่น 2566) หรือ ค.ศ. (เช่น 2023)";
static const char MSG_DATE_UNREAL[] = "ไม่มีวันนี้ในปฏิทิน";
static const char MSG_DATE_FUTURE[] = "วันที่ \"%s\" อยู่หลังวันเปิดแบบสำรวจ (%d/%d/%d)";

/* ---- dates ---- */

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool ita_date_valid(struct ita_date d)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (d.m < 1 || d.m > 12 || d.d < 1)
        return false;
    int max = days[d.m - 1] + (d.m == 2 && is_leap(d.y) ? 1 : 0);
    return d.d <= max;
}

int ita_date_cmp(struct ita_date a, struct ita_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

bool ita_date_full_year(struct ita_date start, struct ita_date ref)
{
    struct ita_date anniversary = {start.y + 1, start.m, start.d};
    if (start.m == 2 && start.d == 29 && !is_leap(anniversary.y)) {
        anniversary.m = 3;
        anniversary.d = 1;
    }
    return ita_date_cmp(ref, anniversary) >= 0;
}

/* Reads 1..max_digits decimal digits at *s into *v; returns how many were read (0 = none). */
static int read_number(const char **s, int max_digits, int *v)
{
    int n = 0;
    *v = 0;
    while (**s >= '0' && **s <= '9') {
        if (n == max_digits)
            return 0;
        *v = *v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n;
}

int ita_date_parse(const char *s, struct ita_date *out, const char **why)
{
    int a, b, c;
    int na = read_number(&s, 4, &a);
    char sep = *s;
    if (na == 0 || (sep != '/' && sep != '-'))
        goto format;
    s++;
    int nb = read_number(&s, 2, &b);
    if (nb == 0 || *s != sep)
        goto format;
    s++;
    int nc = read_number(&s, 4, &c);
    if (nc == 0 || *s != '\0')
        goto format;
    if (na == 4 && sep == '-' && nc <= 2) {
        *out = (struct ita_date){a, b, c}; /* yyyy-mm-dd */
    } else if (na <= 2 && nc == 4) {
        *out = (struct ita_date){c, b, a}; /* d/m/yyyy, d-m-yyyy */
    } else {
        goto format;
    }
    if (out->y >= 2400)
        out->y -= 543;
    else if (out->y < 1900) {
        *why = MSG_DATE_YEAR;
        return -1;
    }
    if (!ita_date_valid(*out)) {
        *why = MSG_DATE_UNREAL;
        return -1;
    }
    return 0;
format:
    *why = MSG_DATE_FORMAT;
    return -1;
}

/* ---- e-mail and phone ---- */

static bool email_local_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c && strchr(".!#$%&'*+/=?^_`{|}~-", c));
}

static bool domain_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* Dot-separated labels of [a-z0-9-], each 1..63 long and not starting or ending with '-'; at
 * least two labels; the last one letters only (or an xn-- IDN label), at least two long. */
static bool email_domain_valid(const char *d)
{
    size_t labels = 0;
    const char *label = d;
    for (const char *p = d;; p++) {
        if (*p != '.' && *p != '\0') {
            if (!domain_char(*p))
                return false;
            continue;
        }
        size_t n = (size_t)(p - label);
        if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-')
            return false;
        labels++;
        if (*p == '\0')
            break;
        label = p + 1;
    }
    if (labels < 2 || strlen(label) < 2)
        return false;
    if (strncmp(label, "xn--", 4) == 0)
        return true;
    for (const char *p = label; *p; p++)
        if (*p < 'a' || *p > 'z')
            return false;
    return true;
}

/* A practical address check (lowercased input): local@domain, local 1..64 characters from the
 * RFC 5322 atom set without leading, trailing or doubled dots, at most 254 in all. */
static bool email_valid(const char *s)
{
    const char *at = strchr(s, '@');
    size_t len = strlen(s);
    if (!at || len > 254 || strchr(at + 1, '@'))
        return false;
    size_t local = (size_t)(at - s);
    if (local == 0 || local > 64 || s[0] == '.' || at[-1] == '.')
        return false;
    for (const char *p = s; p < at; p++)
        if (!email_local_char(*p) || (p[0] == '.' && p[1] == '.'))
            return false;
    return email_domain_valid(at + 1);
}

enum phone_error { PHONE_OK, PHONE_CHARS, PHONE_ZERO, PHONE_LEN };

/* Normalises a Thai phone number into out (16 bytes): spaces, tabs and '-' removed, a leading
 * +66 becomes 0. */
static enum phone_error phone_normalise(const char *s, char out[16])
{
    size_t n = 0;
    if (s[0] == '+') {
        const char *p = s + 1;
        while (*p == ' ' || *p == '-')
            p++;
        if (p[0] != '6' || p[1] != '6') {
            return PHONE_CHARS;
        }
        out[n++] = '0';
        s = p + 2;
    }
    for (; *s; s++) {
        if (*s == ' ' || *s == '\t' || *s == '-')
            continue;
        if (*s < '0' || *s > '9') {
            return PHONE_CHARS;
        }
        if (n == 15) {
            return PHONE_LEN;
        }
        out[n++] = *s;
    }
    out[n] = '\0';
    if (n > 0 && out[0] != '0' && n >= 8 && n <= 9) {
        return PHONE_ZERO; /* what Excel leaves of 081... typed into a number cell */
    }
    if (n < 9 || n > 10 || out[0] != '0') {
        return PHONE_LEN;
    }
    return PHONE_OK;
}

/* ---- the parser ---- */

struct parse_ctx {
    const struct ita_contact_options *opt;
    struct ita_contact_list *out;
    bool have_header;              /* the header row has been read */
    size_t n_cols;                 /* columns in the header */
    int *col_field;                /* field of each header column, -1 = ignored (owned) */
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

/* Maps header columns to fields; returns 0, or -1 when the header is unusable. */
static int read_header(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    struct ita_contact_list *out = c->out;
    c->n_cols = rec->n;
    c->col_field = xcalloc(rec->n, sizeof *c->col_field);
    int rc = 0;
    for (size_t i = 0; i < rec->n; i++) {
        const char *text = ita_text_clean(&out->arena, rec->fields[i].data, rec->fields[i].len);
        int f = ita_header_field(text, SPECS, sizeof SPECS / sizeof SPECS[0]);
        c->col_field[i] = f;
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
    if (c->field_col[F_NAME] < 0) {
        ita_import_error_add(&out->errors, &out->arena, rec->line, "", "%s", MSG_NO_NAME_COL);
        rc = -1;
    }
    if (c->opt->kind == ITA_CONTACT_IIT && c->field_col[F_STARTED] < 0) {
        ita_import_error_add(&out->errors, &out->arena, rec->line, "", "%s", MSG_NO_START_COL);
        rc = -1;
    }
    return rc;
}

/* The cleaned value of field f in rec, or NULL when the column is absent or the value blank. */
static char *value_of(struct parse_ctx *c, const struct ita_csv_record *rec, enum field f)
{
    long col = c->field_col[f];
    if (col < 0 || (size_t)col >= rec->n)
        return NULL;
    char *v = ita_text_clean(&c->out->arena, rec->fields[col].data, rec->fields[col].len);
    return v[0] ? v : NULL;
}

/* Length and control-character checks shared by the free-text fields. */
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

static const char *check_name(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    char *name = value_of(c, rec, F_NAME);
    char *surname = value_of(c, rec, F_SURNAME);
    if (!name) {
        row_error(c, F_NAME, "%s", MSG_NAME_REQUIRED);
        return NULL;
    }
    if (surname)
        name = arena_sprintf(&c->out->arena, "%s %s", name, surname);
    check_text(c, F_NAME, name, ITA_CONTACT_NAME_MAX);
    return name;
}

static const char *check_email(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    char *email = value_of(c, rec, F_EMAIL);
    if (!email)
        return NULL;
    ita_ascii_lower(email);
    if (!email_valid(email))
        row_error(c, F_EMAIL, MSG_EMAIL, excerpt(c, email));
    return email;
}

static const char *check_phone(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    const char *raw = value_of(c, rec, F_PHONE);
    if (!raw)
        return NULL;
    char digits[16];
    switch (phone_normalise(raw, digits)) {
    case PHONE_OK:
        break;
    case PHONE_CHARS:
        row_error(c, F_PHONE, MSG_PHONE_CHARS, excerpt(c, raw));
        return NULL;
    case PHONE_ZERO:
        row_error(c, F_PHONE, MSG_PHONE_ZERO, excerpt(c, raw));
        return NULL;
    case PHONE_LEN:
        row_error(c, F_PHONE, MSG_PHONE_LEN, excerpt(c, raw));
        return NULL;
    }
    return arena_strndup(&c->out->arena, digits, strlen(digits));
}

static const char *check_unit(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    const char *unit = value_of(c, rec, F_UNIT);
    if (unit)
        check_text(c, F_UNIT, unit, ITA_CONTACT_UNIT_MAX);
    return unit;
}

/* Returns the ISO date or NULL; *start receives the parsed date when there is one. */
static const char *check_started(struct parse_ctx *c, const struct ita_csv_record *rec,
                                 struct ita_date *start)
{
    const char *raw = value_of(c, rec, F_STARTED);
    if (!raw) {
        if (c->opt->kind == ITA_CONTACT_IIT)
            row_error(c, F_STARTED, "%s", MSG_START_REQUIRED);
        return NULL;
    }
    const char *why;
    if (ita_date_parse(raw, start, &why) != 0) {
        row_error(c, F_STARTED, MSG_DATE, excerpt(c, raw), why);
        return NULL;
    }
    const struct ita_date *ref = &c->opt->reference;
    if (ita_date_cmp(*start, *ref) > 0) {
        row_error(c, F_STARTED, MSG_DATE_FUTURE, excerpt(c, raw), ref->d, ref->m, ref->y + 543);
        return NULL;
    }
    return arena_sprintf(&c->out->arena, "%04d-%02d-%02d", start->y, start->m, start->d);
}

static void check_extra_fields(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    for (size_t i = c->n_cols; i < rec->n; i++) {
        if (!ita_text_blank(rec->fields[i].data, rec->fields[i].len)) {
            row_error(c, F_COUNT, "%s", MSG_EXTRA_FIELDS);
            return;
        }
    }
}

static const char *dedupe_key(struct parse_ctx *c, const struct ita_contact *row)
{
    if (row->email)
        return row->email;
    if (row->phone)
        return row->phone;
    char *name = arena_strndup(&c->out->arena, row->name, strlen(row->name));
    ita_ascii_lower(name);
    return arena_sprintf(&c->out->arena, "%s|%s", name, row->unit ? row->unit : "");
}

static void push_row(struct ita_contact_list *l, const struct ita_contact *row)
{
    if (l->n_rows == l->cap_rows) {
        l->cap_rows = l->cap_rows ? l->cap_rows * 2 : 64;
        l->rows = xreallocarray(l->rows, l->cap_rows, sizeof *l->rows);
    }
    l->rows[l->n_rows++] = *row;
}

static void read_row(struct parse_ctx *c, const struct ita_csv_record *rec)
{
    struct ita_contact_list *out = c->out;
    struct ita_contact row = {0};
    struct ita_date start = {0, 0, 0};
    out->rows_read++;
    c->row_bad = false;
    check_extra_fields(c, rec);
    row.name = check_name(c, rec);
    row.email = check_email(c, rec);
    row.phone = check_phone(c, rec);
    row.unit = check_unit(c, rec);
    row.started_on = check_started(c, rec, &start);
    row.line = rec->line;
    if (c->row_bad) {
        out->errors.bad_rows++;
        return;
    }
    if (c->opt->kind == ITA_CONTACT_IIT && !ita_date_full_year(start, c->opt->reference)) {
        out->too_recent++;
        return;
    }
    row.dedupe_key = dedupe_key(c, &row);
    if (!ita_strmap_add(&out->keys, row.dedupe_key, row.line, NULL)) {
        out->duplicates++;
        return;
    }
    push_row(out, &row);
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
    return read_header(c, rec) == 0 ? 0 : 1; /* without usable columns every row would fail */
}

/* Reads the UTF-8 text record by record into out. */
static void parse_text(const struct ita_text *text, const struct ita_contact_options *opt,
                       struct ita_contact_list *out)
{
    struct parse_ctx c = {.opt = opt, .out = out};
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
    free(c.col_field);
}

int ita_contact_list_parse(const void *bytes, size_t len, const struct ita_contact_options *opt,
                           struct ita_contact_list *out)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena, 64 * 1024);
    ita_strmap_init(&out->keys);
    struct strbuf scratch; /* the converted text when the file is Windows-874 */
    strbuf_init(&scratch);
    struct ita_text text;
    if (ita_text_to_utf8(bytes, len, &scratch, &text) == 0) {
        out->encoding = text.encoding;
        parse_text(&text, opt, out);
    } else {
        ita_import_error_add(&out->errors, &out->arena, text.error_line, "", "%s", text.error);
    }
    strbuf_free(&scratch);
    return out->errors.total > 0 ? -1 : 0;
}

void ita_contact_list_free(struct ita_contact_list *l)
{
    free(l->rows);
    ita_strmap_free(&l->keys);
    arena_reset(&l->arena);
    memset(l, 0, sizeof *l);
}

bool ita_contact_list_importable(const struct ita_contact_list *l)
{
    return l->errors.total == 0;
}

int ita_contact_list_pg_arrays(const struct ita_contact_list *l, struct strbuf *name,
                               struct strbuf *email, struct strbuf *phone, struct strbuf *unit,
                               struct strbuf *started_on, struct strbuf *dedupe_key)
{
    if (!ita_contact_list_importable(l))
        return -1;
    struct strbuf *cols[6] = {name, email, phone, unit, started_on, dedupe_key};
    for (size_t i = 0; i < 6; i++)
        ita_pg_array_begin(cols[i]);
    for (size_t r = 0; r < l->n_rows; r++) {
        const struct ita_contact *row = &l->rows[r];
        ita_pg_array_add(name, row->name);
        ita_pg_array_add(email, row->email);
        ita_pg_array_add(phone, row->phone);
        ita_pg_array_add(unit, row->unit);
        ita_pg_array_add(started_on, row->started_on);
        ita_pg_array_add(dedupe_key, row->dedupe_key);
    }
    for (size_t i = 0; i < 6; i++)
        ita_pg_array_end(cols[i]);
    return 0;
}
