/* Reviewing an instrument version before it is published (see instrument_review.h): the
 * unconfirmed items found by walking the document, messages split into lines, and the decision
 * of the replacement rule against the stored version of the year. */
#include "instrument_review.h"
#include "strbuf.h"
#include "xalloc.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- unconfirmed items ---- */

struct walk {
    struct review *r;
    size_t cap;             /* allocated length of r->items */
    const char *top;        /* the top-level key the walk is under ("" at the root) */
    const char *instrument; /* under instruments[i]: that instrument's code, else NULL */
};

/* What an object at path is, in Thai, from the part of the document it is in. */
static const char *kind_th(const struct walk *w, const char *path)
{
    if (!strcmp(w->top, "point_maps"))
        return "ตารางคะแนน";
    if (!strcmp(w->top, "scales"))
        return "ชุดคำตอบ";
    if (!strcmp(w->top, "instruments"))
        return strstr(path, ".fields[") ? "ข้อย่อย" : strstr(path, ".questions[") ? "คำถาม" : "แบบวัด";
    if (!strcmp(w->top, "oit"))
        return strstr(path, ".items[") ? "ข้อ OIT" : "ตัวชี้วัดย่อย OIT";
    if (!strcmp(w->top, "weights"))
        return "น้ำหนักคะแนน";
    if (!strcmp(w->top, "rating"))
        return "เกณฑ์ระดับผลการประเมิน";
    if (!strcmp(w->top, "indicators"))
        return "ตัวชี้วัด";
    if (!strcmp(w->top, "sample_rule"))
        return "เกณฑ์จำนวนตัวอย่างขั้นต่ำ";
    return "รายการ";
}

static bool is_false(json_t *o, const char *key)
{
    json_t *j = json_object_get(o, key);
    return j && json_is_false(j);
}

static void add_item(struct walk *w, const char *path, json_t *o, const char *name, bool note)
{
    struct review *r = w->r;
    if (r->n_items == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 16;
        r->items = xreallocarray(r->items, w->cap, sizeof *r->items);
    }
    const char *code = json_string_value(json_object_get(o, "code"));
    if (!code && name && strcmp(path, w->top) != 0)
        code = name; /* a named entry (point map, scale); not a whole part such as "weights" */
    struct strbuf what;
    strbuf_init(&what);
    strbuf_printf(&what, "%s%s", note ? "หมายเหตุของ" : "", kind_th(w, path));
    if (code && *code)
        strbuf_printf(&what, " %s", code);
    if (w->instrument && strstr(path, ".questions["))
        strbuf_printf(&what, " (%s)", w->instrument);
    /* where the text comes from; for a question's note the note itself is what is unconfirmed */
    const char *source = NULL;
    if (!note) {
        source = json_string_value(json_object_get(o, "source"));
        if (!source)
            source = json_string_value(json_object_get(o, "note"));
    }
    r->items[r->n_items++] = (struct review_item){
        .path = xstrdup(*path ? path : "(root)"),
        .what_th = strbuf_detach(&what),
        .source = source ? xstrdup(source) : NULL,
    };
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void walk_value(struct walk *w, json_t *j, const char *path, const char *name);

/* The members of object o, sorted by name (their order in a jsonb document is not the file's). */
static void walk_members(struct walk *w, json_t *o, const char *path)
{
    size_t n = json_object_size(o), i = 0;
    const char **keys = xcalloc(n ? n : 1, sizeof *keys);
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v)
    {
        keys[i++] = key;
    }
    qsort(keys, n, sizeof *keys, cmp_str);
    for (i = 0; i < n; i++) {
        char *sub = xasprintf("%s.%s", path, keys[i]);
        walk_value(w, json_object_get(o, keys[i]), sub, keys[i]);
        free(sub);
    }
    free(keys);
}

/* name: the key this value has in its parent object, or NULL in an array. */
static void walk_value(struct walk *w, json_t *j, const char *path, const char *name)
{
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            char *sub = xasprintf("%s[%zu]", path, i);
            json_t *e = json_array_get(j, i);
            const char *saved = w->instrument;
            if (!strcmp(path, "instruments") && json_is_object(e))
                w->instrument = json_string_value(json_object_get(e, "code"));
            walk_value(w, e, sub, NULL);
            w->instrument = saved;
            free(sub);
        }
        return;
    }
    if (!json_is_object(j))
        return;
    if (is_false(j, "verified"))
        add_item(w, path, j, name, false);
    if (is_false(j, "note_verified"))
        add_item(w, path, j, name, true);
    walk_members(w, j, path);
}

