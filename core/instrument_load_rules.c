/* The loader's "weights" and "rating" parts: how a fiscal year turns the three tool scores into a
 * total and a rating (instruments/README.md). Both are required: they changed in 2567 and are
 * per-year data, never constants in the program. Messages are Thai, with the JSON path. */
#include "instrument_load.h"

#include "strbuf.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const TOOLS[ITA_N_INSTRUMENTS] = {"IIT", "EIT", "OIT"};

ITA_WUR static int parse_weights(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"IIT", "EIT", "OIT", "verified", "source", NULL};
    struct ita_rules *r = &ld->v->rules;
    json_t *w;
    if (ita_ld_get_part(ld, root, "weights", JSON_OBJECT, &w) < 0 ||
        ita_ld_check_keys(ld, w, "weights", keys) < 0)
        return -1;
    int sum = 0;
    for (int k = 0; k < ITA_N_INSTRUMENTS; k++) {
        if (ita_ld_get_int(ld, w, "weights", TOOLS[k], 0, 100, &r->weight[k]) < 0)
            return -1;
        sum += r->weight[k];
    }
    if (sum != 100)
        return ita_ld_fail(ld, "weights",
                           "น้ำหนัก IIT %d + EIT %d + OIT %d รวมได้ %d; ต้องรวมกันได้ 100 (ร้อยละ)",
                           r->weight[ITA_IIT], r->weight[ITA_EIT], r->weight[ITA_OIT], sum);
    if (ita_ld_get_bool(ld, w, "weights", "verified", &r->weights_verified) < 0 ||
        ita_ld_get_text(ld, w, "weights", "source", false, &r->weights_source) < 0)
        return -1;
    return 0;
}

/* "tool_min": one points value for all three tools, or {"IIT": .., "EIT": .., "OIT": ..}. */
ITA_WUR static int parse_tool_min(struct loader *ld, json_t *j, const char *path,
                                  struct ita_rating_level *lv)
{
    char *p = xasprintf("%s.tool_min", path);
    int rc = 0;
    lv->has_tool_min = true;
    if (json_is_object(j)) {
        static const char *const keys[] = {"IIT", "EIT", "OIT", NULL};
        if (ita_ld_check_keys(ld, j, p, keys) < 0) {
            rc = -1;
            goto out;
        }
        for (int k = 0; k < ITA_N_INSTRUMENTS && rc == 0; k++) {
            json_t *t = json_object_get(j, TOOLS[k]);
            char *pk = xasprintf("%s.%s", p, TOOLS[k]);
            if (!t)
                rc = ita_ld_fail(ld, p, "ไม่มี \"%s\": ใส่เกณฑ์ขั้นต่ำของทั้ง IIT, EIT และ OIT", TOOLS[k]);
            else
                rc = ita_ld_points(ld, t, pk, &lv->tool_min[k]);
            free(pk);
        }
    } else {
        rc = ita_ld_points(ld, j, p, &lv->tool_min[0]);
        lv->tool_min[1] = lv->tool_min[2] = lv->tool_min[0];
    }
out:
    free(p);
    return rc;
}

ITA_WUR static int parse_level(struct loader *ld, json_t *j, const char *path,
                               struct ita_rating_level *lv)
{
    static const char *const keys[] = {"name_th", "name_en", "total_min", "tool_min", "pass", NULL};
    if (ita_ld_need_object(ld, j, path) < 0 || ita_ld_check_keys(ld, j, path, keys) < 0 ||
        ita_ld_get_text(ld, j, path, "name_th", true, &lv->name_th) < 0 ||
        ita_ld_get_text(ld, j, path, "name_en", false, &lv->name_en) < 0 ||
        ita_ld_get_bool(ld, j, path, "pass", &lv->pass) < 0)
        return -1;
    json_t *t = json_object_get(j, "total_min");
    if (!t)
        return ita_ld_fail(ld, path, "ไม่มี \"total_min\": คะแนนรวมขั้นต่ำของระดับนี้ (0-100)");
    char *p = xasprintf("%s.total_min", path);
    int rc = ita_ld_points(ld, t, p, &lv->total_min);
    free(p);
    if (rc < 0)
        return -1;
    json_t *tm = json_object_get(j, "tool_min");
    if (tm && parse_tool_min(ld, tm, path, lv) < 0)
        return -1;
    return 0;
}

