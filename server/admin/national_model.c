/* The national view's pure part (see national_model.h): derived states, filters, the sort, the
 * totals and distributions, CSV and JSON of the filtered rows. */
#include "national_model.h"
#include "csv_write.h"
#include "thai_date.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct national_choice NATIONAL_STATES[NS_COUNT] = {
    [NS_ALL] = {"all", "ทุกหน่วยงาน"},      [NS_LOW14] = {"low14", "ต่ำกว่าขั้นต่ำ และเหลือไม่เกิน 14 วัน"},
    [NS_BELOW] = {"below", "ยังไม่ถึงขั้นต่ำ"}, [NS_REACHED] = {"reached", "ถึงขั้นต่ำแล้ว"},
    [NS_UNSET] = {"unset", "ยังไม่ตั้งค่าปี"},  [NS_OPEN] = {"open", "เปิดรับอยู่"},
    [NS_CLOSED] = {"closed", "ปิดรับแล้ว"},  [NS_PUBLISHED] = {"published", "เผยแพร่ผลแล้ว"},
};

const struct national_choice NATIONAL_COLS[NC_COUNT] = {
    [NC_CODE] = {"code", "รหัส"},        [NC_NAME] = {"name", "หน่วยงาน"},
    [NC_KIND] = {"kind", "ประเภท"},     [NC_PARENT] = {"parent", "ต้นสังกัด"},
    [NC_IIT] = {"iit", "IIT"},          [NC_EIT] = {"eit", "EIT"},
    [NC_DAYS] = {"days", "ช่วงเวลาตอบ"}, [NC_OIT] = {"oit", "OIT"},
    [NC_SCORE] = {"score", "คะแนน"},    [NC_RATING] = {"rating", "ระดับผล"},
};

const char *const NATIONAL_BIN_TH[NATIONAL_SCORE_BINS] = {
    "ต่ำกว่า 50", "50–<60", "60–<70", "70–<80", "80–<85", "85–<90", "90–<95", "95 ขึ้นไป",
};
static const long BIN_LOW[NATIONAL_SCORE_BINS] = {0, 5000, 6000, 7000, 8000, 8500, 9000, 9500};

int national_choice_find(const struct national_choice *list, size_t n, const char *s)
{
    for (size_t i = 0; s && *s && i < n; i++)
        if (strcmp(list[i].key, s) == 0)
            return (int)i;
    return -1;
}

bool national_parse_total(const char *s, long *hundredths)
{
    long whole = 0, frac = 0;
    int nf = 0, nw = 0;
    const char *c = s;
    for (; *c >= '0' && *c <= '9' && nw < 4; c++, nw++)
        whole = whole * 10 + (*c - '0');
    if (nw == 0)
        return false;
    if (*c == '.')
        for (c++; *c >= '0' && *c <= '9' && nf < 2; c++, nf++)
            frac = frac * 10 + (*c - '0');
    if (*c)
        return false;
    if (nf == 1)
        frac *= 10;
    long v = whole * 100 + frac;
    if (v > 10000)
        return false;
    *hundredths = v;
    return true;
}

void national_derive(struct national_row *rows, size_t n, const struct national_year *y,
                     const char *today)
{
    for (size_t i = 0; i < n; i++) {
        struct national_row *r = &rows[i];
        for (int k = 0; k < 2; k++)
            r->need[k] = ita_min_sample(&y->rules[k], r->population[k]);
        r->window = NW_UNSET;
        r->days = 0;
        if (r->set) {
            struct ita_window w = ita_window_on(r->opens, r->closes, today);
            r->window = w.state == ITA_WINDOW_OPEN       ? NW_OPEN
                        : w.state == ITA_WINDOW_NOT_OPEN ? NW_NOT_OPEN
                        : w.state == ITA_WINDOW_CLOSED   ? NW_CLOSED
                                                         : NW_UNSET;
            r->days = w.days;
        }
        r->level = -1;
        for (size_t l = 0; r->published && l < y->n_levels; l++)
            if (strcmp(r->rating, y->levels[l]) == 0)
                r->level = (int)l;
    }
}

bool national_reached(const struct national_row *r)
{
    return r->set && r->responses[0] >= r->need[0] && r->responses[1] >= r->need[1];
}

bool national_in_state(const struct national_row *r, enum national_state st)
{
    switch (st) {
    case NS_ALL:
        return true;
    case NS_LOW14:
        return r->set && r->window == NW_OPEN && r->days <= NATIONAL_LOW_DAYS &&
               !national_reached(r);
    case NS_BELOW:
        return r->set && !national_reached(r);
    case NS_REACHED:
        return national_reached(r);
    case NS_UNSET:
        return !r->set;
    case NS_OPEN:
        return r->window == NW_OPEN;
    case NS_CLOSED:
        return r->window == NW_CLOSED;
    case NS_PUBLISHED:
        return r->published;
    case NS_COUNT:
        break;
    }
    return false;
}

/* ---- the sort ---- */

/* The sort runs on one thread at a time per job; qsort has no context argument, so the job's
 * rows and column are passed in a thread-local. */
