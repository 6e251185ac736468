/* Tests for core/gzip_splice.c: members spliced from pieces deflated once and per-request
 * literals decompress, with zlib's inflate and with the gzip program and Python's gzip module
 * through a pipe, to exactly the bytes a fresh page would have: many tokens, tokens at the start
 * and at the end, empty parts, several literals, large pages; the literal's bytes are stored as
 * they are (no compression touches them); too many parts or a literal too long are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gzip_splice.h"
#include "strbuf.h"

/* The spans of a member, one after the other; the caller frees. */
static unsigned char *flatten(const struct gz_splice *s, size_t *len)
{
    unsigned char *out = malloc(s->bytes ? s->bytes : 1);
    size_t at = 0;
    for (size_t i = 0; i < s->n_spans; i++) {
        memcpy(out + at, s->spans[i].data, s->spans[i].len);
        at += s->spans[i].len;
    }
    assert_int_equal(at, s->bytes);
    *len = at;
    return out;
}

/* Inflates one gzip member with zlib (header and trailer checked by zlib: CRC-32 and ISIZE);
 * fails the test unless the member is complete and alone. The caller frees. */
static unsigned char *gunzip(const unsigned char *z, size_t zlen, size_t *len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
    size_t cap = 4096 + zlen * 4, used = 0;
    unsigned char *out = malloc(cap);
    zs.next_in = (Bytef *)(uintptr_t)z;
    zs.avail_in = (uInt)zlen;
    int rc;
    do {
        if (used == cap) {
            cap *= 2;
            out = realloc(out, cap);
        }
        zs.next_out = out + used;
        zs.avail_out = (uInt)(cap - used);
        rc = inflate(&zs, Z_NO_FLUSH);
        used = cap - zs.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END)
            fail_msg("inflate: %d (%s)", rc, zs.msg ? zs.msg : "");
    } while (rc != Z_STREAM_END);
    assert_int_equal(zs.avail_in, 0); /* nothing after the trailer */
    inflateEnd(&zs);
    *len = used;
    return out;
}

/* True when the n bytes at needle occur in hay. */
static bool contains(const unsigned char *hay, size_t hl, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= hl; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return true;
    return false;
}

