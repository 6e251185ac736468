/* Contact lists (IIT staff, EIT stakeholders) from CSV: the column spec for the generic list
 * importer (list_import.h) with per-value validation and Thai reasons, Thai phone numbers and
 * Buddhist Era dates, the one-year service rule, and duplicates; accepted rows become
 * PostgreSQL text[] literals for one INSERT ... unnest(). */
#include "contact_list.h"

#include "list_import.h"

#include <stddef.h>
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
static const char MSG_NO_ROWS[] = "ไฟล์มีแต่แถวหัวตาราง ไม่มีรายชื่อ";
static const char MSG_NO_NAME_COL[] =
    "ไม่พบคอลัมน์ชื่อ: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"ชื่อ-นามสกุล\" (หรือ \"ชื่อ\", \"name\")";
static const char MSG_NO_START_COL[] = "ไม่พบคอลัมน์ \"วันที่เริ่มปฏิบัติงาน\" ซึ่งต้องมีในรายชื่อบุคลากร (IIT) "
                                       "เพื่อคัดเฉพาะผู้ที่ปฏิบัติงานมาแล้วไม่น้อยกว่า 1 ปี";
static const char MSG_NAME_REQUIRED[] = "ต้องกรอกชื่อ";
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

/* ---- the column spec ---- */

struct contact_import {
    const struct ita_contact_options *opt;
    struct ita_contact_list *out;
    struct ita_date start; /* the start date of the row being read, once its check has run */
};

/* The name, with the surname column appended when there is one. */
static const char *check_name(struct ita_list_row *row, size_t col, char *name)
{
    const char *surname = row->values[F_SURNAME];
    if (surname)
        return arena_sprintf(row->arena, "%s %s", name, surname);
    return name;
}

static const char *check_email(struct ita_list_row *row, size_t col, char *email)
{
    ita_ascii_lower(email);
    if (!email_valid(email))
        ita_list_row_error(row, col, MSG_EMAIL, ita_list_excerpt(row, email));
    return email;
}

static const char *check_phone(struct ita_list_row *row, size_t col, char *raw)
{
    char digits[16];
    switch (phone_normalise(raw, digits)) {
    case PHONE_OK:
        break;
    case PHONE_CHARS:
        ita_list_row_error(row, col, MSG_PHONE_CHARS, ita_list_excerpt(row, raw));
        return NULL;
    case PHONE_ZERO:
        ita_list_row_error(row, col, MSG_PHONE_ZERO, ita_list_excerpt(row, raw));
        return NULL;
    case PHONE_LEN:
        ita_list_row_error(row, col, MSG_PHONE_LEN, ita_list_excerpt(row, raw));
        return NULL;
    }
    return arena_strndup(row->arena, digits, strlen(digits));
}

/* The ISO date; the parsed date goes to the import's `start` for the one-year rule. */
static const char *check_started(struct ita_list_row *row, size_t col, char *raw)
{
    struct contact_import *ci = row->user;
    struct ita_date *start = &ci->start;
    const char *why;
    if (ita_date_parse(raw, start, &why) != 0) {
        ita_list_row_error(row, col, MSG_DATE, ita_list_excerpt(row, raw), why);
        return NULL;
    }
    const struct ita_date *ref = &ci->opt->reference;
    if (ita_date_cmp(*start, *ref) > 0) {
        ita_list_row_error(row, col, MSG_DATE_FUTURE, ita_list_excerpt(row, raw), ref->d, ref->m,
                           ref->y + 543);
        return NULL;
    }
    return arena_sprintf(row->arena, "%04d-%02d-%02d", start->y, start->m, start->d);
}

