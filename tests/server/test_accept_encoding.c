/* Tests for server/net/accept_encoding.c: which Accept-Encoding values get a gzip body. Weights
 * are read properly (q=0 refuses, "*" covers what is not named, identity preferred when the client
 * weighs it higher), browsers' real headers, and malformed weights never choose gzip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "net/accept_encoding.h"

static void is(const char *value, bool want)
{
    bool got = accept_encoding_gzip(value, value ? strlen(value) : 0);
    if (got != want)
        fail_msg("Accept-Encoding [%s]: gzip %s, expected %s", value ? value : "(none)",
                 got ? "yes" : "no", want ? "yes" : "no");
}

static void test_browsers_and_plain_lists(void **state)
{
    (void)state;
    is(NULL, false);
    is("", false);
    is("gzip, deflate, br", true);       /* Chromium over HTTPS */
    is("gzip, deflate, br, zstd", true); /* newer Chromium */
    is("gzip, deflate", true);           /* curl --compressed */
    is("GZIP", true);
    is("x-gzip", true);
    is("deflate, br", false);
    is("identity", false);
    is("gzipx", false);
    is("br;q=1.0, gzip;q=0.1", true);
    is("  gzip  ;  q=0.8  ", true);
}

static void test_weights(void **state)
{
    (void)state;
    is("gzip;q=0", false);
    is("gzip; q=0", false);
    is("gzip;Q=0", false);
    is("gzip;q=0.000", false);
    is("gzip;q=0.001", true);
    is("gzip;q=1", true);
    is("gzip;q=1.000", true);
    is("*", true);
    is("*;q=0", false);
    is("gzip;q=0, *", false); /* named with q=0: the wildcard does not bring it back */
    is("*, gzip;q=0", false);
    is("deflate, *;q=0.5", true);
    is("gzip;q=0.5, identity;q=1", false); /* the client prefers identity */
    is("gzip;q=1, identity;q=0.5", true);
    is("identity;q=0, gzip", true);
    is("gzip;level=1;q=0", false);
    is("gzip, gzip;q=0", false); /* named twice: the lower weight */
}

static void test_malformed(void **state)
{
    (void)state;
    is("gzip;q=abc", false);
    is("gzip;q=1.5", false);
    is("gzip;q=2", false);
    is("gzip;q=0.0001", false);
    is("gzip;q", false);
    is("gzip;q=", false);
    is("gzip junk", false);
    is(",,,", false);
    is("gzip;q=0.5 x", false);
    is(", gzip", true); /* empty elements are allowed and skipped */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_browsers_and_plain_lists),
        cmocka_unit_test(test_weights),
        cmocka_unit_test(test_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
