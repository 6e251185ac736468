/* What the respondent-side tests start from: the real 2566 instrument file, parsed (the page
 * tests) or also loaded into a test database beside the running server's secret (the end-to-end
 * tests). Header-only, for the tests of tests/server that include it. */
#ifndef ITA_TEST_SURVEY_FIXTURE_H
#define ITA_TEST_SURVEY_FIXTURE_H

#include "db/instrument_store.h"
#include "instrument.h"
#include "secret.h"
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The path of the 2566 instrument file into path; false when ITA_SOURCE_DIR is not set. */
static inline bool fx_instrument_path(char *path, size_t len)
{
    const char *src = getenv("ITA_SOURCE_DIR");
    if (!src) {
        fprintf(stderr, "ITA_SOURCE_DIR is not set (run through ctest)\n");
        return false;
    }
    snprintf(path, len, "%s/instruments/2566.json", src);
    return true;
}

/* The 2566 instrument, parsed; NULL after printing why. */
static inline struct ita_version *fx_load_version(void)
{
    char path[1024];
    if (!fx_instrument_path(path, sizeof path))
        return NULL;
    char *err = NULL;
    struct ita_version *v = ita_version_load_file(path, &err);
    if (!v) {
        fprintf(stderr, "%s\n", err);
        free(err);
    }
    return v;
}

/* The parsed instrument of the page tests, and their group set-up and tear-down. */
static struct ita_version *fx_version __attribute__((unused));

static inline int fx_version_setup(void **state)
{
    (void)state;
    fx_version = fx_load_version();
    return fx_version ? 0 : -1;
}

static inline int fx_version_teardown(void **state)
{
    (void)state;
    ita_version_free(fx_version);
    return 0;
}

/* The 2566 instrument stored in conninfo's database and parsed into *v, and the secret of the
 * server whose directory is server_dir into *secret. 0, or -1 after printing why. */
static inline int fx_load_instrument_and_secret(const char *conninfo, const char *server_dir,
                                                struct ita_version **v, struct secret *secret)
{
    char path[1024], err[4096];
    if (!fx_instrument_path(path, sizeof path))
        return -1;
    if (instrument_store_load(conninfo, path, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    *v = fx_load_version();
    snprintf(path, sizeof path, "%s/secret", server_dir);
    if (!*v || secret_load(secret, path, err, sizeof err) != 0)
        return -1;
    return 0;
}

/* Issues a personal token for link_id: the clear token (32 characters) goes to out, its HMAC
 * under secret to the database. */
static inline void fx_issue_token(const char *conninfo, const struct secret *secret, int link_id,
                                  char *out)
{
    assert_true(secret_random_b64url(24, out));
    unsigned char h[TOKEN_HASH_BYTES];
    secret_hmac(secret, SECRET_LABEL_TOKEN, out, strlen(out), h);
    char hex[2 * TOKEN_HASH_BYTES + 1], q[512];
    secret_hex(h, sizeof h, hex);
    snprintf(q, sizeof q,
             "INSERT INTO personal_token (token_hash, link_id) VALUES ('\\x%s', %d) RETURNING 1",
             hex, link_id);
    assert_non_null(t_db_value(conninfo, q));
}

/* The head of a same-origin form POST of body_len bytes to path on the server at port, closing
 * the connection after the answer; returns its length. */
static inline int fx_form_post_head(char *head, size_t len, int port, const char *path,
                                    size_t body_len)
{
    return snprintf(head, len,
                    "POST %s HTTP/1.1\r\nHost: localhost:%d\r\nOrigin: https://localhost:%d\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n"
                    "Connection: close\r\n\r\n",
                    path, port, port, body_len);
}

#endif
