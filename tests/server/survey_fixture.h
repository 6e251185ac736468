/* What the respondent-side tests start from: the real 2566 instrument file, parsed (the page
 * tests) or also loaded into a test database beside the running server's secret (the end-to-end
 * tests). Header-only, for the tests of tests/server that include it. */
#ifndef ITA_TEST_SURVEY_FIXTURE_H
#define ITA_TEST_SURVEY_FIXTURE_H

#include "db/instrument_store.h"
#include "instrument.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>

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

#endif