int review_unverified(struct review *r, const char *text, size_t len)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(root)) {
        json_decref(root);
        return -1;
    }
    struct walk w = {.r = r, .cap = r->n_items, .top = ""};
    if (is_false(root, "verified"))
        add_item(&w, "", root, NULL, false);
    /* the parts in the order a reader meets them in the file, then any others by name */
    static const char *const first[] = {"point_maps", "scales", "instruments", "oit"};
    size_t n = json_object_size(root), k = 0;
    const char **keys = xcalloc(n ? n : 1, sizeof *keys);
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        bool known = false;
        for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
            known |= !strcmp(key, first[i]);
        if (!known)
            keys[k++] = key;
    }
    qsort(keys, k, sizeof *keys, cmp_str);
    for (size_t i = 0; i < sizeof first / sizeof first[0] + k; i++) {
        const char *part = i < sizeof first / sizeof first[0]
                               ? first[i]
                               : keys[i - sizeof first / sizeof first[0]];
        json_t *sub = json_object_get(root, part);
        if (!sub)
            continue;
        w.top = part;
        walk_value(&w, sub, part, part);
    }
    free(keys);
    json_decref(root);
    return 0;
}

/* ---- messages ---- */

struct review_line *review_split_lines(const char *msg, size_t *n)
{
    *n = 0;
    struct review_line *lines = NULL;
    size_t cap = 0;
    const char *p = msg ? msg : "";
    while (*p) {
        size_t len = strcspn(p, "\n");
        const char *s = p, *e = p + len;
        while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
            s++;
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
            e--;
        bool bullet = e - s >= 2 && s[0] == '-' && s[1] == ' ';
        if (bullet)
            s += 2;
        if (e > s) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 8;
                lines = xreallocarray(lines, cap, sizeof *lines);
            }
            lines[(*n)++] = (struct review_line){xstrndup(s, (size_t)(e - s)), bullet};
        }
        p += len;
        if (*p == '\n')
            p++;
    }
    return lines;
}

void review_lines_free(struct review_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i].text);
    free(lines);
}

/* The Thai part of a refusal (ita_version_can_replace writes English, then Thai from the line
 * that begins "ไม่อนุญาต"); the whole message when it has no such line. */
static const char *thai_part(const char *why)
{
    static const char MARK[] = "ไม่อนุญาต";
    for (const char *p = why; p && *p;) {
        const char *s = p;
        while (*s == ' ')
            s++;
        if (!strncmp(s, MARK, sizeof MARK - 1))
            return p;
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return why;
}

void review_decide(struct review *r, const struct ita_version *new_v, const char *new_sha,
                   const char *stored_doc, size_t stored_len, const char *stored_sha,
                   const bool has[ITA_N_INSTRUMENTS])
{
    if (!stored_doc) {
        r->outcome = REVIEW_NEW_YEAR;
        return;
    }
    if (stored_sha && !strcmp(stored_sha, new_sha)) {
        r->outcome = REVIEW_UNCHANGED;
        return;
    }
    char *err = NULL, *why = NULL;
    struct ita_version *old_v = ita_version_load_string(stored_doc, stored_len, "ฉบับที่ใช้อยู่", &err);
    if (!old_v) {
        r->outcome = REVIEW_STORED_BROKEN;
        r->lines = review_split_lines(err, &r->n_lines);
        free(err);
        return;
    }
    if (ita_version_can_replace(old_v, new_v, has, &why)) {
        r->outcome = REVIEW_CORRECTION;
    } else {
        r->outcome = REVIEW_REFUSED;
        r->lines = review_split_lines(thai_part(why), &r->n_lines);
    }
    free(why);
    ita_version_free(old_v);
}

void review_free(struct review *r)
{
    for (size_t i = 0; i < r->n_items; i++) {
        free(r->items[i].path);
        free(r->items[i].what_th);
        free(r->items[i].source);
    }
    free(r->items);
    review_lines_free(r->lines, r->n_lines);
    memset(r, 0, sizeof *r);
}
