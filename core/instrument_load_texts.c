/* Instrument version loader, the optional texts that the OIT work and the O42 report start from:
 * an OIT item's องค์ประกอบด้านข้อมูล ("requirements_th") and หน่วยงานรับผิดชอบ ("units_th"), a
 * question's NACC suggestion ("suggestion_th") and the version's "report" defaults (objectives,
 * benefits, timetable, coordinator). None of them changes how answers score. */
#include "instrument_load.h"

#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_REQUIREMENTS 40   /* bullets of one OIT item */
#define MAX_UNITS 20          /* responsible units of one OIT item */
#define MAX_UNIT_CHARS 200    /* longest unit name, characters (as org_unit.name_th) */
#define MAX_PARAGRAPHS 30     /* objectives or benefits */
#define MAX_TIMETABLE_ROWS 40 /* rows of the timetable */

static const struct ita_ld_array REQUIREMENTS = {
    "requirements_th",          "", "อาร์เรย์ของข้อความ", "ข้อ",
    "ข้อ OIT หนึ่งข้อมีองค์ประกอบได้", 1,  MAX_REQUIREMENTS,  "ข้อ (ถ้าไม่มีให้ลบคีย์นี้ออก)"};
static const struct ita_ld_array UNITS = {
    "units_th", "",        "อาร์เรย์ของข้อความ",          "หน่วยงาน", "ข้อ OIT หนึ่งข้อมีหน่วยงานรับผิดชอบได้",
    1,          MAX_UNITS, "หน่วยงาน (ถ้าไม่มีให้ลบคีย์นี้ออก)"};
static const struct ita_ld_array OBJECTIVES = {
    "objectives_th", "", "อาร์เรย์ของข้อความ", "ย่อหน้า",
    "วัตถุประสงค์มีได้",  1,  MAX_PARAGRAPHS,    "ย่อหน้า (ถ้าไม่มีให้ลบคีย์นี้ออก)"};
static const struct ita_ld_array BENEFITS = {"benefits_th",
                                             "",
                                             "อาร์เรย์ของข้อความ",
                                             "ย่อหน้า",
                                             "ประโยชน์ที่คาดว่าจะได้รับมีได้",
                                             1,
                                             MAX_PARAGRAPHS,
                                             "ย่อหน้า (ถ้าไม่มีให้ลบคีย์นี้ออก)"};
static const struct ita_ld_array TIMETABLE = {
    "timetable",     "", "อาร์เรย์ [...]",     "แถว",
    "ตารางขั้นตอนมีได้", 1,  MAX_TIMETABLE_ROWS, "แถว (ถ้าไม่มีให้ลบคีย์นี้ออก)"};

/* Characters (UTF-8 code points) of s. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            n++;
    return n;
}

/* A default text of the report may name the agency only through ITA_AGENCY_PLACEHOLDER: any
 * other "{" is a mistyped placeholder that the report would print as it is. */
ITA_WUR static int check_placeholders(struct loader *ld, const char *path, const char *key,
                                      const char *s)
{
    static const char P[] = ITA_AGENCY_PLACEHOLDER;
    for (const char *at = strchr(s, '{'); at; at = strchr(at + 1, '{')) {
        if (strncmp(at, P, sizeof P - 1) != 0) {
            const char *end = strchr(at, '}');
            int len = end && end - at < 40 ? (int)(end - at + 1) : 12;
            return ita_ld_fail(ld, path,
                               "%s%s%sมี \"%.*s\" ซึ่งไม่ใช่ตัวแทนที่รู้จัก: ใช้ได้เฉพาะ %s (แทนชื่อหน่วยงาน)",
                               key ? "\"" : "", key ? key : "", key ? "\" " : "", len, at, P);
        }
    }
    return 0;
}

/* An optional array of texts `a->key` of obj into *out / *n (owned by the caller, who frees
 * them also on failure); placeholders are checked when `templated`; unit names when `units`
 * (one line, at most MAX_UNIT_CHARS characters, no repeats). Absent: *out NULL, *n 0. */
