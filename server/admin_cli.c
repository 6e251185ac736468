/* First administrator (see admin_cli.h). The password is 20 random base64url characters
 * (120 bits); only its argon2id hash is stored. */
#include "admin_cli.h"
#include "secret.h"
#include "db/db_row.h"
#include "db/pg_conn.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int admin_create_api_token(const char *conninfo, const struct secret *s, const char *email,
                           const char *name, char *err, size_t errlen)
{
    char token[API_TOKEN_CHARS + 2], hex[2 + 2 * TOKEN_HASH_BYTES + 1];
    unsigned char h[TOKEN_HASH_BYTES];
    if (!secret_random_b64url(32, token)) {
        snprintf(err, errlen, "no random bytes");
        return -1;
    }
    secret_hmac(s, "api-token", token, strlen(token), h);
    hex[0] = '\\';
    hex[1] = 'x';
    secret_hex(h, TOKEN_HASH_BYTES, hex + 2);
    int rc = -1;
    PGresult *r = NULL;
    PGconn *pg = pg_connect_blocking(conninfo, err, errlen);
    if (!pg)
        goto out;
    const char *p[3] = {hex, email, name};
    r = PQexecParams(pg,
                     "INSERT INTO api_token (token_hash, user_id, name)"
                     " SELECT $1::bytea, id, $3 FROM admin_user WHERE email = lower($2)"
                     " AND NOT disabled",
                     3, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        snprintf(err, errlen, "%s", PQresultErrorMessage(r));
        goto out;
    }
    if (strcmp(PQcmdTuples(r), "1") != 0) {
        snprintf(err, errlen, "no enabled administrator %s (create one with --create-admin)",
                 email);
        goto out;
    }
    printf("%s\n", token);
    rc = 0;
out:
    sodium_memzero(token, sizeof token);
    PQclear(r);
    PQfinish(pg);
    return rc;
}

enum { ANY_ADMIN }; /* the column of SELECT EXISTS (...) AS any_admin */

int admin_create(const char *conninfo, const char *email, const char *agency_code,
                 bool only_if_none, char *err, size_t errlen)
{
    char lower[256];
    size_t n = strlen(email);
    if (n == 0 || n >= sizeof lower || !strchr(email, '@')) {
        snprintf(err, errlen, "--create-admin needs an e-mail address, e.g. admin@example.go.th");
        return -1;
    }
    for (size_t i = 0; i <= n; i++)
        lower[i] = (char)tolower((unsigned char)email[i]);
    if (sodium_init() < 0) {
        snprintf(err, errlen, "libsodium could not start");
        return -1;
    }
    int rc = -1;
    PGresult *r = NULL;
    PGconn *pg = pg_connect_blocking(conninfo, err, errlen);
    if (!pg)
        goto out;
    if (only_if_none) {
        r = PQexec(pg, "SELECT EXISTS (SELECT 1 FROM admin_user) AS any_admin");
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            snprintf(err, errlen, "%s", PQresultErrorMessage(r));
            goto out;
        }
        if (db_bool(r, 0, ANY_ADMIN)) {
            rc = 0; /* there is one already: nothing to do, nothing to print */
            goto out;
        }
        PQclear(r);
        r = NULL;
    }
    char password[32], hash[crypto_pwhash_STRBYTES];
    if (!secret_random_b64url(15, password) ||
        crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        snprintf(err, errlen, "cannot make a password (out of memory or no random bytes)");
        goto out;
    }
    const char *p[3] = {lower, hash, agency_code};
    r = agency_code
            ? PQexecParams(pg,
                           "INSERT INTO admin_user (email, role, agency_id, password_hash)"
                           " SELECT $1, 'agency', id, $2 FROM agency WHERE code = $3",
                           3, NULL, p, NULL, NULL, 0)
            : PQexecParams(
                  pg,
                  "INSERT INTO admin_user (email, role, password_hash) VALUES ($1, 'system', $2)",
                  2, NULL, p, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdTuples(r), "1") != 0) {
        snprintf(err, errlen, "no agency with code %s", agency_code);
        goto out;
    }
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (state && strcmp(state, "23505") == 0)
            snprintf(err, errlen, "an administrator %s already exists", lower);
        else
            snprintf(err, errlen, "%s", PQresultErrorMessage(r));
        goto out;
    }
    printf("%s administrator: %s\npassword (shown once; only its hash is stored, so keep it safe): "
           "%s\n",
           agency_code ? "agency" : "system", lower, password);
    sodium_memzero(password, sizeof password);
    rc = 0;
out:
    PQclear(r);
    PQfinish(pg);
    return rc;
}
