/* From stored anonymous responses to scores, against the real PostgreSQL: the 2566 instruments
 * load into the database (once; corrections only when they keep the meaning of stored answers),
 * ita_tallies() turns responses into per-field level counts for one agency or all agencies,
 * only from what ita_rollup() has counted, in batches of at least k while a window is open, and
 * the scoring engine reproduces a hand-computed agency. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "instrument.h"
#include "db/instrument_store.h"
#include "db/migrate.h"
#include "scoring.h"
#include "tally.h"
#include "testlib.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char conninfo[512];
static char path2566[512];
static struct ita_version *v;

static int setup(void **state)
{
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_aggregate"));
    snprintf(path2566, sizeof path2566, "%s/instruments/2566.json", t_env("ITA_SOURCE_DIR"));
    int applied;
    char err[1024];
    if (migrate_apply(conninfo, t_env("ITA_SQL_DIR"), &applied, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    char *e = NULL;
    v = ita_version_load_file(path2566, &e);
    if (!v) {
        fprintf(stderr, "%s\n", e);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    ita_version_free(v);
    return 0;
}

static void exec_params(const char *sql, int n, const char *const *params)
{
    t_db_exec(conninfo, sql, n, params);
}

/* The best level of a field: the top of the scale, or level 0 when reverse-scored. */
static int best_level(const struct ita_field *f)
{
    return f->polarity == ITA_POSITIVE ? v->scales[f->scale].levels - 1 : 0;
}

/* Stores one response of instrument k for agency `code`: every field at its best level except
 * the (field code, level) overrides. */
static void submit(const char *agency, enum ita_instrument k, const char *const *codes,
                   const int *levels, int n)
{
    const struct ita_survey *s = &v->surveys[k];
    size_t first = k == ITA_IIT ? 0 : v->surveys[ITA_IIT].n_fields;
    char hex[2 + 2 * 1000 + 1] = "\\x";
    for (size_t i = 0; i < s->n_fields; i++) {
        const struct ita_field *f = v->field_list[first + i];
        int level = best_level(f);
        for (int j = 0; j < n; j++)
            if (strcmp(codes[j], f->code) == 0)
                level = levels[j];
        snprintf(hex + 2 + 2 * i, 3, "%02x", level);
    }
    const char *p[3] = {agency, ita_instrument_code(k), hex};
    exec_params("INSERT INTO response_inbox (agency_id, fiscal_year, instrument, answers) "
                "SELECT id, 2566, $2, $3::bytea FROM agency WHERE code = $1",
                3, p);
}

static void test_load_2566(void **state)
{
    char msg[4096];
    if (instrument_store_load(conninfo, path2566, msg, sizeof msg) != 0)
        fail_msg("%s", msg);
    assert_non_null(strstr(msg, "fiscal year 2566 loaded (revision 1)"));
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT iit_fields || '/' || eit_fields FROM instrument_version "
                                   "WHERE fiscal_year = 2566"),
                        "51/19");
    assert_string_equal(
        t_db_value(conninfo, "SELECT jsonb_array_length(document->'instruments'->0->'questions') "
                             "+ jsonb_array_length(document->'instruments'->1->'questions') "
                             "FROM instrument_version"),
        "45");
    assert_int_equal(instrument_store_load(conninfo, path2566, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "unchanged (revision 1)"));
    /* a file that does not validate is refused with the loader's message */
    char bad[512];
    snprintf(bad, sizeof bad, "%s/tests/fixtures/bad-syntax.json", t_env("ITA_SOURCE_DIR"));
    assert_int_equal(instrument_store_load(conninfo, bad, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "bad-syntax.json"));
}

