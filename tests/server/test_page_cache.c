/* The worker caches of the respondent path, as pure units: a cached form page with a token
 * spliced in is byte for byte the page pages_form renders with that token (IIT and EIT, an
 * agency name that needs escaping, either link kind), the key separates what must differ and
 * bytes stay valid while held; the link cache keeps rows for its time-to-live only, copies them,
 * stays within its size and can be turned off. The gzip member of a cached page with a token
 * spliced in (head and tail deflated once, the token a stored block) inflates to that same fresh
 * render, for many tokens, and is a fraction of its size (printed). Personal links share one
 * entry split at their address as well, plain and gzip-coded equal to fresh renders. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "survey/link_cache.h"
#include "survey/page_cache.h"
#include "secret.h"
#include "survey_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* head + token + tail, as a response sends it; the caller frees. */
static char *splice(const struct page_parts *pp, const char *token, size_t *len)
{
    size_t tl = strlen(token);
    *len = pp->head_len + tl + pp->tail_len;
    char *out = malloc(*len + 1);
    memcpy(out, pp->head, pp->head_len);
    memcpy(out + pp->head_len, token, tl);
    memcpy(out + pp->head_len + tl, pp->tail, pp->tail_len);
    out[*len] = '\0';
    return out;
}

static void assert_cached_equals_fresh(struct page_cache *pc, const struct form_view *fv, int rev)
{
    const struct page_parts *pp = page_cache_form(pc, fv, rev);
    assert_non_null(pp);
    size_t len;
    char *cached = splice(pp, fv->form_token, &len);
    struct strbuf fresh;
    strbuf_init(&fresh);
    pages_form(&fresh, fv);
    assert_int_equal(len, fresh.len);
    assert_memory_equal(cached, fresh.data, len);
    free(cached);
    strbuf_free(&fresh);
}

static void test_cached_page_equals_fresh_render(void **state)
{
    struct page_cache *pc = page_cache_new(8);
    char token[FORM_TOKEN_CHARS + 1];
    struct secret s = {.len = 32};
    memset(s.key, 7, 32);
    static const char *const agencies[] = {"เทศบาลทดสอบ <ปลอดภัย> & \"ลูก\"", "อบต. ตัวอย่าง", ""};
    for (int k = 0; k < 2; k++) {
        for (size_t a = 0; a < 3; a++) {
            for (int round = 0; round < 3; round++) { /* a miss, then hits with new tokens */
                assert_true(form_token_make(&s, "AbCdEfGhIjKlMnOpQrStUv", 1700000000 + round, token,
                                            sizeof token));
                assert_true(page_cache_token_ok(token));
                struct form_view fv = {
                    .v = fx_version,
                    .instrument = k == 0 ? ITA_IIT : ITA_EIT,
                    .agency_name_th = agencies[a],
                    .action = "/s/AbCdEfGhIjKlMnOpQrStUv",
                    .form_token = token,
                };
                assert_cached_equals_fresh(pc, &fv, 1);
            }
        }
    }
    page_cache_free(pc);
}

/* The spliced gzip member of pp with token, inflated by zlib (which checks CRC-32 and ISIZE);
 * its compressed length in *zlen. The caller frees. */
static char *gunzip_spliced(const struct page_parts *pp, const char *action, const char *token,
                            size_t *len, size_t *zlen)
{
    struct gz_splice gz;
    assert_true(page_parts_gzip(pp, action, token, &gz));
    unsigned char *z = malloc(gz.bytes);
    size_t at = 0;
    for (size_t i = 0; i < gz.n_spans; i++) {
        memcpy(z + at, gz.spans[i].data, gz.spans[i].len);
        at += gz.spans[i].len;
    }
    *zlen = at;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
    size_t cap = 1 << 20;
    char *out = malloc(cap);
    zs.next_in = z;
    zs.avail_in = (uInt)at;
    zs.next_out = (Bytef *)out;
    zs.avail_out = (uInt)cap;
    assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
    assert_int_equal(zs.avail_in, 0);
    *len = cap - zs.avail_out;
    inflateEnd(&zs);
    free(z);
    return out;
}

