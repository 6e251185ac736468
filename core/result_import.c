/* Past ITA results from CSV or the history form: the list importer's third column spec (after
 * contacts and agencies) with year, score and rating checks in Thai, duplicate agency-year rows
 * and the indicators' all-or-none rule; accepted rows become PostgreSQL text[] literals for one
 * INSERT ... unnest(). */
#include "result_import.h"

#include "list_import.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const ITA_RESULT_GRADES[ITA_RESULT_N_GRADES] = {"AA", "A", "B", "C", "D", "E", "F"};
const char *const ITA_RESULT_TIERS[ITA_RESULT_N_TIERS] = {"ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ต้องปรับปรุง",
                                                          "ต้องปรับปรุงโดยด่วน"};

static const char MSG_YEAR_FORMAT[] = "ปีงบประมาณ \"%s\" ไม่ถูกต้อง: ใช้ปี พ.ศ. 4 หลัก เช่น 2565";
static const char MSG_YEAR_RANGE[] = "ปีงบประมาณ %d อยู่นอกช่วงที่บันทึกได้ (%d–%d)";
static const char MSG_SCORE_FORMAT[] =
    "คะแนน \"%s\" ไม่ใช่ตัวเลขที่ถูกต้อง: ใช้ตัวเลขทศนิยมไม่เกิน 2 ตำแหน่ง เช่น 85.50";
static const char MSG_SCORE_RANGE[] = "คะแนน %s อยู่นอกช่วง 0–100";
static const char MSG_RATING[] = "ผลการประเมิน \"%s\" ใช้กับปีงบประมาณ %d ไม่ได้: ใช้ได้เฉพาะ %s";
static const char MSG_INDICATORS[] = "ตัวชี้วัดต้องกรอกครบทั้ง 10 ตัว หรือเว้นว่างทั้งหมด (กรอกไว้ %d จาก 10 ตัว)";

size_t ita_result_ratings(const struct ita_result_rules *r, int fy, const char *const **names)
{
    if (fy <= ITA_RESULT_LAST_GRADE_YEAR) {
        *names = ITA_RESULT_GRADES;
        return ITA_RESULT_N_GRADES;
    }
    for (size_t i = 0; r && i < r->n_tiers; i++) {
        if (r->tiers[i].fiscal_year == fy && r->tiers[i].n_names > 0) {
            *names = r->tiers[i].names;
            return r->tiers[i].n_names;
        }
    }
    *names = ITA_RESULT_TIERS;
    return ITA_RESULT_N_TIERS;
}

const char *ita_result_check_year(struct arena *a, const struct ita_result_rules *r, const char *s,
                                  int *out)
{
    size_t n = strlen(s);
    if (n != 4 || strspn(s, "0123456789") != 4)
        return arena_sprintf(a, MSG_YEAR_FORMAT, ita_text_excerpt(a, s, 20));
    int fy = atoi(s);
    if (fy < ITA_RESULT_FIRST_YEAR || fy > r->last_year)
        return arena_sprintf(a, MSG_YEAR_RANGE, fy, ITA_RESULT_FIRST_YEAR, r->last_year);
    *out = fy;
    return NULL;
}

const char *ita_result_check_score(struct arena *a, const char *s, const char **out)
{
    size_t whole = strspn(s, "0123456789"), frac = 0;
    if (s[whole] == '.')
        frac = strspn(s + whole + 1, "0123456789");
    size_t len = whole + (s[whole] == '.' ? 1 + frac : 0);
    if (whole == 0 || whole > 3 || s[len] != '\0' || (s[whole] == '.' && (frac < 1 || frac > 2)))
        return arena_sprintf(a, MSG_SCORE_FORMAT, ita_text_excerpt(a, s, 20));
    long hundredths = atol(s) * 100;
    if (frac >= 1)
        hundredths += (s[whole + 1] - '0') * 10;
    if (frac == 2)
        hundredths += s[whole + 2] - '0';
    if (hundredths > 10000)
        return arena_sprintf(a, MSG_SCORE_RANGE, s);
    *out = arena_sprintf(a, "%ld.%02ld", hundredths / 100, hundredths % 100);
    return NULL;
}