/* Writes a copy of 2566.json with `from` replaced by `to` (first occurrence after `anchor`). */
static const char *variant(const char *anchor, const char *from, const char *to)
{
    static char out[600];
    FILE *f = fopen(path2566, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    char *a = strstr(buf, anchor);
    assert_non_null(a);
    char *p = strstr(a, from);
    assert_non_null(p);
    snprintf(out, sizeof out, "%s/variant.json", t_tmpdir("instruments"));
    f = fopen(out, "wb");
    fwrite(buf, 1, (size_t)(p - buf), f);
    fputs(to, f);
    fputs(p + strlen(from), f);
    fclose(f);
    return out;
}

static void test_corrections_after_responses(void **state)
{
    char msg[4096];
    const char *p[2] = {"T1", "ทดสอบ"};
    exec_params("INSERT INTO agency (code, name_th) VALUES ($1, $2)", 2, p);
    /* before any answer, even the polarity of i9 may change */
    const char *flip = variant("\"code\": \"i9.1\"", "\"negative\"", "\"positive\"");
    assert_int_equal(instrument_store_load(conninfo, flip, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "corrected (revision 2)"));
    assert_int_equal(instrument_store_load(conninfo, path2566, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "corrected (revision 3)"));
    submit("T1", ITA_IIT, NULL, NULL, 0);
    /* now it may not: the stored answers would change meaning */
    assert_int_equal(instrument_store_load(conninfo, flip, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "not changed"));
    assert_non_null(strstr(msg, "i9.1"));
    assert_string_equal(t_db_value(conninfo, "SELECT revision FROM instrument_version"), "3");
    /* a wording correction is still accepted and the old text kept in history */
    const char *reword = variant("\"code\": \"i7\"", "มากน้อยเพียงใด", "มากน้อยเพียงใด ");
    assert_int_equal(instrument_store_load(conninfo, reword, msg, sizeof msg), -1);
    /* texts may not end with a space: validation first, in Thai with the path */
    assert_non_null(strstr(msg, "instruments[0].questions[6] (i7): \"text_th\" ขึ้นต้นหรือลงท้าย"
                                "ด้วยช่องว่าง"));
    const char *reword2 = variant("\"code\": \"i7\"", "ท่านรู้", "ท่านทราบ");
    assert_int_equal(instrument_store_load(conninfo, reword2, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "corrected (revision 4)"));
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT string_agg(revision::text, ',' ORDER BY revision) "
                                   "FROM instrument_version_history"),
                        "1,2,3");
    assert_int_equal(instrument_store_load(conninfo, path2566, msg, sizeof msg), 0);
    exec_params("DELETE FROM response_inbox", 0, NULL);
}

/* A running system that loaded 2566 before the OIT requirements and units, NACC's suggestions and
 * the report defaults were in the file gets them by loading the file again: a correction
 * (revision + 1) even with IIT and EIT answers and OIT marks stored. */
static void test_report_texts_arrive_as_correction(void **state)
{
    char msg[4096];
    json_error_t jerr;
    json_t *root = json_load_file(path2566, 0, &jerr);
    assert_non_null(root);
    json_object_del(root, "report");
    size_t i, k;
    json_t *it, *ins, *q;
    json_array_foreach(json_object_get(json_object_get(root, "oit"), "items"), i, it)
    {
        json_object_del(it, "requirements_th");
        json_object_del(it, "units_th");
    }
    json_array_foreach(json_object_get(root, "instruments"), i, ins)
    {
        json_array_foreach(json_object_get(ins, "questions"), k, q)
            json_object_del(q, "suggestion_th");
    }
    char before[600];
    snprintf(before, sizeof before, "%s/2566-before-17.json", t_tmpdir("instruments"));
    assert_int_equal(json_dump_file(root, before, JSON_INDENT(2)), 0);
    json_decref(root);
    if (instrument_store_load(conninfo, before, msg, sizeof msg) != 0)
        fail_msg("%s", msg);
    const char *rev = t_db_value(conninfo, "SELECT revision FROM instrument_version");
    int was = atoi(rev);
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM instrument_version "
                                             "WHERE document ? 'report'"),
                        "0");
    submit("T1", ITA_IIT, NULL, NULL, 0);
    submit("T1", ITA_EIT, NULL, NULL, 0);
    exec_params("INSERT INTO oit_result (agency_id, fiscal_year, item_code, met) "
                "SELECT id, 2566, 'O14', true FROM agency WHERE code = 'T1'",
                0, NULL);
    if (instrument_store_load(conninfo, path2566, msg, sizeof msg) != 0)
        fail_msg("%s", msg);
    char want[64];
    snprintf(want, sizeof want, "corrected (revision %d)", was + 1);
    if (!strstr(msg, want))
        fail_msg("%s (wanted %s)", msg, want);
    assert_string_equal(t_db_value(conninfo, "SELECT document->'oit'->'items'->13->'units_th'->>0 "
                                             "FROM instrument_version WHERE fiscal_year = 2566"),
                        "ทุกหน่วยงาน");
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT left(document->'report'->>'coordinator_th', 9) "
                                   "FROM instrument_version WHERE fiscal_year = 2566"),
                        "{agency} ");
    /* the stored document loads with the texts, as the server reads it */
    PGconn *pg = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    PGresult *r =
        PQexec(pg, "SELECT document::text FROM instrument_version WHERE fiscal_year = 2566");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    char *err = NULL;
    struct ita_version *stored = ita_version_load_string(
        PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0), "stored version", &err);
    PQclear(r);
    PQfinish(pg);
    if (!stored)
        fail_msg("%s", err);
    assert_non_null(ita_version_find_question(stored, "i20")->suggestion_th);
    assert_int_equal(stored->report.n_timetable, 7);
    ita_version_free(stored);
    assert_int_equal(instrument_store_load(conninfo, path2566, msg, sizeof msg), 0);
    assert_non_null(strstr(msg, "unchanged"));
    exec_params("DELETE FROM oit_result", 0, NULL);
    exec_params("DELETE FROM response_inbox", 0, NULL);
}