static void test_gzip_equals_fresh_render(void **state)
{
    struct page_cache *pc = page_cache_new(8);
    struct secret s = {.len = 32};
    memset(s.key, 9, 32);
    for (int k = 0; k < 2; k++) {
        size_t zlen = 0, plain = 0;
        for (int round = 0; round < 50; round++) {
            char token[FORM_TOKEN_CHARS + 1];
            assert_true(form_token_make(&s, "AbCdEfGhIjKlMnOpQrStUv", 1700000000 + round, token,
                                        sizeof token));
            struct form_view fv = {
                .v = fx_version,
                .instrument = k == 0 ? ITA_IIT : ITA_EIT,
                .agency_name_th = "เทศบาลตำบลทดสอบ & <ลูก>",
                .action = "/s/AbCdEfGhIjKlMnOpQrStUv",
                .form_token = token,
                .k = 10,
            };
            const struct page_parts *pp = page_cache_form(pc, &fv, 1);
            assert_non_null(pp);
            size_t len;
            char *got = gunzip_spliced(pp, fv.action, token, &len, &zlen);
            struct strbuf fresh;
            strbuf_init(&fresh);
            pages_form(&fresh, &fv);
            assert_int_equal(len, fresh.len);
            assert_memory_equal(got, fresh.data, len);
            plain = fresh.len;
            strbuf_free(&fresh);
            free(got);
        }
        print_message("%s form: %zu bytes, gzip %zu bytes (%.0f %%)\n", k == 0 ? "IIT" : "EIT",
                      plain, zlen, 100.0 * (double)zlen / (double)plain);
        assert_true(zlen * 3 < plain);
    }
    page_cache_free(pc);
}

/* Personal links share one entry per agency and instrument: the page split at its address and
 * at its token; plain and gzip-coded, every link's page equals its fresh render. */
static void test_personal_links_share_an_entry(void **state)
{
    struct page_cache *pc = page_cache_new(8);
    struct secret s = {.len = 32};
    memset(s.key, 5, 32);
    struct page_blob *first = NULL;
    for (int round = 0; round < 20; round++) {
        char link[64], action[80], token[FORM_TOKEN_CHARS + 1];
        assert_true(secret_random_b64url(24, link));
        snprintf(action, sizeof action, "/t/%s", link);
        assert_true(form_token_make(&s, link, 1700000000 + round, token, sizeof token));
        struct form_view fv = {.v = fx_version,
                               .instrument = round % 2 ? ITA_IIT : ITA_EIT,
                               .agency_name_th = "อบต. ส่วนตัว",
                               .action = action,
                               .form_token = token,
                               .k = 5};
        const struct page_parts *pp = page_cache_form_any_action(pc, &fv, 3);
        assert_non_null(pp);
        assert_non_null(pp->mid);
        if (round == 0)
            first = pp->blob;
        if (round % 2 == 0)
            assert_ptr_equal(pp->blob, first); /* a hit: the same entry for another link */
        struct strbuf fresh;
        strbuf_init(&fresh);
        pages_form(&fresh, &fv);
        struct gz_span spans[5];
        size_t n = page_parts_spans(pp, action, token, spans), at = 0;
        assert_int_equal(n, 5);
        char *plain = malloc(fresh.len + 1);
        for (size_t i = 0; i < n; i++) {
            assert_true(at + spans[i].len <= fresh.len);
            memcpy(plain + at, spans[i].data, spans[i].len);
            at += spans[i].len;
        }
        assert_int_equal(at, fresh.len);
        assert_memory_equal(plain, fresh.data, at);
        size_t len, zlen;
        char *got = gunzip_spliced(pp, action, token, &len, &zlen);
        assert_int_equal(len, fresh.len);
        assert_memory_equal(got, fresh.data, len);
        free(got);
        free(plain);
        strbuf_free(&fresh);
    }
    page_cache_free(pc);
}