ITA_WUR static int text_list(struct loader *ld, json_t *obj, const char *path,
                             const struct ita_ld_array *a, bool templated, bool units, char ***out,
                             size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!json_object_get(obj, a->key))
        return 0;
    json_t *arr;
    size_t len;
    if (ita_ld_get_array(ld, obj, path, a, &arr, &len) < 0)
        return -1;
    char **list = xcalloc(len, sizeof *list);
    int rc = 0;
    for (size_t i = 0; i < len; i++) {
        json_t *e = json_array_get(arr, i);
        char *p = xasprintf("%s.%s[%zu]", path, a->key, i);
        if (!json_is_string(e)) {
            rc = ita_ld_fail(ld, p, "ต้องเป็นข้อความ แต่พบ%s", ita_ld_json_kind(e));
        } else if (ita_ld_check_text(ld, p, NULL, json_string_value(e), json_string_length(e)) <
                   0) {
            rc = -1;
        } else {
            const char *s = json_string_value(e);
            int erc = templated ? check_placeholders(ld, p, NULL, s) : 0;
            if (erc == 0 && units && strchr(s, '\n'))
                erc = ita_ld_fail(ld, p, "ชื่อหน่วยงานต้องอยู่ในบรรทัดเดียว");
            else if (erc == 0 && units && utf8_chars(s) > MAX_UNIT_CHARS)
                erc = ita_ld_fail(ld, p, "ชื่อหน่วยงานยาว %zu ตัวอักษร เกินกำหนด %d ตัวอักษร",
                                  utf8_chars(s), MAX_UNIT_CHARS);
            for (size_t k = 0; erc == 0 && units && k < i; k++)
                if (list[k] && strcmp(list[k], s) == 0)
                    erc = ita_ld_fail(ld, p, "หน่วยงาน '%s' ซ้ำกับ %s[%zu]", s, a->key, k);
            if (erc == 0)
                list[i] = xstrdup(s);
            rc |= erc;
        }
        free(p);
    }
    *out = list;
    *n = len;
    return rc;
}

ITA_WUR int ita_ld_question_texts(struct loader *ld, json_t *j, const char *path,
                                  struct ita_question *q)
{
    if (ita_ld_get_text(ld, j, path, "suggestion_th", false, &q->suggestion_th) < 0)
        return -1;
    if (q->suggestion_th)
        return check_placeholders(ld, path, "suggestion_th", q->suggestion_th);
    return 0;
}

ITA_WUR int ita_ld_oit_item_texts(struct loader *ld, json_t *j, const char *path,
                                  struct ita_oit_item *it)
{
    int rc = text_list(ld, j, path, &REQUIREMENTS, false, false, &it->requirements_th,
                       &it->n_requirements);
    rc |= text_list(ld, j, path, &UNITS, false, true, &it->units_th, &it->n_units);
    return rc;
}

/* One row of "report.timetable" into *row. */
ITA_WUR static int timetable_row(struct loader *ld, const char *path, json_t *j,
                                 struct ita_timetable_row *row)
{
    static const char *const keys[] = {"step_th", "period_th", "method_th", NULL};
    if (ita_ld_need_object(ld, j, path) < 0)
        return -1;
    int rc = ita_ld_check_keys(ld, j, path, keys);
    rc |= ita_ld_get_text(ld, j, path, "step_th", true, &row->step_th);
    rc |= ita_ld_get_text(ld, j, path, "period_th", true, &row->period_th);
    rc |= ita_ld_get_text(ld, j, path, "method_th", true, &row->method_th);
    if (row->step_th)
        rc |= check_placeholders(ld, path, "step_th", row->step_th);
    if (row->method_th)
        rc |= check_placeholders(ld, path, "method_th", row->method_th);
    return rc;
}

ITA_WUR int ita_ld_report(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"objectives_th", "benefits_th", "timetable",
                                       "coordinator_th", NULL};
    struct ita_report_defaults *r = &ld->v->report;
    json_t *j = json_object_get(root, "report");
    if (!j)
        return 0;
    if (ita_ld_need_object(ld, j, "report") < 0)
        return -1;
    if (json_object_size(j) == 0)
        return ita_ld_fail(ld, "report",
                           "ว่าง: ใส่ \"objectives_th\", \"benefits_th\", \"timetable\" หรือ "
                           "\"coordinator_th\" หรือลบ \"report\" ออก");
    int rc = ita_ld_check_keys(ld, j, "report", keys);
    rc |= text_list(ld, j, "report", &OBJECTIVES, true, false, &r->objectives_th, &r->n_objectives);
    rc |= text_list(ld, j, "report", &BENEFITS, true, false, &r->benefits_th, &r->n_benefits);
    if (ita_ld_get_text(ld, j, "report", "coordinator_th", false, &r->coordinator_th) < 0)
        rc = -1;
    else if (r->coordinator_th)
        rc |= check_placeholders(ld, "report", "coordinator_th", r->coordinator_th);
    if (json_object_get(j, "timetable")) {
        json_t *rows;
        size_t n;
        if (ita_ld_get_array(ld, j, "report", &TIMETABLE, &rows, &n) < 0)
            return -1;
        r->timetable = xcalloc(n, sizeof *r->timetable);
        r->n_timetable = n;
        for (size_t i = 0; i < n; i++) {
            char *p = xasprintf("report.timetable[%zu]", i);
            rc |= timetable_row(ld, p, json_array_get(rows, i), &r->timetable[i]);
            free(p);
        }
    }
    return rc;
}