static _Thread_local const struct national_row *sort_rows;
static _Thread_local enum national_col sort_col;
static _Thread_local bool sort_desc;

/* The share of the minimum reached, in millionths (a minimum of 0 counts as reached). */
static long long share(const struct national_row *r, int k)
{
    if (r->need[k] <= 0)
        return 1000000LL;
    return (long long)r->responses[k] * 1000000LL / r->need[k];
}

/* The days column's order: open windows by days left, then not yet open (soonest first), then
 * closed (most recent first). */
static long long days_key(const struct national_row *r)
{
    switch (r->window) {
    case NW_OPEN:
        return r->days;
    case NW_NOT_OPEN:
        return 100000 + r->days;
    case NW_CLOSED:
        return 200000 + r->days;
    case NW_UNSET:
        break;
    }
    return 0;
}

static int cmp_ll(long long a, long long b)
{
    return a < b ? -1 : a > b;
}

/* Compares a and b by the column; *has_a and *has_b say whether each has the value at all. */
static int cmp_col(const struct national_row *a, const struct national_row *b, bool *has_a,
                   bool *has_b)
{
    *has_a = *has_b = true;
    switch (sort_col) {
    case NC_CODE:
        return strcmp(a->code, b->code);
    case NC_NAME:
        return strcmp(a->name, b->name);
    case NC_KIND:
        *has_a = *a->kind, *has_b = *b->kind;
        return strcmp(a->kind, b->kind);
    case NC_PARENT:
        *has_a = *a->parent, *has_b = *b->parent;
        return strcmp(a->parent, b->parent);
    case NC_IIT:
    case NC_EIT: {
        int k = sort_col == NC_IIT ? 0 : 1;
        *has_a = a->set, *has_b = b->set;
        int c = cmp_ll(share(a, k), share(b, k));
        return c ? c : cmp_ll(a->responses[k], b->responses[k]);
    }
    case NC_DAYS:
        *has_a = a->window != NW_UNSET, *has_b = b->window != NW_UNSET;
        return cmp_ll(days_key(a), days_key(b));
    case NC_OIT:
        return cmp_ll(a->oit, b->oit);
    case NC_SCORE:
        *has_a = a->published, *has_b = b->published;
        return cmp_ll(a->total_c, b->total_c);
    case NC_RATING:
        /* ascending: the best level first (the levels are listed best first) */
        *has_a = a->published && *a->rating, *has_b = b->published && *b->rating;
        if (a->level != b->level)
            return a->level < 0 ? 1 : b->level < 0 ? -1 : cmp_ll(a->level, b->level);
        return strcmp(a->rating, b->rating);
    case NC_COUNT:
        break;
    }
    return 0;
}

static int cmp_idx(const void *pa, const void *pb)
{
    const struct national_row *a = &sort_rows[*(const size_t *)pa];
    const struct national_row *b = &sort_rows[*(const size_t *)pb];
    bool ha, hb;
    int c = cmp_col(a, b, &ha, &hb);
    if (ha != hb)
        return ha ? -1 : 1; /* without a value: last either way */
    if (ha && c)
        return sort_desc ? -c : c;
    c = strcmp(a->code, b->code);
    return c ? c : cmp_ll(a->id, b->id);
}

size_t national_select(const struct national_row *rows, size_t n, const struct national_query *q,
                       const struct national_year *y, size_t *idx, struct national_totals *t)
{
    size_t m = 0;
    if (t)
        memset(t, 0, sizeof *t);
    for (size_t i = 0; i < n; i++) {
        const struct national_row *r = &rows[i];
        if (!national_in_state(r, q->state))
            continue;
        if (*q->rating && !(r->published && strcmp(r->rating, q->rating) == 0))
            continue;
        idx[m++] = i;
        if (!t)
            continue;
        t->agencies++;
        t->set += r->set;
        t->reached += national_reached(r);
        t->not_reached += r->set && !national_reached(r);
        t->closed += r->window == NW_CLOSED;
        t->open += r->window == NW_OPEN;
        t->low14 += national_in_state(r, NS_LOW14);
        if (r->published) {
            t->published++;
            if (r->level >= 0 && (size_t)r->level < y->n_levels)
                t->per_level[r->level]++;
            else
                t->other_level++;
            int b = NATIONAL_SCORE_BINS - 1;
            while (b > 0 && r->total_c < BIN_LOW[b])
                b--;
            t->bins[b]++;
        }
    }
    sort_rows = rows;
    sort_col = q->sort;
    sort_desc = q->desc;
    qsort(idx, m, sizeof *idx, cmp_idx);
    return m;
}

/* ---- CSV and JSON ---- */