const char *ita_result_check_rating(struct arena *a, const struct ita_result_rules *r, int fy,
                                    const char *s, const char **out)
{
    const char *const *names;
    size_t n = ita_result_ratings(r, fy, &names);
    for (size_t i = 0; i < n; i++) {
        /* grades are Latin letters: "aa" is AA; Thai names have no case */
        if (strcasecmp(names[i], s) == 0) {
            *out = names[i];
            return NULL;
        }
    }
    struct strbuf all;
    strbuf_init(&all);
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&all, "%s%s", i ? ", " : "", names[i]);
    const char *msg = arena_sprintf(a, MSG_RATING, ita_text_excerpt(a, s, 40), fy, all.data);
    strbuf_free(&all);
    return msg;
}

/* The indicators as a numeric[] literal, or the all-or-none error (NULL when fine). */
static const char *indicators_of(struct arena *a, struct ita_result_row *row)
{
    int given = 0;
    for (int i = 0; i < ITA_RESULT_N_INDICATORS; i++)
        given += row->indicator[i] != NULL;
    row->indicators = NULL;
    if (given == 0)
        return NULL;
    if (given != ITA_RESULT_N_INDICATORS)
        return arena_sprintf(a, MSG_INDICATORS, given);
    struct strbuf b;
    strbuf_init(&b);
    for (int i = 0; i < ITA_RESULT_N_INDICATORS; i++)
        strbuf_printf(&b, "%c%s", i ? ',' : '{', row->indicator[i]);
    strbuf_puts(&b, "}");
    row->indicators = arena_strndup(a, b.data, b.len);
    strbuf_free(&b);
    return NULL;
}

static bool blank(const char *s)
{
    return !s || ita_text_blank(s, strlen(s));
}

int ita_result_form_check(struct arena *a, const struct ita_result_rules *r,
                          const char *const in[ITA_RF_COUNT], const char *err[ITA_RF_COUNT],
                          struct ita_result_row *out)
{
    int bad = 0;
    memset(out, 0, sizeof *out);
    const char *v[ITA_RF_COUNT];
    for (int f = 0; f < ITA_RF_COUNT; f++) {
        err[f] = NULL;
        v[f] = blank(in[f]) ? NULL : ita_text_clean(a, in[f], strlen(in[f]));
    }
    if (!v[ITA_RF_YEAR])
        err[ITA_RF_YEAR] = "ต้องกรอกปีงบประมาณ";
    else if ((err[ITA_RF_YEAR] = ita_result_check_year(a, r, v[ITA_RF_YEAR], &out->fiscal_year)) ==
             NULL)
        out->year = v[ITA_RF_YEAR];
    if (!v[ITA_RF_TOTAL])
        err[ITA_RF_TOTAL] = "ต้องกรอกคะแนนรวม";
    else
        err[ITA_RF_TOTAL] = ita_result_check_score(a, v[ITA_RF_TOTAL], &out->total);
    for (int t = 0; t < 3; t++)
        if (v[ITA_RF_IIT + t])
            err[ITA_RF_IIT + t] = ita_result_check_score(a, v[ITA_RF_IIT + t], &out->tool[t]);
    bool ind_bad = false;
    for (int i = 0; i < ITA_RESULT_N_INDICATORS; i++) {
        if (v[ITA_RF_IND1 + i]) {
            err[ITA_RF_IND1 + i] =
                ita_result_check_score(a, v[ITA_RF_IND1 + i], &out->indicator[i]);
            ind_bad |= err[ITA_RF_IND1 + i] != NULL;
        }
    }
    if (!ind_bad) {
        /* the all-or-none rule counts what was typed */
        for (int i = 0; i < ITA_RESULT_N_INDICATORS; i++)
            if (!v[ITA_RF_IND1 + i])
                out->indicator[i] = NULL;
        const char *e = indicators_of(a, out);
        if (e)
            err[ITA_RF_IND1] = e;
    }
    if (!v[ITA_RF_RATING])
        err[ITA_RF_RATING] = "ต้องเลือกผลการประเมิน";
    else if (out->year)
        err[ITA_RF_RATING] =
            ita_result_check_rating(a, r, out->fiscal_year, v[ITA_RF_RATING], &out->rating);
    for (int f = 0; f < ITA_RF_COUNT; f++)
        bad += err[f] != NULL;
    return bad;
}

