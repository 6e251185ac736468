/* The declarations of every SQL statement against the real schema: each statement of every
 * folder (app_statements) is prepared in a database the project's migrations built, and
 * PostgreSQL's description of it must match what the declaration says (parameters and result
 * columns), so a wrong .nparams or .ncols fails here instead of at run time; the same for the
 * statements of the background jobs (evidence-link checker, mail sender). Also the route table:
 * one handler per (method, path) and one metrics name per route. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "app/app.h"
#include "app/routes.h"
#include "db/db_pool.h"
#include "db/migrate.h"
#include "mail/mail_sender.h"
#include "oit/evidence_check.h"
#include "testlib.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

/* Prepares each of st[0..n) on c and compares PostgreSQL's description with its declaration. */
static void check_statements(PGconn *c, const struct db_statement *const *st, size_t n)
{
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        PGresult *r = PQprepare(c, st[i]->name, st[i]->sql, 0, NULL);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            fail_msg("%s: prepare failed: %s", st[i]->name, PQresultErrorMessage(r));
        PQclear(r);
        r = PQdescribePrepared(c, st[i]->name);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            fail_msg("%s: describe failed: %s", st[i]->name, PQresultErrorMessage(r));
        if (PQnparams(r) != st[i]->nparams)
            fail_msg("%s: declares %d parameters, PostgreSQL sees %d", st[i]->name, st[i]->nparams,
                     PQnparams(r));
        if (PQnfields(r) != st[i]->ncols)
            fail_msg("%s: declares %d result columns, PostgreSQL sees %d", st[i]->name,
                     st[i]->ncols, PQnfields(r));
        PQclear(r);
    }
}

static void test_statements_match_schema(void **state)
{
    (void)state;
    char conninfo[512];
    snprintf(conninfo, sizeof conninfo, "%s", t_db_create("ita_sql_a"));
    int applied = -1;
    char err[1024];
    if (migrate_apply(conninfo, t_env("ITA_SQL_DIR"), &applied, err, sizeof err) != 0)
        fail_msg("%s", err);
    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("connect: %s", PQerrorMessage(c));
    size_t n = 0;
    const struct db_statement *const *st = app_statements(&n);
    check_statements(c, st, n);
    /* the background jobs' own connections: the evidence-link checker and the mail sender */
    st = evidence_check_statements(&n);
    check_statements(c, st, n);
    st = mail_sender_statements(&n);
    check_statements(c, st, n);
    PQfinish(c);
}

static void test_statement_names_unique(void **state)
{
    (void)state;
    size_t n = 0;
    const struct db_statement *const *st = app_statements(&n);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(st[i]->name);
        assert_non_null(st[i]->sql);
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(st[i]->name, st[j]->name) == 0)
                fail_msg("statement name %s declared twice", st[i]->name);
    }
}

static void test_routes_unique(void **state)
{
    (void)state;
    size_t n = 0;
    const struct route *r = routes_table(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(r[i].path);
        assert_non_null(r[i].name);
        for (size_t j = i + 1; j < n; j++) {
            if (r[i].method == r[j].method && r[i].segment == r[j].segment &&
                strcmp(r[i].path, r[j].path) == 0)
                fail_msg("route %d %s declared twice", (int)r[i].method, r[i].path);
            if (strcmp(r[i].name, r[j].name) == 0)
                fail_msg("metrics name %s used by %s and %s", r[i].name, r[i].path, r[j].path);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statement_names_unique),
        cmocka_unit_test(test_routes_unique),
        cmocka_unit_test(test_statements_match_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
