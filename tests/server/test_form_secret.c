/* Unit tests for the urlencoded form parser and the secret-derived values: slugs, personal
 * tokens, keyed hashes and signed form tokens (tampering, expiry, binding to the link). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "net/form_parse.h"
#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_form_parse_ok(void **state)
{
    struct arena a;
    arena_init(&a, 1024);
    struct form_data *f = malloc(sizeof *f);
    const char *why = NULL;
    const char *body = "f=abc&i1.1=3&i1.2=0&&note=%E0%B8%81+x%2B%26";
    assert_int_equal(form_parse(body, strlen(body), &a, f, &why), 0);
    assert_int_equal(f->n, 4);
    assert_string_equal(form_get(f, "i1.1"), "3");
    assert_string_equal(form_get(f, "note"), "\xE0\xB8\x81 x+&"); /* ก, '+' is a space */
    assert_null(form_get(f, "i2.1"));
    assert_int_equal(form_count(f, "i1.2"), 1);
    assert_int_equal(form_parse("a=1&a=2", 7, &a, f, &why), 0);
    assert_int_equal(form_count(f, "a"), 2);
    assert_int_equal(form_parse("", 0, &a, f, &why), 0);
    assert_int_equal(f->n, 0);
    assert_int_equal(form_parse("a=", 2, &a, f, &why), 0);
    assert_string_equal(form_get(f, "a"), "");
    arena_reset(&a);
    free(f);
}

static void test_form_parse_rejects(void **state)
{
    struct arena a;
    arena_init(&a, 1024);
    struct form_data *f = malloc(sizeof *f);
    const char *why = NULL;
    assert_int_equal(form_parse("a=%4", 4, &a, f, &why), -1);
    assert_string_equal(why, "malformed percent escape");
    assert_int_equal(form_parse("a=%zz", 5, &a, f, &why), -1);
    assert_int_equal(form_parse("a=%", 3, &a, f, &why), -1);
    assert_int_equal(form_parse("a=%00", 5, &a, f, &why), -1);
    assert_string_equal(why, "NUL byte in form data");
    /* half a Thai character (E0 B8 xx) and a lone Latin-1 byte are not UTF-8 */
    assert_int_equal(form_parse("name=%E0%B8%32", 14, &a, f, &why), -1);
    assert_string_equal(why, "form data is not valid UTF-8");
    assert_int_equal(form_parse("name=caf%E9", 11, &a, f, &why), -1);
    assert_int_equal(form_parse("name=%E0%B8%81", 14, &a, f, &why), 0); /* ก */
    assert_string_equal(form_get(f, "name"), "ก");
    assert_int_equal(form_parse("a=1&b", 5, &a, f, &why), -1);
    assert_string_equal(why, "form field without '='");
    char big[FORM_MAX_PAIRS * 4 + 8] = "";
    for (int i = 0; i <= FORM_MAX_PAIRS; i++)
        strcat(big, "a=1&");
    assert_int_equal(form_parse(big, strlen(big), &a, f, &why), -1);
    assert_string_equal(why, "too many form fields");
    const char with_nul[] = "a=1\0b=2";
    assert_int_equal(form_parse(with_nul, sizeof with_nul - 1, &a, f, &why), -1);
    arena_reset(&a);
    free(f);
}

static struct secret key(char fill)
{
    struct secret s;
    memset(s.key, fill, 48);
    s.len = 48;
    return s;
}

static void test_random_values(void **state)
{
    char a[40], b[40];
    assert_true(secret_random_b64url(16, a));
    assert_true(secret_random_b64url(16, b));
    assert_int_equal(strlen(a), SLUG_CHARS);
    assert_true(secret_is_slug(a));
    assert_string_not_equal(a, b);
    assert_true(secret_random_b64url(24, a));
    assert_int_equal(strlen(a), PERSONAL_TOKEN_CHARS);
    assert_true(secret_is_personal_token(a));
    assert_false(secret_is_slug(a));
    assert_false(secret_is_slug("short"));
    assert_false(secret_is_slug("AAAAAAAAAAAAAAAAAAAA/A")); /* '/' is not base64url */
}