/* Reads ita_tallies() for one agency (or all, agency NULL) and scores the agency `code`. */
static struct ita_result *score_from_db(const char *code, bool all_agencies, uint64_t *n_iit,
                                        uint64_t *n_eit)
{
    PGconn *pg = PQconnectdb(conninfo);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    const char *p[1] = {code};
    PGresult *r = PQexecParams(
        pg,
        all_agencies ? "SELECT a.code, t.instrument, t.responses, t.counts FROM "
                       "ita_tallies(2566::smallint, NULL) t "
                       "JOIN agency a ON a.id = t.agency_id"
                     : "SELECT a.code, t.instrument, t.responses, t.counts FROM agency a, "
                       "ita_tallies(2566::smallint, a.id) t WHERE a.code = $1",
        all_agencies ? 0 : 1, NULL, all_agencies ? NULL : p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK)
        fail_msg("%s", PQresultErrorMessage(r));
    struct ita_field_counts *fields = calloc(v->n_fields, sizeof *fields);
    *n_iit = *n_eit = 0;
    for (int i = 0; i < PQntuples(r); i++) {
        if (strcmp(PQgetvalue(r, i, 0), code) != 0)
            continue;
        bool iit = strcmp(PQgetvalue(r, i, 1), "IIT") == 0;
        char *err = NULL;
        if (ita_tally_apply(v, iit ? ITA_IIT : ITA_EIT, PQgetvalue(r, i, 3), fields, &err) != 0)
            fail_msg("%s", err);
        *(iit ? n_iit : n_eit) = strtoull(PQgetvalue(r, i, 2), NULL, 10);
    }
    PQclear(r);
    PQfinish(pg);
    struct ita_score_input in = {.fields = fields, .n_fields = v->n_fields};
    char *err = NULL;
    struct ita_result *res = ita_score(v, &in, &err);
    if (!res)
        fail_msg("%s", err);
    free(fields);
    return res;
}

static void assert_close(double got, double want)
{
    if (fabs(got - want) > 1e-9)
        fail_msg("got %.12f, want %.12f", got, want);
}

/* The hand-computed agency (points 0, 100/3, 200/3, 100; yes/no 0/100):
 * IIT, 3 respondents, every field at its best level except
 *   i4.1 (มี/ไม่มี, reverse-scored): one answers มี (level 1) -> 0 points; i4.1 = 200/3,
 *        i4 = (200/3 + 100 + 100) / 3 = 800/9
 *   i9.1 (reverse-scored L4): levels 1, 1, 0 -> 200/3, 200/3, 100; i9 = 700/9
 *   indicator 1 = (5*100 + 800/9) / 6 = 5300/54; indicator 2 = (5*100 + 700/9) / 6 = 5200/54;
 *   indicators 3-5 = 100; IIT = (5300/54 + 5200/54 + 300) / 5 = 890/9 = 98.888...
 * EIT, 2 respondents, best everywhere except
 *   e1.1: levels 2 and 3 -> (200/3 + 100) / 2 = 250/3; e1 = (250/3 + 100) / 2 = 550/6
 *   e8.1 (yes/no, มี best): one answers ไม่มี (level 0) -> 0; e8 = 50
 *   indicator 6 = (550/6 + 400) / 5 = 2950/30; indicator 7 = (4*100 + 50) / 5 = 90;
 *   indicator 8 = 100; EIT = (2950/30 + 90 + 100) / 3 = 8650/90 = 96.111...
 * No OIT: total = 0.3 * 890/9 + 0.3 * 8650/90 = 58.5 out of 60, partial, no grade. */
static void submit_hand_agency(const char *code)
{
    const char *p[2] = {code, "หน่วยงานทดสอบ"};
    exec_params("INSERT INTO agency (code, name_th) VALUES ($1, $2)", 2, p);
    const char *c1[2] = {"i4.1", "i9.1"};
    int l1[2] = {1, 1};
    submit(code, ITA_IIT, c1, l1, 2);
    const char *c2[1] = {"i9.1"};
    int l2[1] = {1};
    submit(code, ITA_IIT, c2, l2, 1);
    submit(code, ITA_IIT, NULL, NULL, 0); /* i9.1 at its best level, 0 */
    const char *c3[2] = {"e1.1", "e8.1"};
    int l3[2] = {2, 0};
    submit(code, ITA_EIT, c3, l3, 2);
    submit(code, ITA_EIT, NULL, NULL, 0);
}