/* The levels must give every total exactly one reachable rating: totals non-increasing, the last
 * level open to every score, no level hidden behind an easier one, passing levels first. */
ITA_WUR static int check_levels(struct loader *ld, const struct ita_rules *r)
{
    static const struct ita_rational zero = {0, 1};
    for (size_t i = 0; i < r->n_levels; i++) {
        const struct ita_rating_level *lv = &r->levels[i];
        char *p = xasprintf("rating.levels[%zu] (%s)", i, lv->name_th);
        int rc = 0;
        for (size_t k = 0; k < i && rc == 0; k++)
            if (strcmp(r->levels[k].name_th, lv->name_th) == 0)
                rc = ita_ld_fail(ld, p, "ชื่อระดับ '%s' ซ้ำกับ rating.levels[%zu]", lv->name_th, k);
        if (rc == 0 && i > 0) {
            const struct ita_rating_level *up = &r->levels[i - 1];
            if (!ita_rational_le(lv->total_min, up->total_min))
                rc = ita_ld_fail(ld, p,
                                 "\"total_min\" สูงกว่าระดับก่อนหน้า (%s); เรียงระดับจากดีที่สุดลงมา "
                                 "โดยคะแนนรวมขั้นต่ำไม่เพิ่มขึ้น",
                                 up->name_th);
            else if (ita_rational_eq(lv->total_min, up->total_min) && !up->has_tool_min)
                rc = ita_ld_fail(ld, p,
                                 "ไม่มีทางได้ระดับนี้: ระดับก่อนหน้า (%s) มีคะแนนรวมขั้นต่ำเท่ากันและ"
                                 "ไม่มีเกณฑ์รายเครื่องมือ",
                                 up->name_th);
            else if (lv->pass && !up->pass)
                rc = ita_ld_fail(ld, p, "ระดับที่ผ่าน (\"pass\": true) ต้องมาก่อนระดับที่ไม่ผ่าน (%s)",
                                 up->name_th);
        }
        if (rc == 0 && i + 1 == r->n_levels &&
            (!ita_rational_eq(lv->total_min, zero) || lv->has_tool_min))
            rc = ita_ld_fail(ld, p,
                             "ระดับสุดท้ายต้องมี \"total_min\": 0 และไม่มี \"tool_min\" "
                             "เพื่อให้ทุกคะแนนได้ระดับ");
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

ITA_WUR static int parse_rating(struct loader *ld, json_t *root)
{
    static const char *const keys[] = {"levels", "verified", "source", NULL};
    static const struct ita_ld_array LEVELS = {"levels",
                                               ": รายการระดับผลการประเมิน เรียงจากดีที่สุด",
                                               "an array",
                                               "levels",
                                               "a rating",
                                               2,
                                               ITA_MAX_RATING_LEVELS,
                                               ""};
    struct ita_rules *r = &ld->v->rules;
    json_t *rating, *levels;
    size_t n;
    if (ita_ld_get_part(ld, root, "rating", JSON_OBJECT, &rating) < 0 ||
        ita_ld_check_keys(ld, rating, "rating", keys) < 0 ||
        ita_ld_get_array(ld, rating, "rating", &LEVELS, &levels, &n) < 0 ||
        ita_ld_get_bool(ld, rating, "rating", "verified", &r->rating_verified) < 0 ||
        ita_ld_get_text(ld, rating, "rating", "source", false, &r->rating_source) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char *p = xasprintf("rating.levels[%zu]", i);
        r->n_levels = i + 1; /* so that ita_version_free frees what this level holds */
        int rc = parse_level(ld, json_array_get(levels, i), p, &r->levels[i]);
        free(p);
        if (rc < 0)
            return -1;
        if (r->levels[i].has_tool_min)
            r->tiered = true;
    }
    return check_levels(ld, r);
}

int ita_ld_rules(struct loader *ld, json_t *root)
{
    int rc = parse_weights(ld, root); /* independent parts: both are checked and reported */
    rc |= parse_rating(ld, root);
    return rc;
}
