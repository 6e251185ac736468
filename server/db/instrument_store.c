/* instrument_store_load: validate the file, serialise it canonically, and insert or replace the
 * fiscal year's version in one transaction that holds off new submissions (SHARE lock on
 * response_inbox) while it decides whether answers already exist. */
#include "instrument_store.h"
#include "instrument.h"
#include "digest.h"
#include "pg_conn.h"
#include "xalloc.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Runs sql with params; returns the result when its status is `want`, else NULL with msg set. */
static PGresult *run(PGconn *pg, const char *sql, int n, const char *const *params,
                     ExecStatusType want, char *msg, size_t msglen)
{
    PGresult *r = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(r) != want) {
        snprintf(msg, msglen, "database error: %s", PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

static bool ok(PGconn *pg, const char *sql, int n, const char *const *params, char *msg,
               size_t msglen)
{
    PGresult *r = run(pg, sql, n, params, PGRES_COMMAND_OK, msg, msglen);
    PQclear(r);
    return r != NULL;
}

int instrument_store_load(const char *conninfo, const char *path, char *msg, size_t msglen)
{
    int rc = -1;
    char *err = NULL, *json = NULL, *why = NULL;
    struct ita_version *v = NULL, *old_v = NULL;
    PGconn *pg = NULL;
    PGresult *r = NULL;

    v = ita_version_load_file(path, &err);
    if (!v) {
        snprintf(msg, msglen, "%s", err);
        goto out;
    }
    json = ita_version_to_json(v);
    char sum[65], year[16], iit[16], eit[16];
    sha256_hex(json, strlen(json), sum);
    snprintf(year, sizeof year, "%d", v->fiscal_year);
    snprintf(iit, sizeof iit, "%zu", v->surveys[ITA_IIT].n_fields);
    snprintf(eit, sizeof eit, "%zu", v->surveys[ITA_EIT].n_fields);

    pg = PQconnectdb(conninfo);
    if (PQstatus(pg) != CONNECTION_OK) {
        snprintf(msg, msglen, "cannot connect to the database: %s", PQerrorMessage(pg));
        goto out;
    }
    pg_conn_log_notices(pg);
    if (!ok(pg, "BEGIN", 0, NULL, msg, msglen))
        goto out;
    /* New submissions wait (they are not refused) until this transaction ends. */
    if (!ok(pg, "LOCK TABLE response_inbox IN SHARE MODE", 0, NULL, msg, msglen))
        goto rollback;
    const char *p1[1] = {year};
    r = run(pg,
            "SELECT document::text, sha256, revision FROM instrument_version "
            "WHERE fiscal_year = $1 FOR UPDATE",
            1, p1, PGRES_TUPLES_OK, msg, msglen);
    if (!r)
        goto rollback;
    if (PQntuples(r) == 0) {
        PQclear(r);
        r = NULL;
        const char *p5[5] = {year, json, sum, iit, eit};
        if (!ok(pg,
                "INSERT INTO instrument_version (fiscal_year, document, sha256, iit_fields, "
                "eit_fields) VALUES ($1, $2::jsonb, $3, $4, $5)",
                5, p5, msg, msglen))
            goto rollback;
        if (!ok(pg, "COMMIT", 0, NULL, msg, msglen))
            goto out;
        snprintf(msg, msglen, "fiscal year %d loaded (revision 1) from %s", v->fiscal_year, path);
        rc = 0;
        goto out;
    }
    if (strcmp(PQgetvalue(r, 0, 1), sum) == 0) {
        snprintf(msg, msglen, "fiscal year %d unchanged (revision %s)", v->fiscal_year,
                 PQgetvalue(r, 0, 2));
        PQclear(r);
        r = NULL;
        PQclear(PQexec(pg, "ROLLBACK"));
        rc = 0;
        goto out;
    }
    old_v = ita_version_load_string(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0),
                                    "stored version", &err);
    PQclear(r);
    r = NULL;
    if (!old_v) {
        snprintf(msg, msglen, "the stored version of %d does not load any more: %s", v->fiscal_year,
                 err);
        goto rollback;
    }
    /* the rule the web admin's publishing uses too (ita_instrument_has_responses, sql/0008):
     * IIT and EIT answers wherever the rollup has them, OIT marks entered */
    r = run(pg,
            "SELECT ita_instrument_has_responses($1::smallint, 'IIT'),"
            " ita_instrument_has_responses($1::smallint, 'EIT'),"
            " ita_instrument_has_responses($1::smallint, 'OIT')",
            1, p1, PGRES_TUPLES_OK, msg, msglen);
    if (!r)
        goto rollback;
    bool has[ITA_N_INSTRUMENTS] = {
        PQgetvalue(r, 0, 0)[0] == 't',
        PQgetvalue(r, 0, 1)[0] == 't',
        PQgetvalue(r, 0, 2)[0] == 't',
    };
    PQclear(r);
    r = NULL;
    if (!ita_version_can_replace(old_v, v, has, &why)) {
        snprintf(msg, msglen, "fiscal year %d not changed: %s", v->fiscal_year, why);
        goto rollback;
    }
    if (!ok(pg,
            "INSERT INTO instrument_version_history (fiscal_year, revision, document, sha256, "
            "loaded_at) SELECT fiscal_year, revision, document, sha256, loaded_at "
            "FROM instrument_version WHERE fiscal_year = $1",
            1, p1, msg, msglen))
        goto rollback;
    const char *p5[5] = {year, json, sum, iit, eit};
    r = run(pg,
            "UPDATE instrument_version SET document = $2::jsonb, sha256 = $3, iit_fields = $4, "
            "eit_fields = $5, revision = revision + 1, loaded_at = now() "
            "WHERE fiscal_year = $1 RETURNING revision",
            5, p5, PGRES_TUPLES_OK, msg, msglen);
    if (!r)
        goto rollback;
    char rev[16];
    snprintf(rev, sizeof rev, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    r = NULL;
    if (!ok(pg, "COMMIT", 0, NULL, msg, msglen))
        goto out;
    snprintf(msg, msglen, "fiscal year %d corrected (revision %s) from %s", v->fiscal_year, rev,
             path);
    rc = 0;
    goto out;
rollback:
    PQclear(PQexec(pg, "ROLLBACK"));
out:
    PQclear(r);
    PQfinish(pg);
    ita_version_free(old_v);
    ita_version_free(v);
    free(json);
    free(err);
    free(why);
    return rc;
}
