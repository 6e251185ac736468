/* Agency lists from CSV: the column spec for the generic list importer (list_import.h) with
 * code/name/type/parent validation and Thai reasons, duplicate codes within the file; accepted
 * rows become PostgreSQL text[] literals for one INSERT ... unnest(). */
#include "agency_list.h"

#include "agency_kind.h"
#include "list_import.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum field { F_CODE, F_NAME, F_KIND, F_PARENT, F_COUNT };

static const char *const CODE_ALIASES[] = {"รหัส", "รหัสหน่วยงาน", "code", NULL};
static const char *const NAME_ALIASES[] = {"ชื่อหน่วยงาน", "ชื่อ", "name", "name_th", NULL};
static const char *const KIND_ALIASES[] = {"ประเภท", "ประเภทหน่วยงาน", "type", "kind", NULL};
static const char *const PARENT_ALIASES[] = {"หน่วยงานต้นสังกัด", "รหัสต้นสังกัด", "parent", "parent code",
                                             NULL};

static const char MSG_NO_ROWS[] = "ไฟล์มีแต่แถวหัวตาราง ไม่มีรายการหน่วยงาน";
static const char MSG_NO_CODE_COL[] =
    "ไม่พบคอลัมน์รหัสหน่วยงาน: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"รหัสหน่วยงาน\" (หรือ \"code\")";
static const char MSG_NO_NAME_COL[] =
    "ไม่พบคอลัมน์ชื่อหน่วยงาน: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"ชื่อหน่วยงาน\" (หรือ \"name\")";
static const char MSG_CODE_REQUIRED[] = "ต้องกรอกรหัสหน่วยงาน";
static const char MSG_CODE_FORMAT[] =
    "รหัส \"%s\" ไม่ถูกต้อง: ใช้ได้เฉพาะตัวอักษรภาษาอังกฤษ ตัวเลข และ . _ - ยาวไม่เกิน 64 ตัว "
    "และขึ้นต้นด้วยตัวอักษรหรือตัวเลข";
static const char MSG_CODE_DUP[] = "รหัสหน่วยงาน \"%s\" ซ้ำกับแถวที่ %lu";
static const char MSG_NAME_REQUIRED[] = "ต้องกรอกชื่อหน่วยงาน";
static const char MSG_KIND[] = "ประเภทหน่วยงาน \"%s\" ไม่อยู่ในรายการ ใช้ได้เฉพาะ: %s (หรือเว้นว่าง)";
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

/* A valid code seen for the first time in the file; a badly written code is not kept, so that
 * the parent check does not compare against it. */
static const char *check_code(struct ita_list_row *row, size_t col, char *code)
{
    struct ita_agency_list *out = row->user;
    if (!ita_agency_code_valid(code)) {
        ita_list_row_error(row, col, MSG_CODE_FORMAT, ita_list_excerpt(row, code));
        return NULL;
    }
    unsigned long first;
    if (!ita_strmap_add(&out->codes, code, row->line, &first))
        ita_list_row_error(row, col, MSG_CODE_DUP, code, first);
    return code;
}

/* A type from the fixed list (agency_kind.h), by its Thai name or key: stored as the Thai name. */
static const char *check_kind(struct ita_list_row *row, size_t col, char *kind)
{
    struct ita_agency_list *out = row->user;
    const char *th = ita_agency_kind_stored(kind);
    if (!th) {
        if (!out->kind_names) {
            struct strbuf b;
            strbuf_init(&b);
            ita_agency_kind_names(&b);
            out->kind_names = arena_strndup(&out->arena, b.data, b.len);
            strbuf_free(&b);
        }
        /* a short quote: the message lists every allowed name and must fit a reason (1 KiB) */
        ita_list_row_error(row, col, MSG_KIND, ita_text_excerpt(row->arena, kind, 20),
                           out->kind_names);
        return kind;
    }
    return th;
}

static const char *check_parent(struct ita_list_row *row, size_t col, char *parent)
{
    const char *code = row->values[F_CODE];
    if (!ita_agency_code_valid(parent))
        ita_list_row_error(row, col, MSG_CODE_FORMAT, ita_list_excerpt(row, parent));
    else if (code && strcmp(code, parent) == 0)
        ita_list_row_error(row, col, MSG_PARENT_SELF, parent);
    return parent;
}

static const struct ita_list_column COLUMNS[F_COUNT] = {
    [F_CODE] = {CODE_ALIASES, MSG_NO_CODE_COL, MSG_CODE_REQUIRED, check_code, 0},
    [F_NAME] = {NAME_ALIASES, MSG_NO_NAME_COL, MSG_NAME_REQUIRED, NULL, ITA_AGENCY_NAME_MAX},
    [F_KIND] = {KIND_ALIASES, NULL, NULL, check_kind, ITA_AGENCY_KIND_MAX},
    [F_PARENT] = {PARENT_ALIASES, NULL, NULL, check_parent, 0},
};

static void accept_row(struct ita_list_row *row)
{
    struct ita_agency_list *out = row->user;
    out->rows = ita_list_grow(out->rows, &out->cap_rows, out->n_rows, sizeof *out->rows);
    out->rows[out->n_rows++] = (struct ita_agency){.code = row->values[F_CODE],
                                                   .name_th = row->values[F_NAME],
                                                   .kind = row->values[F_KIND],
                                                   .parent_code = row->values[F_PARENT],
                                                   .line = row->line};
}

int ita_agency_list_parse(const void *bytes, size_t len, struct ita_agency_list *out)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena, 64 * 1024);
    ita_strmap_init(&out->codes);
    const struct ita_list_spec spec = {COLUMNS, F_COUNT, MSG_NO_ROWS, accept_row, out, NULL};
    const struct ita_list_sink sink = {&out->arena, &out->errors, &out->rows_read, &out->encoding};
    return ita_list_import(bytes, len, &spec, &sink);
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
    static const size_t offsets[] = {
        offsetof(struct ita_agency, code), offsetof(struct ita_agency, name_th),
        offsetof(struct ita_agency, kind), offsetof(struct ita_agency, parent_code)};
    if (!ita_agency_list_importable(l))
        return -1;
    struct strbuf *const cols[] = {code, name_th, kind, parent_code};
    ita_pg_arrays_of_rows(l->rows, l->n_rows, sizeof *l->rows, offsets, cols, 4);
    return 0;
}
