/* Demonstration links (see demo.h). The personal token is printed once and stored only as its
 * HMAC, exactly as real personal links are. */
#include "demo.h"
#include "db/db_row.h"
#include "db/pg_conn.h"
#include "thai_date.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static PGresult *q(PGconn *pg, const char *sql, int n, const char *const *p, char *err,
                   size_t errlen)
{
    PGresult *r = PQexecParams(pg, sql, n, NULL, p, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        snprintf(err, errlen, "demo: %s", PQresultErrorMessage(r));
        PQclear(r);
        return NULL;
    }
    return r;
}

/* Runs a statement whose rows nobody reads; false with err set on failure. */
static bool run(PGconn *pg, const char *sql, int n, const char *const *p, char *err, size_t errlen)
{
    PGresult *r = q(pg, sql, n, p, err, errlen);
    PQclear(r);
    return r != NULL;
}

/* The columns of the link queries below (slug, id) and of the latest year's query. */
enum { DEMO_LINK_SLUG, DEMO_LINK_ID };
enum { DEMO_YEAR };

/* The live public link of the demo agency for instrument, created when missing. */
static bool ensure_link(PGconn *pg, const char *year, const char *instrument, char *slug,
                        char *link_id, char *err, size_t errlen)
{
    const char *p[2] = {year, instrument};
    PGresult *r = q(pg,
                    "SELECT l.slug, l.id FROM survey_link l JOIN agency a ON a.id = l.agency_id"
                    " WHERE a.code = 'DEMO' AND l.fiscal_year = $1 AND l.instrument = $2"
                    " AND l.revoked_at IS NULL",
                    2, p, err, errlen);
    if (!r)
        return false;
    if (PQntuples(r) == 0) {
        PQclear(r);
        char fresh[SLUG_CHARS + 2];
        if (!secret_random_b64url(16, fresh)) {
            snprintf(err, errlen, "demo: no random bytes");
            return false;
        }
        const char *p3[3] = {year, instrument, fresh};
        r = q(pg,
              "INSERT INTO survey_link (agency_id, fiscal_year, instrument, slug, opens_at, "
              "closes_at)"
              " SELECT id, $1, $2, $3, now() - interval '1 day', now() + interval '365 days'"
              " FROM agency WHERE code = 'DEMO' RETURNING slug, id",
              3, p3, err, errlen);
        if (!r)
            return false;
    }
    snprintf(slug, SLUG_CHARS + 2, "%s", db_text(r, 0, DEMO_LINK_SLUG));
    snprintf(link_id, 16, "%s", db_text(r, 0, DEMO_LINK_ID));
    PQclear(r);
    return true;
}

int demo_links(const char *conninfo, const struct secret *s, const char *base_url, char *err,
               size_t errlen)
{
    int rc = -1;
    PGresult *r = NULL;
    PGconn *pg = pg_connect_blocking(conninfo, err, errlen);
    if (!pg)
        goto out;
    /* The current fiscal year when its instruments are loaded, else the latest before it, else
     * the earliest loaded. */
    char fy[8];
    snprintf(fy, sizeof fy, "%d", ita_fiscal_year_now());
    const char *pfy[1] = {fy};
    r = q(pg,
          "SELECT coalesce(max(fiscal_year) FILTER (WHERE fiscal_year <= $1::smallint),"
          " min(fiscal_year)) AS year FROM instrument_version",
          1, pfy, err, errlen);
    if (!r)
        goto out;
    if (db_null(r, 0, DEMO_YEAR)) {
        snprintf(err, errlen,
                 "demo: no instrument version is loaded (itad --load-instruments FILE)");
        goto out;
    }
    char year[8];
    snprintf(year, sizeof year, "%s", db_text(r, 0, DEMO_YEAR));
    PQclear(r);
    r = NULL;
    if (!run(pg,
             "INSERT INTO agency (code, name_th) VALUES ('DEMO', 'หน่วยงานสาธิต (ทดลองระบบ)')"
             " ON CONFLICT (code) DO NOTHING",
             0, NULL, err, errlen))
        goto out;
    char eit[SLUG_CHARS + 2], iit[SLUG_CHARS + 2], eit_id[16], iit_id[16];
    if (!ensure_link(pg, year, "EIT", eit, eit_id, err, errlen) ||
        !ensure_link(pg, year, "IIT", iit, iit_id, err, errlen))
        goto out;
    /* the year's settings, so the web admin shows a set-up year: the links' window, 40 staff */
    const char *py[1] = {year};
    if (!run(pg,
             "INSERT INTO agency_year (agency_id, fiscal_year, opens_at, closes_at, "
             "staff_population)"
             " SELECT a.id, $1, min(l.opens_at), max(l.closes_at), 40 FROM agency a"
             " JOIN survey_link l ON l.agency_id = a.id AND l.fiscal_year = $1"
             " AND l.revoked_at IS NULL WHERE a.code = 'DEMO' GROUP BY a.id ON CONFLICT DO NOTHING",
             1, py, err, errlen))
        goto out;
    /* A published result of an earlier year, so that the past-results page and the history
     * chart show a real figure: fiscal 2565 of the municipality in the seed report (its text
     * gives the weighted table, total 95.82 = IIT 90.42, EIT 95.65, OIT 100 at 30/30/40, and the
     * ten indicators ranked, here put back in indicator order; 95.82 is AA on its 7-level scale).
     * The report's 2561-2564 figures are only in a graph image without numbers, so they are not
     * invented here. */
    if (!run(pg,
             "INSERT INTO agency_result (agency_id, fiscal_year, total, iit, eit, oit, indicators,"
             " rating, source)"
             " SELECT id, 2565, 95.82, 90.42, 95.65, 100.00, '{94.56,88.13,90.81,88.09,90.53,"
             "96.03,96.20,94.74,100.00,100.00}', 'AA', 'entered' FROM agency WHERE code = 'DEMO'"
             " ON CONFLICT DO NOTHING",
             0, NULL, err, errlen))
        goto out;
    char token[PERSONAL_TOKEN_CHARS + 2];
    if (!secret_random_b64url(24, token)) {
        snprintf(err, errlen, "demo: no random bytes");
        goto out;
    }
    unsigned char hash[TOKEN_HASH_BYTES];
    secret_hmac(s, SECRET_LABEL_TOKEN, token, strlen(token), hash);
    char hash_param[2 + 2 * TOKEN_HASH_BYTES + 1] = "\\x";
    secret_hex(hash, TOKEN_HASH_BYTES, hash_param + 2);
    const char *p2[2] = {hash_param, iit_id};
    if (!run(pg, "INSERT INTO personal_token (token_hash, link_id) VALUES ($1, $2)", 2, p2, err,
             errlen))
        goto out;
    printf("fiscal year %s, agency DEMO (หน่วยงานสาธิต)\n", year);
    printf("EIT public link:          %s/s/%s\n", base_url, eit);
    printf("IIT public link:          %s/s/%s\n", base_url, iit);
    printf("IIT personal link (once): %s/t/%s\n", base_url, token);
    rc = 0;
out:
    PQclear(r);
    PQfinish(pg);
    return rc;
}