static void check_hand_agency(struct ita_result *r)
{
    const struct ita_summary *s = &r->summary;
    assert_close(r->question[ita_version_find_question(v, "i4")->index].value, 800.0 / 9);
    assert_close(r->question[ita_version_find_question(v, "i9")->index].value, 700.0 / 9);
    assert_close(r->question[ita_version_find_question(v, "e1")->index].value, 550.0 / 6);
    assert_close(r->question[ita_version_find_question(v, "e8")->index].value, 50);
    assert_close(s->indicator[0].value, 5300.0 / 54);
    assert_close(s->indicator[1].value, 5200.0 / 54);
    assert_close(s->indicator[2].value, 100);
    assert_close(s->indicator[5].value, 2950.0 / 30);
    assert_close(s->indicator[6].value, 90);
    assert_close(s->group[ITA_IIT].value, 890.0 / 9);
    assert_close(s->group[ITA_EIT].value, 8650.0 / 90);
    assert_false(s->indicator[8].defined);
    assert_int_equal(s->state, ITA_TOTAL_PARTIAL);
    assert_close(s->total, 58.5);
    assert_int_equal(s->total_max, 60);
    assert_int_equal(s->rating, -1);
}

static void test_hand_computed_agency_through_the_database(void **state)
{
    submit_hand_agency("H1");
    /* a second agency with different answers, to show agencies do not mix */
    const char *p[2] = {"H2", "อีกหน่วยงาน"};
    exec_params("INSERT INTO agency (code, name_th) VALUES ($1, $2)", 2, p);
    const char *c[1] = {"i1.1"};
    int l[1] = {0};
    submit("H2", ITA_IIT, c, l, 1);

    uint64_t n_iit, n_eit;
    /* not rolled up yet: nothing is counted (a waiting answer is never in a figure) */
    struct ita_result *r = score_from_db("H1", false, &n_iit, &n_eit);
    assert_int_equal(n_iit, 0);
    assert_int_equal(n_eit, 0);
    ita_result_free(r);
    /* these agencies have no survey window at all: closed, so one tick counts and seals them */
    assert_string_equal(t_db_value(conninfo, "SELECT ita_rollup(3)"), "6");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM response_inbox"), "0");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM response_pending"), "0");
    assert_string_equal(t_db_value(conninfo, "SELECT string_agg(DISTINCT sealed::text, ',') "
                                             "FROM response_tally"),
                        "true");
    /* rolled up: the hand-computed figures from the tally, per agency and nationally */
    r = score_from_db("H1", false, &n_iit, &n_eit);
    assert_int_equal(n_iit, 3);
    assert_int_equal(n_eit, 2);
    check_hand_agency(r);
    ita_result_free(r);
    r = score_from_db("H1", true, &n_iit, &n_eit);
    assert_int_equal(n_iit, 3);
    check_hand_agency(r);
    ita_result_free(r);
    /* after sealing, one more answer waits until k (3) have gathered */
    submit("H1", ITA_EIT, NULL, NULL, 0);
    assert_string_equal(t_db_value(conninfo, "SELECT ita_rollup(3)"), "1");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM response_pending"), "1");
    r = score_from_db("H1", true, &n_iit, &n_eit);
    assert_int_equal(n_eit, 2);
    check_hand_agency(r);
    ita_result_free(r);
    submit("H1", ITA_EIT, NULL, NULL, 0);
    submit("H1", ITA_EIT, NULL, NULL, 0);
    assert_string_equal(t_db_value(conninfo, "SELECT ita_rollup(3)"), "3");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM response_pending"), "0");
    r = score_from_db("H1", true, &n_iit, &n_eit);
    assert_int_equal(n_eit, 5);
    /* e8 = (0 + 4 * 100) / 5 */
    assert_close(r->question[ita_version_find_question(v, "e8")->index].value, 80);
    ita_result_free(r);
    r = score_from_db("H2", true, &n_iit, &n_eit);
    assert_int_equal(n_iit, 1);
    assert_int_equal(n_eit, 0);
    assert_close(r->field[ita_version_find_field(v, "i1.1")->index].value, 0);
    assert_false(r->summary.group[ITA_EIT].defined); /* no EIT answers: undefined, not 0 */
    ita_result_free(r);
}