/* For EIT lists; ita_contact_list_parse() makes the start date required for IIT. */
static const struct ita_list_column COLUMNS[F_COUNT] = {
    [F_NAME] = {NAME_ALIASES, MSG_NO_NAME_COL, MSG_NAME_REQUIRED, check_name, ITA_CONTACT_NAME_MAX},
    [F_SURNAME] = {SURNAME_ALIASES, NULL, NULL, NULL, 0},
    [F_EMAIL] = {EMAIL_ALIASES, NULL, NULL, check_email, 0},
    [F_PHONE] = {PHONE_ALIASES, NULL, NULL, check_phone, 0},
    [F_UNIT] = {UNIT_ALIASES, NULL, NULL, NULL, ITA_CONTACT_UNIT_MAX},
    [F_STARTED] = {STARTED_ALIASES, NULL, NULL, check_started, 0},
};

static const char *dedupe_key(struct arena *a, const struct ita_contact *row)
{
    if (row->email)
        return row->email;
    if (row->phone)
        return row->phone;
    char *name = arena_strndup(a, row->name, strlen(row->name));
    ita_ascii_lower(name);
    return arena_sprintf(a, "%s|%s", name, row->unit ? row->unit : "");
}

/* A valid row: the one-year rule, then duplicates, then it is kept. */
static void accept_row(struct ita_list_row *r)
{
    struct contact_import *ci = r->user;
    struct ita_contact_list *out = ci->out;
    if (ci->opt->kind == ITA_CONTACT_IIT && !ita_date_full_year(ci->start, ci->opt->reference)) {
        /* kept by name and start date so that the clerk can check who was left out */
        out->left_out = ita_list_grow(out->left_out, &out->cap_left_out, out->too_recent,
                                      sizeof *out->left_out);
        out->left_out[out->too_recent++] = (struct ita_contact){.name = r->values[F_NAME],
                                                                .unit = r->values[F_UNIT],
                                                                .started_on = r->values[F_STARTED],
                                                                .line = r->line};
        return;
    }
    struct ita_contact row = {.name = r->values[F_NAME],
                              .email = r->values[F_EMAIL],
                              .phone = r->values[F_PHONE],
                              .unit = r->values[F_UNIT],
                              .started_on = r->values[F_STARTED],
                              .line = r->line};
    row.dedupe_key = dedupe_key(r->arena, &row);
    if (!ita_strmap_add(&out->keys, row.dedupe_key, row.line, NULL)) {
        out->duplicates++;
        return;
    }
    out->rows = ita_list_grow(out->rows, &out->cap_rows, out->n_rows, sizeof *out->rows);
    out->rows[out->n_rows++] = row;
}

int ita_contact_list_parse(const void *bytes, size_t len, const struct ita_contact_options *opt,
                           struct ita_contact_list *out)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena, 64 * 1024);
    ita_strmap_init(&out->keys);
    struct ita_list_column columns[F_COUNT];
    memcpy(columns, COLUMNS, sizeof columns);
    if (opt->kind == ITA_CONTACT_IIT) {
        columns[F_STARTED].no_column = MSG_NO_START_COL;
        columns[F_STARTED].no_value = MSG_START_REQUIRED;
    }
    struct contact_import ci = {.opt = opt, .out = out};
    const struct ita_list_spec spec = {columns, F_COUNT, MSG_NO_ROWS, accept_row, &ci, NULL};
    const struct ita_list_sink sink = {&out->arena, &out->errors, &out->rows_read, &out->encoding};
    return ita_list_import(bytes, len, &spec, &sink);
}

void ita_contact_list_free(struct ita_contact_list *l)
{
    free(l->rows);
    free(l->left_out);
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
    static const size_t offsets[] = {
        offsetof(struct ita_contact, name),       offsetof(struct ita_contact, email),
        offsetof(struct ita_contact, phone),      offsetof(struct ita_contact, unit),
        offsetof(struct ita_contact, started_on), offsetof(struct ita_contact, dedupe_key)};
    if (!ita_contact_list_importable(l))
        return -1;
    struct strbuf *const cols[] = {name, email, phone, unit, started_on, dedupe_key};
    ita_pg_arrays_of_rows(l->rows, l->n_rows, sizeof *l->rows, offsets, cols, 6);
    return 0;
}