/* ---- the importer ---- */

enum column { C_CODE, C_FIELD0, C_COUNT = C_FIELD0 + ITA_RF_COUNT };

static const char *const CODE_ALIASES[] = {"รหัสหน่วยงาน",  "รหัส",  "agency",
                                           "agency code", "code", NULL};
static const char *const YEAR_ALIASES[] = {"ปีงบประมาณ", "ปี", "fiscal year", "year", NULL};
static const char *const TOTAL_ALIASES[] = {"คะแนนรวม", "คะแนน ITA", "total", "score", NULL};
static const char *const IIT_ALIASES[] = {"IIT", "คะแนน IIT", NULL};
static const char *const EIT_ALIASES[] = {"EIT", "คะแนน EIT", NULL};
static const char *const OIT_ALIASES[] = {"OIT", "คะแนน OIT", NULL};
static const char *const RATING_ALIASES[] = {
    "ผลการประเมิน", "ระดับผล", "ระดับผลการประเมิน", "rating", "grade", "tier", NULL};
#define IND_ALIASES(n)                                                                             \
    (const char *const[])                                                                          \
    {                                                                                              \
        "ตัวชี้วัด " #n, "ตัวชี้วัดที่ " #n, "indicator " #n, NULL                                           \
    }

static const char MSG_NO_ROWS[] = "ไฟล์มีแต่แถวหัวตาราง ไม่มีผลการประเมิน";
static const char MSG_NO_CODE_COL[] =
    "ไม่พบคอลัมน์รหัสหน่วยงาน: ไฟล์ของหลายหน่วยงานต้องมีคอลัมน์ \"รหัสหน่วยงาน\" (หรือ \"agency code\")";
static const char MSG_NO_YEAR_COL[] =
    "ไม่พบคอลัมน์ปีงบประมาณ: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"ปีงบประมาณ\" (หรือ \"year\")";
static const char MSG_NO_TOTAL_COL[] =
    "ไม่พบคอลัมน์คะแนนรวม: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ \"คะแนนรวม\" (หรือ \"total\")";
static const char MSG_NO_RATING_COL[] = "ไม่พบคอลัมน์ผลการประเมิน: แถวแรกของไฟล์ต้องเป็นหัวตารางที่มีคอลัมน์ "
                                        "\"ผลการประเมิน\" (หรือ \"rating\")";
static const char MSG_CODE_REQUIRED[] = "ต้องกรอกรหัสหน่วยงาน";
static const char MSG_CODE_UNKNOWN[] = "ไม่พบหน่วยงานรหัส \"%s\" ในระบบ (หรือไม่อยู่ในความดูแลของท่าน)";
static const char MSG_CODE_OTHER[] =
    "รหัสหน่วยงาน \"%s\" ไม่ใช่หน่วยงานนี้ (%s): ไฟล์ของหน่วยงานเดียวใส่ได้เฉพาะผลของหน่วยงานนี้";
static const char MSG_YEAR_REQUIRED[] = "ต้องกรอกปีงบประมาณ";
static const char MSG_TOTAL_REQUIRED[] = "ต้องกรอกคะแนนรวม";
static const char MSG_RATING_REQUIRED[] = "ต้องกรอกผลการประเมิน";
static const char MSG_DUP[] = "ปีงบประมาณ %s ของหน่วยงานนี้ซ้ำกับแถวที่ %lu";