/* While a window is open, answers reach `response` and the tally only in batches of at least k,
 * each one transaction with one day; waiting rows are rewritten together on every tick; when
 * the window closes the rest is counted with the whole group rewritten, and the group is sealed. */
static void test_batches_of_k_while_open(void **state)
{
    const char *p[2] = {"W1", "หน่วยงานที่ยังเปิดรับ"};
    exec_params("INSERT INTO agency (code, name_th) VALUES ($1, $2)", 2, p);
    exec_params("INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, "
                "closes_at) SELECT id, 2566, 'IIT', 'w1-iit-link-slug-0123456789', "
                "now() - interval '1 day', now() + interval '1 day' FROM agency WHERE code = 'W1'",
                0, NULL);
#define W1_GROUP " agency_id = (SELECT id FROM agency WHERE code = 'W1') AND instrument = 'IIT'"
    submit("W1", ITA_IIT, NULL, NULL, 0);
    assert_string_equal(t_db_value(conninfo, "SELECT ita_rollup(3)"), "1");
    submit("W1", ITA_IIT, NULL, NULL, 0);
    assert_string_equal(t_db_value(conninfo, "SELECT ita_rollup(3)"), "2");
    /* two waiting, rewritten in the same tick: one transaction id, nothing counted */
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) || '/' || count(DISTINCT xmin::text) "
                                             "FROM response_pending WHERE" W1_GROUP),
                        "2/1");
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) FROM response WHERE" W1_GROUP), "0");
    assert_string_equal(t_db_value(conninfo, "SELECT responses FROM response_tally WHERE" W1_GROUP),
                        "0");
    /* the third makes a batch of k */
    submit("W1", ITA_IIT, NULL, NULL, 0);
    assert_string_equal(t_db_value(conninfo, "SELECT ita_rollup(3)"), "3");
    assert_string_equal(
        t_db_value(conninfo, "SELECT count(*) FROM response_pending WHERE" W1_GROUP), "0");
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT responses || '/' || sealed FROM response_tally "
                                   "WHERE" W1_GROUP),
                        "3/false");
    /* one more waits; the window closes (over 30 s ago); the next tick counts it and seals */
    submit("W1", ITA_IIT, NULL, NULL, 0);
    assert_string_equal(t_db_value(conninfo, "SELECT ita_rollup(3)"), "1");
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT responses || '/' || sealed FROM response_tally "
                                   "WHERE" W1_GROUP),
                        "3/false");
    exec_params("UPDATE survey_link SET closes_at = now() - interval '1 minute', "
                "opens_at = now() - interval '2 days' WHERE slug = 'w1-iit-link-slug-0123456789'",
                0, NULL);
    assert_string_equal(t_db_value(conninfo, "SELECT ita_rollup(3)"), "1");
    assert_string_equal(t_db_value(conninfo,
                                   "SELECT responses || '/' || sealed FROM response_tally "
                                   "WHERE" W1_GROUP),
                        "4/true");
    /* the whole group was rewritten: one transaction id, one day */
    assert_string_equal(t_db_value(conninfo, "SELECT count(*) || '/' || count(DISTINCT xmin::text) "
                                             "|| '/' || count(DISTINCT received_on) "
                                             "FROM response WHERE" W1_GROUP),
                        "4/1/1");
    /* k must be positive */
    PGconn *pg = PQconnectdb(conninfo);
    PGresult *r = PQexec(pg, "SELECT ita_rollup(0)");
    assert_int_equal(PQresultStatus(r), PGRES_FATAL_ERROR);
    assert_non_null(strstr(PQresultErrorMessage(r), "k must be at least 1"));
    PQclear(r);
    PQfinish(pg);
#undef W1_GROUP
}

/* The response table holds exactly what the anonymity rule allows. */
static void test_response_columns(void **state)
{
#define COLUMNS_OF(t)                                                                              \
    "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) "                               \
    "FROM information_schema.columns WHERE table_name = '" t "'"
    assert_string_equal(t_db_value(conninfo, COLUMNS_OF("response")),
                        "agency_id,fiscal_year,instrument,answers,received_on");
    assert_string_equal(t_db_value(conninfo, COLUMNS_OF("response_inbox")),
                        "agency_id,fiscal_year,instrument,answers");
    assert_string_equal(t_db_value(conninfo, COLUMNS_OF("response_pending")),
                        "agency_id,fiscal_year,instrument,answers");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_2566),
        cmocka_unit_test(test_corrections_after_responses),
        cmocka_unit_test(test_report_texts_arrive_as_correction),
        cmocka_unit_test(test_hand_computed_agency_through_the_database),
        cmocka_unit_test(test_batches_of_k_while_open),
        cmocka_unit_test(test_response_columns),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