static void test_hmac_known_answer(void **state)
{
    /* Known answer computed independently with OpenSSL's command line:
     * printf 'token\0abc' | openssl dgst -sha256 -hmac key */
    struct secret s;
    memcpy(s.key, "key", 3);
    s.len = 3;
    unsigned char out[TOKEN_HASH_BYTES];
    secret_hmac(&s, "token", "abc", 3, out);
    char hex[65];
    secret_hex(out, sizeof out, hex);
    assert_string_equal(hex, "938217e9845861523684ad5cd96e6adbeab25c00f8c2486cfec762cd69817f82");
    /* different label, different hash */
    unsigned char out2[TOKEN_HASH_BYTES];
    secret_hmac(&s, "nonce", "abc", 3, out2);
    assert_memory_not_equal(out, out2, sizeof out);
}

static void test_form_tokens(void **state)
{
    struct secret s = key('k'), other = key('o');
    char tok[FORM_TOKEN_CHARS + 1], tok2[FORM_TOKEN_CHARS + 1];
    int64_t now = 1700000000;
    assert_true(form_token_make(&s, "SLUG-A", now, tok, sizeof tok));
    assert_int_equal(strlen(tok), FORM_TOKEN_CHARS);
    unsigned char h1[TOKEN_HASH_BYTES], h2[TOKEN_HASH_BYTES];
    assert_int_equal(form_token_check(&s, "SLUG-A", tok, now + 10, 86400, h1), FORM_TOKEN_OK);
    assert_int_equal(form_token_check(&s, "SLUG-A", tok, now + 20, 86400, h2), FORM_TOKEN_OK);
    assert_memory_equal(h1, h2, sizeof h1); /* same form, same nonce hash: a repeat is seen */
    assert_true(form_token_make(&s, "SLUG-A", now, tok2, sizeof tok2));
    assert_int_equal(form_token_check(&s, "SLUG-A", tok2, now, 86400, h2), FORM_TOKEN_OK);
    assert_memory_not_equal(h1, h2, sizeof h1); /* another form, another nonce */
    /* bound to the link, the key and the time */
    assert_int_equal(form_token_check(&s, "SLUG-B", tok, now, 86400, h1), FORM_TOKEN_INVALID);
    assert_int_equal(form_token_check(&other, "SLUG-A", tok, now, 86400, h1), FORM_TOKEN_INVALID);
    assert_int_equal(form_token_check(&s, "SLUG-A", tok, now + 86401, 86400, h1),
                     FORM_TOKEN_EXPIRED);
    assert_int_equal(form_token_check(&s, "SLUG-A", tok, now - 600, 86400, h1), FORM_TOKEN_EXPIRED);
    /* any flipped character breaks it */
    for (size_t i = 0; i < FORM_TOKEN_CHARS; i++) {
        char bad[FORM_TOKEN_CHARS + 1];
        memcpy(bad, tok, sizeof bad);
        bad[i] = bad[i] == 'A' ? 'B' : 'A';
        /* the MAC covers nonce and time, and unused trailing bits must be zero */
        assert_int_equal(form_token_check(&s, "SLUG-A", bad, now, 86400, h1), FORM_TOKEN_INVALID);
    }
    assert_int_equal(form_token_check(&s, "SLUG-A", "", now, 86400, h1), FORM_TOKEN_INVALID);
    assert_int_equal(form_token_check(&s, "SLUG-A", NULL, now, 86400, h1), FORM_TOKEN_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_parse_ok), cmocka_unit_test(test_form_parse_rejects),
        cmocka_unit_test(test_random_values), cmocka_unit_test(test_hmac_known_answer),
        cmocka_unit_test(test_form_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