static void test_key_separates_pages(void **state)
{
    struct page_cache *pc = page_cache_new(4);
    struct form_view fv = {.v = fx_version,
                           .instrument = ITA_EIT,
                           .agency_name_th = "ก",
                           .action = "/s/one",
                           .form_token = "T0KEN"};
    const struct page_parts *a = page_cache_form(pc, &fv, 1);
    assert_non_null(a);
    struct page_blob *held = page_blob_hold(a);
    const char *a_head = a->head;
    size_t a_len = a->head_len;
    char *copy = malloc(a_len);
    memcpy(copy, a_head, a_len);
    /* another agency name, action, instrument or revision is another page */
    fv.agency_name_th = "ข";
    assert_cached_equals_fresh(pc, &fv, 1);
    fv.action = "/s/two";
    assert_cached_equals_fresh(pc, &fv, 1);
    fv.instrument = ITA_IIT;
    assert_cached_equals_fresh(pc, &fv, 1);
    assert_cached_equals_fresh(pc, &fv, 2);
    fv.instrument = ITA_EIT;
    fv.action = "/s/three";
    for (int i = 0; i < 10; i++) /* more pages than the cache holds: old ones are replaced */
        assert_cached_equals_fresh(pc, &fv, 10 + i);
    /* held bytes outlive their entry */
    assert_memory_equal(a_head, copy, a_len);
    page_blob_release(held);
    free(copy);
    /* a token that would need escaping is never spliced */
    assert_false(page_cache_token_ok("a<b"));
    assert_false(page_cache_token_ok("a\"b"));
    assert_true(page_cache_token_ok("AZaz09-_"));
    page_cache_free(pc);
}

static void test_link_cache(void **state)
{
    struct link_cache *lc = link_cache_new(16, 1000);
    char name[64] = "หน่วยงาน";
    struct link_row row = {.link_id = 7,
                           .fiscal_year = 2566,
                           .instrument = ITA_EIT,
                           .agency_name = name,
                           .revision = 3,
                           .opens = "2023-10-01",
                           .closes = "2024-03-31"};
    const char *slug = "AbCdEfGhIjKlMnOpQrStUv";
    assert_null(link_cache_get(lc, slug, 0));
    link_cache_put(lc, slug, &row, 1000);
    snprintf(name, sizeof name, "changed"); /* the cache keeps its own copy */
    const struct link_row *got = link_cache_get(lc, slug, 1999);
    assert_non_null(got);
    assert_int_equal(got->link_id, 7);
    assert_int_equal(got->revision, 3);
    assert_string_equal(got->agency_name, "หน่วยงาน");
    assert_string_equal(got->closes, "2024-03-31");
    assert_null(link_cache_get(lc, slug, 2000)); /* expired after ttl */
    link_cache_put(lc, slug, &row, 3000);
    assert_non_null(link_cache_get(lc, slug, 3001));
    link_cache_forget(lc, slug);
    assert_null(link_cache_get(lc, slug, 3001));
    /* bounded: many more slugs than slots, the newest are found, nothing grows */
    char s[SLUG_CHARS + 1];
    for (int i = 0; i < 1000; i++) {
        snprintf(s, sizeof s, "slug%018d", i);
        row.link_id = i;
        link_cache_put(lc, s, &row, 5000 + i);
    }
    snprintf(s, sizeof s, "slug%018d", 999);
    got = link_cache_get(lc, s, 5999);
    assert_non_null(got);
    assert_int_equal(got->link_id, 999);
    /* too long for a slug, empty: never kept */
    link_cache_put(lc, "AbCdEfGhIjKlMnOpQrStUvWxYz", &row, 0);
    assert_null(link_cache_get(lc, "AbCdEfGhIjKlMnOpQrStUvWxYz", 1));
    assert_null(link_cache_get(lc, "", 1));
    link_cache_free(lc);
    /* ttl 0: off */
    lc = link_cache_new(16, 0);
    link_cache_put(lc, slug, &row, 0);
    assert_null(link_cache_get(lc, slug, 0));
    link_cache_free(lc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cached_page_equals_fresh_render),
        cmocka_unit_test(test_key_separates_pages),
        cmocka_unit_test(test_gzip_equals_fresh_render),
        cmocka_unit_test(test_personal_links_share_an_entry),
        cmocka_unit_test(test_link_cache),
    };
    return cmocka_run_group_tests(tests, fx_version_setup, fx_version_teardown);
}