static const char *check_code(struct ita_list_row *row, size_t col, char *code)
{
    struct ita_result_list *out = row->user;
    const struct ita_result_import_options *opt = out->opt;
    if (opt->only_code) {
        if (strcmp(code, opt->only_code) != 0) {
            ita_list_row_error(row, col, MSG_CODE_OTHER, ita_list_excerpt(row, code),
                               opt->only_code);
            return NULL;
        }
        return code;
    }
    if (!opt->codes || !ita_strmap_has(opt->codes, code)) {
        ita_list_row_error(row, col, MSG_CODE_UNKNOWN, ita_list_excerpt(row, code));
        return NULL;
    }
    return code;
}

static const char *check_year(struct ita_list_row *row, size_t col, char *v)
{
    struct ita_result_list *out = row->user;
    int fy;
    const char *e = ita_result_check_year(row->arena, &out->opt->rules, v, &fy);
    if (e) {
        ita_list_row_error(row, col, "%s", e);
        return NULL;
    }
    return v;
}

static const char *check_score(struct ita_list_row *row, size_t col, char *v)
{
    struct ita_result_list *out = row->user;
    if (col >= C_FIELD0 + ITA_RF_IND1 && col < C_FIELD0 + ITA_RF_RATING)
        out->indicators_given++; /* for the all-or-none rule, kept or not */
    const char *kept = NULL;
    const char *e = ita_result_check_score(row->arena, v, &kept);
    if (e)
        ita_list_row_error(row, col, "%s", e);
    return kept;
}

static const char *check_rating(struct ita_list_row *row, size_t col, char *v)
{
    struct ita_result_list *out = row->user;
    const char *year = row->values[C_FIELD0 + ITA_RF_YEAR];
    if (!year)
        return v; /* the year's own error says enough */
    const char *kept = NULL;
    const char *e = ita_result_check_rating(row->arena, &out->opt->rules, atoi(year), v, &kept);
    if (e)
        ita_list_row_error(row, col, "%s", e);
    return kept;
}

static struct ita_result_row row_of(struct ita_list_row *row)
{
    struct ita_result_list *out = row->user;
    const char *const *v = row->values;
    struct ita_result_row r = {
        .agency_code = v[C_CODE] ? v[C_CODE] : out->opt->only_code,
        .year = v[C_FIELD0 + ITA_RF_YEAR],
        .fiscal_year = v[C_FIELD0 + ITA_RF_YEAR] ? atoi(v[C_FIELD0 + ITA_RF_YEAR]) : 0,
        .total = v[C_FIELD0 + ITA_RF_TOTAL],
        .rating = v[C_FIELD0 + ITA_RF_RATING],
        .line = row->line,
    };
    for (int t = 0; t < 3; t++)
        r.tool[t] = v[C_FIELD0 + ITA_RF_IIT + t];
    for (int i = 0; i < ITA_RESULT_N_INDICATORS; i++)
        r.indicator[i] = v[C_FIELD0 + ITA_RF_IND1 + i];
    return r;
}

/* After the columns: indicators all or none, and one row per agency and year. */
static void check_row(struct ita_list_row *row)
{
    struct ita_result_list *out = row->user;
    struct ita_result_row r = row_of(row);
    int given = out->indicators_given;
    out->indicators_given = 0;
    if (given != 0 && given != ITA_RESULT_N_INDICATORS)
        ita_list_row_error(row, C_FIELD0 + ITA_RF_IND1, MSG_INDICATORS, given);
    if (!r.year || (!r.agency_code && !out->opt->only_code))
        return;
    const char *key =
        arena_sprintf(row->arena, "%s\x1f%s", r.agency_code ? r.agency_code : "", r.year);
    unsigned long first;
    if (!ita_strmap_add(&out->keys, key, row->line, &first))
        ita_list_row_error(row, C_FIELD0 + ITA_RF_YEAR, MSG_DUP, r.year, first);
}

static void accept_row(struct ita_list_row *row)
{
    struct ita_result_list *out = row->user;
    struct ita_result_row r = row_of(row);
    if (indicators_of(row->arena, &r) != NULL)
        abort(); /* check_row refused such a row */
    out->rows = ita_list_grow(out->rows, &out->cap_rows, out->n_rows, sizeof *out->rows);
    out->rows[out->n_rows++] = r;
}

