/* The editable texts of the O42 report: the form on /admin/report (not printed) and its save
 * (/admin/report/texts). Objectives and benefits (one item per line), the coordinator paragraph,
 * the coming year's timetable and NACC's suggestion per question; each empty field goes back to
 * the default of the instrument version the report is published under. The save carries the
 * administrator's scope (another agency answers 404 like a missing one) and is logged in
 * audit_log by its statement. */
#include "o42_doc.h"
#include "o42_sql.h"
#include "o42_texts.h"
#include "results_handlers.h"
#include "results_html.h"
#include "results_job.h"
#include "db/db_row.h"
#include "xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the form ---- */

static void textarea(struct strbuf *o, const char *id, const char *name, const char *label,
                     const char *hint, const char *value, int rows)
{
    strbuf_printf(o, "<label for=\"%s\">%s</label>", id, label);
    if (hint)
        strbuf_printf(o, "<span class=\"hint\" id=\"%s-hint\">%s</span>", id, hint);
    strbuf_printf(o, "<textarea id=\"%s\" name=\"%s\" rows=\"%d\"%s%s%s>", id, name, rows,
                  hint ? " aria-describedby=\"" : "", hint ? id : "", hint ? "-hint\"" : "");
    results_html_esc(o, value);
    strbuf_puts(o, "</textarea>\n");
}

/* lines joined with '\n', each with {agency} filled */
static char *join_lines(char *const *list, size_t n, const char *agency)
{
    struct strbuf b;
    strbuf_init(&b);
    for (size_t i = 0; i < n; i++) {
        char *f = o42_fill_agency(list[i], agency);
        strbuf_printf(&b, "%s%s", i ? "\n" : "", f);
        free(f);
    }
    char *s = xstrdup(b.data ? b.data : "");
    strbuf_free(&b);
    return s;
}

