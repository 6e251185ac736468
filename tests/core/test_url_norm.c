/* Tests for core/url_norm.c: what a clerk pastes as an OIT evidence link. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "url_norm.h"

static void ok(const char *in, const char *want)
{
    char *out = NULL;
    const char *why = NULL;
    if (ita_url_normalize(in, &out, &why) != 0) {
        print_error("refused [%s]: %s\n", in, why);
        fail();
    }
    assert_string_equal(out, want);
    free(out);
}

static void refused(const char *in, const char *why_part)
{
    char *out = NULL;
    const char *why = NULL;
    assert_int_equal(ita_url_normalize(in, &out, &why), -1);
    assert_null(out);
    assert_non_null(why);
    if (!strstr(why, why_part)) {
        print_error("[%s]: %s\n", in, why);
        fail();
    }
}

static void test_pasted_addresses(void **state)
{
    (void)state;
    ok("", "");
    ok("   ", "");
    ok("https://nkp.go.th/ita/o1", "https://nkp.go.th/ita/o1");
    /* spaces and Thai file names: UTF-8 bytes percent-encoded */
    ok(" https://nkp.go.th/ita/รายงาน ผล.pdf \n",
       "https://nkp.go.th/ita/"
       "%E0%B8%A3%E0%B8%B2%E0%B8%A2%E0%B8%87%E0%B8%B2%E0%B8%99%20%E0%B8%9C%E0%B8%A5.pdf");
    /* an existing escape is kept, a lone % is encoded, reserved characters stay */
    ok("https://x.go.th/a%20b?q=1&r=%zz#top", "https://x.go.th/a%20b?q=1&r=%25zz#top");
    ok("HTTPS://WWW.X.GO.TH/Path", "https://www.x.go.th/Path");
    ok("http://x.go.th:8080/a\"b<c>", "http://x.go.th:8080/a%22b%3Cc%3E");
    /* only the host pasted */
    ok("www.nkp.go.th/ita", "https://www.nkp.go.th/ita");
    ok("nkp.go.th", "https://nkp.go.th");
}

static void test_unusable(void **state)
{
    (void)state;
    refused("ftp://x.go.th/a", "https://");
    refused("javascript:alert(1)", "https://");
    refused("รายงานผล", "https://");
    refused("https:///path", "ชื่อเว็บไซต์");
    refused("https://เทศบาล.go.th/ita", "ภาษาไทย");
    refused("https://x.go.th/a\x01", "อักขระควบคุม");
    char *longer = malloc(2100);
    assert_non_null(longer);
    strcpy(longer, "https://x.go.th/");
    memset(longer + 16, 'a', 2000);
    longer[2016] = '\0';
    refused(longer, "2,000");
    free(longer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pasted_addresses),
        cmocka_unit_test(test_unusable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