int ita_result_list_parse(const void *bytes, size_t len,
                          const struct ita_result_import_options *opt, struct ita_result_list *out)
{
    memset(out, 0, sizeof *out);
    arena_init(&out->arena, 64 * 1024);
    ita_strmap_init(&out->keys);
    out->opt = opt;
    struct ita_list_column cols[C_COUNT] = {
        [C_CODE] = {CODE_ALIASES, opt->only_code ? NULL : MSG_NO_CODE_COL,
                    opt->only_code ? NULL : MSG_CODE_REQUIRED, check_code, 0},
        [C_FIELD0 +
            ITA_RF_YEAR] = {YEAR_ALIASES, MSG_NO_YEAR_COL, MSG_YEAR_REQUIRED, check_year, 0},
        [C_FIELD0 +
            ITA_RF_TOTAL] = {TOTAL_ALIASES, MSG_NO_TOTAL_COL, MSG_TOTAL_REQUIRED, check_score, 0},
        [C_FIELD0 + ITA_RF_IIT] = {IIT_ALIASES, NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_EIT] = {EIT_ALIASES, NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_OIT] = {OIT_ALIASES, NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 0] = {IND_ALIASES(1), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 1] = {IND_ALIASES(2), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 2] = {IND_ALIASES(3), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 3] = {IND_ALIASES(4), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 4] = {IND_ALIASES(5), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 5] = {IND_ALIASES(6), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 6] = {IND_ALIASES(7), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 7] = {IND_ALIASES(8), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 8] = {IND_ALIASES(9), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_IND1 + 9] = {IND_ALIASES(10), NULL, NULL, check_score, 0},
        [C_FIELD0 + ITA_RF_RATING] = {RATING_ALIASES, MSG_NO_RATING_COL, MSG_RATING_REQUIRED,
                                      check_rating, 60},
    };
    const struct ita_list_spec spec = {cols, C_COUNT, MSG_NO_ROWS, accept_row, out, check_row};
    const struct ita_list_sink sink = {&out->arena, &out->errors, &out->rows_read, &out->encoding};
    int rc = ita_list_import(bytes, len, &spec, &sink);
    out->opt = NULL;
    return rc;
}

void ita_result_list_free(struct ita_result_list *l)
{
    free(l->rows);
    ita_strmap_free(&l->keys);
    arena_reset(&l->arena);
    memset(l, 0, sizeof *l);
}

int ita_result_list_pg_arrays(const struct ita_result_list *l,
                              struct strbuf *const cols[ITA_RESULT_PG_COLS])
{
    static const size_t offsets[ITA_RESULT_PG_COLS] = {
        offsetof(struct ita_result_row, agency_code), offsetof(struct ita_result_row, year),
        offsetof(struct ita_result_row, total),       offsetof(struct ita_result_row, tool[0]),
        offsetof(struct ita_result_row, tool[1]),     offsetof(struct ita_result_row, tool[2]),
        offsetof(struct ita_result_row, indicators),  offsetof(struct ita_result_row, rating)};
    if (l->errors.total > 0)
        return -1;
    ita_pg_arrays_of_rows(l->rows, l->n_rows, sizeof *l->rows, offsets, cols, ITA_RESULT_PG_COLS);
    return 0;
}

void ita_result_template(struct strbuf *out, bool with_code, const char *code)
{
    strbuf_puts(out, "\xEF\xBB\xBF");
    if (with_code)
        strbuf_puts(out, "รหัสหน่วยงาน,");
    strbuf_puts(out, "ปีงบประมาณ,คะแนนรวม,IIT,EIT,OIT");
    for (int i = 1; i <= ITA_RESULT_N_INDICATORS; i++)
        strbuf_printf(out, ",ตัวชี้วัด %d", i);
    strbuf_puts(out, ",ผลการประเมิน\r\n");
    if (with_code)
        strbuf_printf(out, "%s,", code);
    strbuf_puts(out, "2565,92.50,90.12,94.30,93.00,"
                     "91.20,89.50,90.10,89.80,90.00,95.10,93.40,94.40,92.00,94.00,A\r\n");
}