void o42_texts_form(struct strbuf *o, const struct o42_in *in, int agency_id, const char *csrf,
                    const char *error)
{
    const struct ita_report_defaults *r = in->next_v ? &in->next_v->report : &in->v->report;
    const struct o42_texts *t = in->texts;
    strbuf_printf(
        o,
        "<form class=\"edit\" method=\"post\" action=\"/admin/report/texts\" "
        "id=\"texts-form\">\n<h2 id=\"texts-h\">ข้อความในรายงาน O42 (ไฟล์ PDF และ DOCX)</h2>\n"
        "<p>แก้ไขข้อความที่พิมพ์ในไฟล์รายงาน (ส่วนนี้ไม่พิมพ์) ช่องที่เว้นว่างจะใช้ข้อความตั้งต้นของแบบวัด</p>\n"
        "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
        "<input type=\"hidden\" name=\"agency\" value=\"%d\">\n"
        "<input type=\"hidden\" name=\"year\" value=\"%d\">\n",
        csrf, agency_id, in->year);
    if (error) {
        strbuf_puts(o, "<div class=\"err\" id=\"texts-error\"><p>ยังไม่ได้บันทึก: ");
        results_html_esc(o, error);
        strbuf_puts(o, "</p></div>\n");
    }
    char *def = NULL;
    strbuf_puts(o, "<fieldset><legend>วัตถุประสงค์และประโยชน์ที่คาดว่าจะได้รับ</legend>");
    def = t && t->has_objectives ? xstrdup(t->objectives)
                                 : join_lines(r->objectives_th, r->n_objectives, in->agency_name);
    textarea(o, "objectives", "objectives", "วัตถุประสงค์", "บรรทัดละหนึ่งข้อ", def, 5);
    free(def);
    def = t && t->has_benefits ? xstrdup(t->benefits)
                               : join_lines(r->benefits_th, r->n_benefits, in->agency_name);
    textarea(o, "benefits", "benefits", "ประโยชน์ที่คาดว่าจะได้รับ", "บรรทัดละหนึ่งข้อ", def, 5);
    free(def);
    strbuf_puts(o, "</fieldset>\n<fieldset><legend>ผู้ประสานงานและขั้นตอนของปีถัดไป</legend>");
    def = o42_fill_agency(t && t->has_coordinator ? t->coordinator : r->coordinator_th,
                          in->agency_name);
    textarea(o, "coordinator", "coordinator", "ย่อหน้าผู้รับผิดชอบหลัก (มาตรการเพื่อขับเคลื่อน)", NULL, def, 4);
    free(def);
    bool own = t && t->has_timetable;
    size_t n = own ? t->n_timetable : r->n_timetable;
    size_t rows = n + 2 > O42_MAX_STEPS ? O42_MAX_STEPS : n + 2;
    for (size_t i = 0; i < rows; i++) {
        const char *s = "", *p = "", *m = "";
        if (i < n) {
            s = own ? t->timetable[i].step : r->timetable[i].step_th;
            p = own ? t->timetable[i].period : r->timetable[i].period_th;
            m = own ? t->timetable[i].method : r->timetable[i].method_th;
        }
        strbuf_printf(o, "<fieldset><legend>ขั้นตอนที่ %zu%s</legend>", i + 1, i < n ? "" : " (ว่าง)");
        char id[32], name[32];
        snprintf(id, sizeof id, "step_%zu", i + 1);
        textarea(o, id, id, "ขั้นตอน", NULL, s, 1);
        snprintf(id, sizeof id, "period_%zu", i + 1);
        textarea(o, id, id, "ระยะเวลา", NULL, p, 1);
        snprintf(id, sizeof id, "method_%zu", i + 1);
        snprintf(name, sizeof name, "%s", id);
        char *fm = o42_fill_agency(m, in->agency_name);
        textarea(o, id, name, "วิธีปฏิบัติ", NULL, fm, 3);
        free(fm);
        strbuf_puts(o, "</fieldset>\n");
    }
    strbuf_puts(o, "</fieldset>\n<fieldset><legend>ข้อเสนอแนะจากสำนักงาน ป.ป.ช. รายข้อคำถาม</legend>"
                   "<p>ข้อความว่างจะไม่แสดงข้อนั้นในรายงาน เพิ่มข้อที่ ป.ป.ช. ระบุได้ในช่องว่างด้านล่าง "
                   "(รหัสข้อ เช่น I20 หรือ E12)</p>\n");
    size_t k = 0;
    for (int g = ITA_IIT; g <= ITA_EIT; g++) {
        const struct ita_question *q[64];
        size_t m = o42_weak_questions(in, (enum ita_instrument)g, q, 64);
        for (size_t i = 0; i < m && k < O42_MAX_SUGGESTIONS; i++) {
            k++;
            strbuf_printf(o, "<input type=\"hidden\" name=\"sq_%zu\" value=\"%s\">", k, q[i]->code);
            char id[32], label[300];
            snprintf(id, sizeof id, "st_%zu", k);
            snprintf(label, sizeof label, "ข้อ %c%s (%s ตัวชี้วัดที่ %d)",
                     toupper((unsigned char)q[i]->code[0]), q[i]->code + 1,
                     ita_instrument_code((enum ita_instrument)g), q[i]->indicator);
            char *f = o42_fill_agency(o42_suggestion_for(in, q[i]), in->agency_name);
            textarea(o, id, id, label, NULL, f, 3);
            free(f);
        }
    }
    /* typed codes that name no question of the version (a refused save shows them again), then
     * two empty rows */
    size_t unknown = 0;
    for (size_t i = 0; t && i < t->n_suggestions; i++)
        if (!ita_version_find_question(in->v, t->suggestions[i].code))
            unknown++;
    for (size_t i = 0, u = 0; u < unknown + 2 && k < O42_MAX_SUGGESTIONS; u++) {
        const struct o42_suggestion *sg = NULL;
        while (t && i < t->n_suggestions && !sg) {
            if (!ita_version_find_question(in->v, t->suggestions[i].code))
                sg = &t->suggestions[i];
            i++;
        }
        k++;
        strbuf_printf(
            o,
            "<div class=\"add\"><label for=\"sq_%zu\">รหัสข้อคำถามที่เพิ่ม</label>"
            "<input id=\"sq_%zu\" name=\"sq_%zu\" size=\"6\" autocomplete=\"off\" value=\"",
            k, k, k);
        results_html_esc(o, sg ? sg->code : "");
        strbuf_puts(o, "\">");
        char id[32];
        snprintf(id, sizeof id, "st_%zu", k);
        textarea(o, id, id, "ข้อเสนอแนะของข้อที่เพิ่ม", NULL, sg ? sg->text : "", 3);
        strbuf_puts(o, "</div>\n");
    }
    strbuf_puts(o, "</fieldset>\n<button type=\"submit\">บันทึกข้อความรายงาน</button>\n</form>\n");
}

/* ---- the save ---- */

struct tsave {
    const struct admin_user *u;
    long agency, year;
    char agency_s[16], year_s[16], sys[8], own[16], uid[16];
};

/* s trimmed of spaces and line ends at both ends, in the arena. */
static char *trimmed(struct http_request *req, const char *s)
{
    if (!s)
        return arena_strndup(&req->arena, "", 0);
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return arena_strndup(&req->arena, s, n);
}

static void pg_array_add(struct strbuf *b, const char *s)
{
    strbuf_puts(b, b->len > 1 ? "," : "");
    if (!s) {
        strbuf_puts(b, "NULL");
        return;
    }
    strbuf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            strbuf_append(b, "\\", 1);
        strbuf_append(b, s, 1);
    }
    strbuf_puts(b, "\"");
}