/* Runs cmd with z on its standard input and returns its standard output (the caller frees). */
static unsigned char *through_pipe(const char *cmd, const unsigned char *z, size_t zlen,
                                   size_t *len)
{
    char in_path[] = "/tmp/gzsplice-in-XXXXXX", out_path[] = "/tmp/gzsplice-out-XXXXXX";
    int fd = mkstemp(in_path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, z, zlen), (ssize_t)zlen);
    close(fd);
    fd = mkstemp(out_path);
    assert_true(fd >= 0);
    close(fd);
    char line[512];
    snprintf(line, sizeof line, "%s < %s > %s", cmd, in_path, out_path);
    int st = system(line);
    assert_int_equal(st, 0);
    FILE *f = fopen(out_path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *out = malloc((size_t)n + 1);
    assert_int_equal(fread(out, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    unlink(in_path);
    unlink(out_path);
    *len = (size_t)n;
    return out;
}

static const char GZIP_D[] = "gzip -dc";
static const char PY_GZIP[] = "python3 -c 'import gzip, sys; "
                              "sys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))'";

/* A page-like text of n bytes: HTML with Thai text, repeating as a form does, plus noise. */
static char *make_page(size_t n, unsigned seed)
{
    static const char *const words[] = {
        "<fieldset class=\"q\">",
        "<label for=\"i1-0\">",
        "มากที่สุด",
        "มาก",
        "น้อย",
        "น้อยที่สุด",
        "</label>\n",
        "<input type=\"radio\" name=\"i",
        "ตัวชี้วัดที่ ",
        "\" required>",
    };
    char *p = malloc(n + 1);
    size_t at = 0;
    srand(seed);
    while (at < n) {
        char tmp[64];
        const char *w = words[rand() % 10];
        if (rand() % 7 == 0) {
            snprintf(tmp, sizeof tmp, "%d", rand());
            w = tmp;
        }
        size_t l = strlen(w);
        if (l > n - at)
            l = n - at;
        memcpy(p + at, w, l);
        at += l;
    }
    p[n] = '\0';
    return p;
}

/* A token like the form token: URL-safe base64 of random bytes, len characters. */
static void make_token(char *t, size_t len, unsigned seed)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    srand(seed);
    for (size_t i = 0; i < len; i++)
        t[i] = b64[rand() % 64];
    t[len] = '\0';
}

/* head + token + tail spliced, checked against the fresh bytes with zlib and, when cmd is set,
 * with that program too; with after, the tail is compressed with head and the token's length
 * as its history (gz_piece_init_after). Returns the member's size. */
static size_t check_member(const char *head, size_t hl, const char *token, const char *tail,
                           size_t tl, const char *cmd, bool after)
{
    struct gz_piece ph, pt;
    size_t kl = strlen(token);
    assert_true(gz_piece_init(&ph, head, hl, 9));
    const struct gz_span before[2] = {{head, hl}, {NULL, kl}};
    if (after)
        assert_true(gz_piece_init_after(&pt, tail, tl, 9, before, 2));
    else
        assert_true(gz_piece_init(&pt, tail, tl, 9));
    struct gz_splice s;
    gz_splice_begin(&s);
    gz_splice_piece(&s, &ph);
    gz_splice_literal(&s, token, kl);
    gz_splice_piece(&s, &pt);
    assert_true(gz_splice_end(&s));
    size_t zlen, len;
    unsigned char *z = flatten(&s, &zlen);

    size_t fl = hl + kl + tl;
    char *fresh = malloc(fl + 1);
    memcpy(fresh, head, hl);
    memcpy(fresh + hl, token, kl);
    memcpy(fresh + hl + kl, tail, tl);

    unsigned char *out = gunzip(z, zlen, &len);
    assert_int_equal(len, fl);
    assert_memory_equal(out, fresh, fl);
    free(out);
    if (cmd) {
        out = through_pipe(cmd, z, zlen, &len);
        assert_int_equal(len, fl);
        assert_memory_equal(out, fresh, fl);
        free(out);
    }
    /* the token is in a stored block: its bytes are in the member as they are */
    if (kl > 0)
        assert_true(contains(z, zlen, token, kl));
    free(fresh);
    free(z);
    gz_piece_free(&ph);
    gz_piece_free(&pt);
    return zlen;
}

static void check_one(const char *head, size_t hl, const char *token, const char *tail, size_t tl,
                      const char *cmd)
{
    check_member(head, hl, token, tail, tl, cmd, false);
    check_member(head, hl, token, tail, tl, cmd, true);
}

static void test_many_tokens(void **state)
{
    (void)state;
    char *page = make_page(24000, 1);
    char token[300];
    for (unsigned i = 0; i < 200; i++) {
        make_token(token, 10 + i % 120, 1000 + i);
        size_t cut = (i * 7919u) % 24000u; /* the token anywhere in the page */
        check_one(page, cut, token, page + cut, 24000 - cut, i % 50 == 0 ? GZIP_D : NULL);
    }
    free(page);
}

static void test_edges(void **state)
{
    (void)state;
    char *page = make_page(5000, 2);
    char token[64];
    make_token(token, 43, 3);
    check_one("", 0, token, page, 5000, GZIP_D);        /* token first */
    check_one(page, 5000, token, "", 0, GZIP_D);        /* token last */
    check_one("", 0, token, "", 0, GZIP_D);             /* token alone */
    check_one(page, 5000, "", page, 5000, PY_GZIP);     /* empty token */
    check_one("", 0, "", "", 0, PY_GZIP);               /* nothing at all */
    check_one("x", 1, token, "y", 1, PY_GZIP);          /* one byte each side */
    check_one(page, 1, "&<>\"'", page + 1, 4999, NULL); /* any bytes spliced verbatim */
    free(page);
}

static void test_large_pages(void **state)
{
    (void)state;
    /* beyond the 32 KB window and beyond 64 KB (several deflate blocks per piece) */
    size_t sizes[] = {32768, 70000, 1u << 20};
    char token[64];
    make_token(token, 43, 5);
    for (size_t i = 0; i < 3; i++) {
        char *page = make_page(sizes[i], (unsigned)(10 + i));
        check_one(page, sizes[i] / 3, token, page + sizes[i] / 3, sizes[i] - sizes[i] / 3,
                  i == 2 ? GZIP_D : PY_GZIP);
        free(page);
    }
}

/* Five parts: piece, literal, piece, literal, piece (e.g. a personal link's address and a form
 * token both kept out of compression), with a literal of the largest allowed length. */
static void test_several_literals(void **state)
{
    (void)state;
    char *page = make_page(9000, 6);
    char *big = malloc(GZ_LITERAL_MAX + 1);
    make_token(big, GZ_LITERAL_MAX, 7);
    struct gz_piece p[3];
    assert_true(gz_piece_init(&p[0], page, 3000, 6));
    assert_true(gz_piece_init(&p[1], page + 3000, 3000, 6));
    assert_true(gz_piece_init(&p[2], page + 6000, 3000, 6));
    struct gz_splice s;
    gz_splice_begin(&s);
    gz_splice_piece(&s, &p[0]);
    gz_splice_literal(&s, "tok1", 4);
    gz_splice_piece(&s, &p[1]);
    gz_splice_literal(&s, big, GZ_LITERAL_MAX);
    gz_splice_piece(&s, &p[2]);
    assert_true(gz_splice_end(&s));
    size_t zlen, len;
    unsigned char *z = flatten(&s, &zlen);
    unsigned char *out = through_pipe(GZIP_D, z, zlen, &len);
    assert_int_equal(len, 9000 + 4 + GZ_LITERAL_MAX);
    assert_memory_equal(out, page, 3000);
    assert_memory_equal(out + 3000, "tok1", 4);
    assert_memory_equal(out + 3004, page + 3000, 3000);
    assert_memory_equal(out + 6004, big, GZ_LITERAL_MAX);
    assert_memory_equal(out + 6004 + GZ_LITERAL_MAX, page + 6000, 3000);
    free(out);
    free(z);
    for (int i = 0; i < 3; i++)
        gz_piece_free(&p[i]);
    free(big);
    free(page);
}

static void test_refused(void **state)
{
    (void)state;
    static char big[GZ_LITERAL_MAX + 1];
    struct gz_splice s;
    gz_splice_begin(&s);
    gz_splice_literal(&s, big, sizeof big);
    assert_false(gz_splice_end(&s));
    gz_splice_begin(&s);
    for (int i = 0; i <= GZ_SPLICE_MAX_PARTS; i++)
        gz_splice_literal(&s, "a", 1);
    assert_false(gz_splice_end(&s));
}

/* A piece compressed after the head and the token's length refers back across the token: the
 * member shrinks to about what one deflate of the whole page gives, and a page whose second half
 * repeats its first costs little more than the first. */
static void test_history_shrinks(void **state)
{
    (void)state;
    char *page = make_page(24000, 9);
    char token[64];
    make_token(token, 43, 10);
    size_t alone = check_member(page, 12000, token, page + 12000, 12000, GZIP_D, false);
    size_t after = check_member(page, 12000, token, page + 12000, 12000, PY_GZIP, true);
    struct strbuf whole;
    strbuf_init(&whole);
    assert_true(gz_compress(&whole, page, 24000, 9));
    assert_true(after < alone);
    assert_true(after <= whole.len + 64); /* the token's stored block and two sync markers */
    /* the tail a copy of the head: matches reach back across the token into the head */
    char *twice = malloc(24000);
    memcpy(twice, page, 12000);
    memcpy(twice + 12000, page, 12000);
    size_t copy = check_member(twice, 12000, token, twice + 12000, 12000, GZIP_D, true);
    size_t head_only = check_member(twice, 12000, "", "", 0, NULL, false);
    assert_true(copy < head_only + 43 + 200);
    strbuf_free(&whole);
    free(twice);
    free(page);
}

/* A piece compressed for a literal of one length is refused after a literal of another (the
 * member fails rather than decompressing to wrong bytes), and after other parts than its own;
 * data with a NUL byte is compressed alone and goes anywhere. */
static void test_history_checked(void **state)
{
    (void)state;
    char *page = make_page(6000, 11);
    struct gz_piece ph, pt;
    assert_true(gz_piece_init(&ph, page, 3000, 9));
    const struct gz_span before[2] = {{page, 3000}, {NULL, 20}};
    assert_true(gz_piece_init_after(&pt, page + 3000, 3000, 9, before, 2));
    assert_int_equal(pt.n_before, 2);
    struct gz_splice s;
    gz_splice_begin(&s);
    gz_splice_piece(&s, &ph);
    gz_splice_literal(&s, "0123456789012345678", 19); /* one short */
    gz_splice_piece(&s, &pt);
    assert_false(gz_splice_end(&s));
    gz_splice_begin(&s);
    gz_splice_piece(&s, &pt); /* first, without its history */
    assert_false(gz_splice_end(&s));
    gz_splice_begin(&s);
    gz_splice_piece(&s, &ph);
    gz_splice_literal(&s, "01234567890123456789", 20);
    gz_splice_piece(&s, &pt);
    assert_true(gz_splice_end(&s));
    size_t zlen, len;
    unsigned char *z = flatten(&s, &zlen);
    unsigned char *out = gunzip(z, zlen, &len);
    assert_int_equal(len, 6020);
    assert_memory_equal(out, page, 3000);
    assert_memory_equal(out + 3000, "01234567890123456789", 20);
    assert_memory_equal(out + 3020, page + 3000, 3000);
    free(out);
    free(z);
    gz_piece_free(&pt);

    char binary[100];
    memcpy(binary, page, sizeof binary);
    binary[50] = '\0';
    assert_true(gz_piece_init_after(&pt, binary, sizeof binary, 9, before, 2));
    assert_int_equal(pt.n_before, 0);
    gz_splice_begin(&s);
    gz_splice_piece(&s, &pt);
    assert_true(gz_splice_end(&s));
    z = flatten(&s, &zlen);
    out = gunzip(z, zlen, &len);
    assert_int_equal(len, sizeof binary);
    assert_memory_equal(out, binary, sizeof binary);
    free(out);
    free(z);
    gz_piece_free(&pt);
    gz_piece_free(&ph);
    free(page);
}

/* History longer than the 32 KiB window: only its end is the dictionary, and literals inside it
 * still line up. */
static void test_history_long(void **state)
{
    (void)state;
    char *page = make_page(90000, 12);
    char t1[40], t2[50];
    make_token(t1, 39, 13);
    make_token(t2, 49, 14);
    struct gz_piece p[3];
    assert_true(gz_piece_init(&p[0], page, 40000, 6));
    const struct gz_span b1[2] = {{page, 40000}, {NULL, 39}};
    assert_true(gz_piece_init_after(&p[1], page + 40000, 20000, 6, b1, 2));
    const struct gz_span b2[4] = {{page, 40000}, {NULL, 39}, {page + 40000, 20000}, {NULL, 49}};
    assert_true(gz_piece_init_after(&p[2], page + 60000, 30000, 6, b2, 4));
    struct gz_splice s;
    gz_splice_begin(&s);
    gz_splice_piece(&s, &p[0]);
    gz_splice_literal(&s, t1, 39);
    gz_splice_piece(&s, &p[1]);
    gz_splice_literal(&s, t2, 49);
    gz_splice_piece(&s, &p[2]);
    assert_true(gz_splice_end(&s));
    size_t zlen, len;
    unsigned char *z = flatten(&s, &zlen);
    unsigned char *out = through_pipe(GZIP_D, z, zlen, &len);
    assert_int_equal(len, 90000 + 39 + 49);
    assert_memory_equal(out, page, 40000);
    assert_memory_equal(out + 40000, t1, 39);
    assert_memory_equal(out + 40039, page + 40000, 20000);
    assert_memory_equal(out + 60039, t2, 49);
    assert_memory_equal(out + 60088, page + 60000, 30000);
    free(out);
    free(z);
    for (int i = 0; i < 3; i++)
        gz_piece_free(&p[i]);
    free(page);
}

/* The compressed pieces are what makes the page small: a 24 KB page to a fraction. */
static void test_sizes_and_whole_member(void **state)
{
    (void)state;
    char *page = make_page(24000, 8);
    struct gz_piece p;
    assert_true(gz_piece_init(&p, page, 24000, 9));
    assert_true(p.z_len < 24000 / 3);
    struct strbuf whole;
    strbuf_init(&whole);
    assert_true(gz_compress(&whole, page, 24000, 6));
    size_t len;
    unsigned char *out = gunzip((const unsigned char *)whole.data, whole.len, &len);
    assert_int_equal(len, 24000);
    assert_memory_equal(out, page, 24000);
    free(out);
    out = through_pipe(GZIP_D, (const unsigned char *)whole.data, whole.len, &len);
    assert_int_equal(len, 24000);
    assert_memory_equal(out, page, 24000);
    free(out);
    strbuf_free(&whole);
    gz_piece_free(&p);
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_tokens),     cmocka_unit_test(test_edges),
        cmocka_unit_test(test_large_pages),     cmocka_unit_test(test_several_literals),
        cmocka_unit_test(test_refused),         cmocka_unit_test(test_sizes_and_whole_member),
        cmocka_unit_test(test_history_shrinks), cmocka_unit_test(test_history_checked),
        cmocka_unit_test(test_history_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