static const char *const CSV_TH[] = {
    "รหัส",      "หน่วยงาน",    "ประเภท",          "รหัสต้นสังกัด",      "ตั้งค่าปีแล้ว",
    "วันเปิดรับ",  "วันปิดรับ",     "สถานะช่วงเวลาตอบ", "จำนวนวัน",        "IIT ตอบแล้ว",
    "IIT ขั้นต่ำ", "EIT ตอบแล้ว", "EIT ขั้นต่ำ",        "ถึงขั้นต่ำทั้งสองแบบ", "OIT ประเมินแล้ว (ข้อ)",
    "คะแนนรวม", "ระดับผล",
};
static const char *const CSV_EN[] = {
    "code",           "name",    "kind",         "parent_code",   "set_up",         "opens_on",
    "closes_on",      "window",  "window_days",  "iit_responses", "iit_min_sample", "eit_responses",
    "eit_min_sample", "reached", "oit_assessed", "total",         "rating",
};
static const char *const WINDOW_KEY[] = {"unset", "not_open", "open", "closed"};
static const char *const WINDOW_TH[] = {"ยังไม่ตั้งค่า", "ยังไม่เปิด", "เปิดรับอยู่", "ปิดรับแล้ว"};

void national_csv(struct strbuf *out, const struct national_row *rows, const size_t *idx, size_t n,
                  bool thai)
{
    ita_csv_write_bom(out);
    ita_csv_write_row(out, thai ? CSV_TH : CSV_EN, sizeof CSV_EN / sizeof CSV_EN[0]);
    for (size_t i = 0; i < n; i++) {
        const struct national_row *r = &rows[idx[i]];
        char num[8][24];
        snprintf(num[0], sizeof num[0], "%ld", r->days);
        snprintf(num[1], sizeof num[1], "%ld", r->responses[0]);
        snprintf(num[2], sizeof num[2], "%ld", r->need[0]);
        snprintf(num[3], sizeof num[3], "%ld", r->responses[1]);
        snprintf(num[4], sizeof num[4], "%ld", r->need[1]);
        snprintf(num[5], sizeof num[5], "%ld", r->oit);
        const char *yes = thai ? "ใช่" : "true", *no = thai ? "ไม่ใช่" : "false";
        const char *f[] = {
            r->code,
            r->name,
            r->kind,
            r->parent,
            r->set ? yes : no,
            r->opens,
            r->closes,
            thai ? WINDOW_TH[r->window] : WINDOW_KEY[r->window],
            r->window == NW_UNSET ? "" : num[0],
            num[1],
            r->set ? num[2] : "",
            num[3],
            r->set ? num[4] : "",
            r->set ? (national_reached(r) ? yes : no) : "",
            num[5],
            r->published ? r->total : "",
            r->published ? r->rating : "",
        };
        ita_csv_write_row(out, f, sizeof f / sizeof f[0]);
    }
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

void national_json(struct strbuf *out, const struct national_year *y,
                   const struct national_row *rows, const size_t *idx, size_t n,
                   const struct national_totals *t)
{
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const struct national_row *r = &rows[idx[i]];
        json_t *o =
            json_pack("{s:I, s:s, s:s, s:o, s:o, s:b, s:o, s:o, s:s}", "id", (json_int_t)r->id,
                      "code", r->code, "name", r->name, "kind", str_or_null(r->kind), "parent_code",
                      str_or_null(r->parent), "set_up", r->set, "opens_on", str_or_null(r->opens),
                      "closes_on", str_or_null(r->closes), "window", WINDOW_KEY[r->window]);
        json_object_set_new(o, "window_days",
                            r->window == NW_UNSET ? json_null() : json_integer(r->days));
        for (int k = 0; k < 2; k++)
            json_object_set_new(o, k ? "eit" : "iit",
                                json_pack("{s:I, s:o}", "responses", (json_int_t)r->responses[k],
                                          "min_sample",
                                          r->set ? json_integer(r->need[k]) : json_null()));
        json_object_set_new(o, "reached", r->set ? json_boolean(national_reached(r)) : json_null());
        json_object_set_new(o, "oit_assessed", json_integer(r->oit));
        json_object_set_new(o, "total",
                            r->published ? json_real((double)r->total_c / 100.0) : json_null());
        json_object_set_new(o, "rating", r->published ? str_or_null(r->rating) : json_null());
        json_array_append_new(list, o);
    }
    json_t *levels = json_object();
    for (size_t l = 0; l < y->n_levels; l++)
        json_object_set_new(levels, y->levels[l], json_integer(t->per_level[l]));
    json_t *bins = json_array();
    for (int b = 0; b < NATIONAL_SCORE_BINS; b++)
        json_array_append_new(bins, json_pack("{s:f, s:I}", "from", (double)BIN_LOW[b] / 100.0,
                                              "agencies", (json_int_t)t->bins[b]));
    json_t *doc = json_pack(
        "{s:i, s:I, s:{s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o}", "fiscal_year", y->fy,
        "oit_items", (json_int_t)y->oit_items, "totals", "agencies", (json_int_t)t->agencies,
        "set_up", (json_int_t)t->set, "reached", (json_int_t)t->reached, "closed",
        (json_int_t)t->closed, "published", (json_int_t)t->published, "below_min_14_days",
        (json_int_t)t->low14, "ratings", levels, "score_bins", bins, "agencies", list);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    if (text) {
        strbuf_puts(out, text);
        free(text);
    }
}