static void tsave_step(struct http_request *req, const struct db_result *r)
{
    struct tsave *s = req->handler_state;
    if (!r->ok) {
        if (r->sqlstate && strncmp(r->sqlstate, "23", 2) == 0)
            results_fail(req, s->u, 422, "ฐานข้อมูลไม่รับข้อความบางช่อง กรุณาตรวจข้อมูลแล้วลองอีกครั้ง");
        else
            http_respond_unavailable(req, "database unavailable");
        return;
    }
    if (PQntuples(r->res) != 1 || !db_bool(r->res, 0, O42_SAVE_FOUND)) {
        results_fail(req, s->u, 404, "ไม่พบหน่วยงานนี้");
        return;
    }
    char loc[96];
    snprintf(loc, sizeof loc, "/admin/report?agency=%ld&year=%ld#texts-h", s->agency, s->year);
    http_add_header(req, "Location", loc);
    http_respond(req, 303, "text/plain; charset=utf-8", "", 0);
}

/* What is wrong with the posted texts, in Thai, or NULL; fills the parameters. */
static const char *read_texts(struct http_request *req, const struct form_data *f, const char **p,
                              struct strbuf *tt, struct strbuf *codes, struct strbuf *texts)
{
    static const char *const names[3] = {"objectives", "benefits", "coordinator"};
    static const char *const what[3] = {"วัตถุประสงค์", "ประโยชน์ที่คาดว่าจะได้รับ", "ย่อหน้าผู้รับผิดชอบหลัก"};
    for (int k = 0; k < 3; k++) {
        char *v = trimmed(req, form_get(f, names[k]));
        if (strlen(v) > 8000)
            return arena_sprintf(&req->arena,
                                 "ข้อความ%sยาวเกินไป (ไม่เกิน 8,000 ไบต์ หรือประมาณ 2,600 "
                                 "ตัวอักษรไทย)",
                                 what[k]);
        p[O42_SAVE_P_OBJECTIVES + k] = *v ? v : NULL;
    }
    json_t *rows = json_array();
    for (int i = 1; i <= O42_MAX_STEPS; i++) {
        char n1[24], n2[24], n3[24];
        snprintf(n1, sizeof n1, "step_%d", i);
        snprintf(n2, sizeof n2, "period_%d", i);
        snprintf(n3, sizeof n3, "method_%d", i);
        char *st = trimmed(req, form_get(f, n1)), *pe = trimmed(req, form_get(f, n2)),
             *me = trimmed(req, form_get(f, n3));
        if (!*st && !*pe && !*me)
            continue;
        if (strlen(st) > 500 || strlen(pe) > 500 || strlen(me) > 4000) {
            json_decref(rows);
            return arena_sprintf(&req->arena, "ข้อความขั้นตอนที่ %d ยาวเกินไป", i);
        }
        if (!*st || !*me) {
            json_decref(rows);
            return arena_sprintf(&req->arena,
                                 "ขั้นตอนที่ %d: กรอกทั้งชื่อขั้นตอนและวิธีปฏิบัติ "
                                 "(หรือเว้นว่างทั้งแถวเพื่อลบ)",
                                 i);
        }
        json_array_append_new(rows,
                              json_pack("{s:s, s:s, s:s}", "step", st, "period", pe, "method", me));
    }
    if (json_array_size(rows)) {
        char *js = json_dumps(rows, JSON_COMPACT);
        strbuf_puts(tt, js);
        free(js);
        p[O42_SAVE_P_TIMETABLE] = tt->data;
    } else {
        p[O42_SAVE_P_TIMETABLE] = NULL;
    }
    json_decref(rows);
    strbuf_puts(codes, "{");
    strbuf_puts(texts, "{");
    for (int i = 1; i <= O42_MAX_SUGGESTIONS; i++) {
        char n1[24], n2[24];
        snprintf(n1, sizeof n1, "sq_%d", i);
        snprintf(n2, sizeof n2, "st_%d", i);
        char *code = trimmed(req, form_get(f, n1)), *text = trimmed(req, form_get(f, n2));
        if (!*code) {
            if (*text)
                return "มีข้อเสนอแนะที่ยังไม่ได้ระบุรหัสข้อคำถาม (เช่น I20 หรือ E12)";
            continue;
        }
        for (char *c = code; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        size_t len = strlen(code);
        if (len < 2 || len > 4 || (code[0] != 'i' && code[0] != 'e') ||
            strspn(code + 1, "0123456789") != len - 1)
            return arena_sprintf(&req->arena,
                                 "รหัสข้อคำถาม \"%s\" ไม่ถูกต้อง: ใช้ I หรือ E ตามด้วยเลขข้อ "
                                 "เช่น I20 หรือ E12",
                                 code);
        if (strlen(text) > 4000)
            return arena_sprintf(&req->arena, "ข้อเสนอแนะข้อ %s ยาวเกินไป", code);
        pg_array_add(codes, code);
        pg_array_add(texts, text);
    }
    strbuf_puts(codes, "}");
    strbuf_puts(texts, "}");
    return NULL;
}

/* The texts as typed, in o42_texts_parse's JSON (in the arena): shown again when refused. */
static const char *posted_json(struct http_request *req, const struct form_data *f)
{
    json_t *o = json_object();
    static const char *const names[3] = {"objectives", "benefits", "coordinator"};
    for (int k = 0; k < 3; k++) {
        const char *v = form_get(f, names[k]);
        json_object_set_new(o, names[k], v && *v ? json_string(v) : json_null());
    }
    json_t *rows = json_array();
    for (int i = 1; i <= O42_MAX_STEPS; i++) {
        char n1[24], n2[24], n3[24];
        snprintf(n1, sizeof n1, "step_%d", i);
        snprintf(n2, sizeof n2, "period_%d", i);
        snprintf(n3, sizeof n3, "method_%d", i);
        const char *st = form_get(f, n1), *pe = form_get(f, n2), *me = form_get(f, n3);
        if ((st && *st) || (pe && *pe) || (me && *me))
            json_array_append_new(rows, json_pack("{s:s, s:s, s:s}", "step", st ? st : "", "period",
                                                  pe ? pe : "", "method", me ? me : ""));
    }
    json_object_set_new(o, "timetable", json_array_size(rows) ? rows : json_null());
    if (!json_array_size(rows))
        json_decref(rows);
    json_t *sg = json_object();
    for (int i = 1; i <= O42_MAX_SUGGESTIONS; i++) {
        char n1[24], n2[24];
        snprintf(n1, sizeof n1, "sq_%d", i);
        snprintf(n2, sizeof n2, "st_%d", i);
        const char *code = form_get(f, n1), *text = form_get(f, n2);
        if (code && *code)
            json_object_set_new(sg, code, json_string(text ? text : ""));
    }
    json_object_set_new(o, "suggestions", sg);
    char *js = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    const char *out = js ? arena_strndup(&req->arena, js, strlen(js)) : NULL;
    free(js);
    return out;
}

void admin_report_texts(struct http_request *req, const struct admin_user *u)
{
    const struct form_data *f = admin_form(req);
    struct tsave *s = arena_alloc(&req->arena, sizeof *s);
    memset(s, 0, sizeof *s);
    s->u = u;
    req->handler_state = s;
    admin_scope(u, s->sys, s->own);
    snprintf(s->uid, sizeof s->uid, "%d", u->id);
    const char *a = f ? form_get(f, "agency") : NULL, *y = f ? form_get(f, "year") : NULL;
    if (!a || !y || !*a || strlen(a) > 9 || strspn(a, "0123456789") != strlen(a) ||
        strlen(y) != 4 || strspn(y, "0123456789") != 4) {
        results_fail(req, u, 400,
                     "แบบฟอร์มไม่ครบ: ไม่มีหน่วยงานหรือปีงบประมาณ กรุณาเปิดหน้ารายงานใหม่แล้วลองอีกครั้ง");
        return;
    }
    s->agency = strtol(a, NULL, 10);
    s->year = strtol(y, NULL, 10);
    snprintf(s->agency_s, sizeof s->agency_s, "%ld", s->agency);
    snprintf(s->year_s, sizeof s->year_s, "%ld", s->year);
    const char *p[O42_SAVE_NPARAMS];
    struct strbuf tt, codes, texts;
    strbuf_init(&tt);
    strbuf_init(&codes);
    strbuf_init(&texts);
    const char *bad = read_texts(req, f, p, &tt, &codes, &texts);
    if (bad && !u->api) {
        /* the report again with the typed texts and the reason, on the same page */
        results_report_again(req, u, s->agency, s->year, posted_json(req, f), bad);
    } else if (bad) {
        results_fail(req, u, 422, bad);
    } else {
        p[O42_SAVE_P_AGENCY] = s->agency_s;
        p[O42_SAVE_P_SYSTEM] = s->sys;
        p[O42_SAVE_P_OWN] = s->own;
        p[O42_SAVE_P_YEAR] = s->year_s;
        p[O42_SAVE_P_CODES] = codes.data;
        p[O42_SAVE_P_TEXTS] = texts.data;
        p[O42_SAVE_P_ADMIN] = s->uid;
        http_db(req, &sql_o42_texts_save, p, NULL, tsave_step);
    }
    strbuf_free(&tt);
    strbuf_free(&codes);
    strbuf_free(&texts);
}
