/* gzip members spliced from pieces deflated once and stored literals (gzip_splice.h). The byte
 * layouts are RFC 1951 (deflate: 3.2.3 block header, 3.2.4 stored blocks, 3.2.6 the fixed code)
 * and RFC 1952 (gzip: the 10-byte header, CRC-32 and ISIZE little-endian at the end). */
#include "gzip_splice.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* ID1 ID2, CM = deflate, no flags, MTIME 0 (unknown), XFL 0, OS 3 (Unix) */
static const unsigned char GZ_HEADER[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

/* Deflates data into a growing buffer until flush is done; true on success. */
static bool deflate_all(z_stream *zs, const void *data, size_t len, int flush, unsigned char **out,
                        size_t *out_len)
{
    size_t cap = deflateBound(zs, (uLong)len) + 64, used = 0;
    unsigned char *buf = xmalloc(cap);
    zs->next_in = (Bytef *)(uintptr_t)data;
    zs->avail_in = (uInt)len;
    for (;;) {
        zs->next_out = buf + used;
        zs->avail_out = (uInt)(cap - used);
        int rc = deflate(zs, flush);
        used = cap - zs->avail_out;
        if (rc == Z_STREAM_END ||
            (rc == Z_OK && flush != Z_FINISH && zs->avail_out > 0 && zs->avail_in == 0))
            break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            free(buf);
            return false;
        }
        buf = xreallocarray(buf, 2, cap);
        cap *= 2;
    }
    *out = buf;
    *out_len = used;
    return true;
}

/* deflate's window: no match reaches further back */
#define GZ_WINDOW 32768

/* The last GZ_WINDOW bytes (or fewer) of the parts, literals as NUL bytes, into dict; returns
 * how many. */
static size_t history_tail(unsigned char dict[GZ_WINDOW], const struct gz_span *before,
                           size_t n_before)
{
    size_t total = 0;
    for (size_t i = 0; i < n_before; i++)
        total += before[i].len;
    size_t skip = total > GZ_WINDOW ? total - GZ_WINDOW : 0, at = 0;
    for (size_t i = 0; i < n_before; i++) {
        size_t l = before[i].len, from = 0;
        if (skip >= l) {
            skip -= l;
            continue;
        }
        from = skip;
        skip = 0;
        if (before[i].data)
            memcpy(dict + at, (const unsigned char *)before[i].data + from, l - from);
        else
            memset(dict + at, 0, l - from);
        at += l - from;
    }
    return at;
}

static bool piece_deflate(struct gz_piece *p, const void *data, size_t len, int level,
                          const struct gz_span *before, size_t n_before)
{
    memset(p, 0, sizeof *p);
    if (len == 0)
        return true; /* nothing to send: no blocks, CRC 0 */
    if (len > UINT32_MAX || n_before > GZ_SPLICE_MAX_PARTS)
        return false;
    if (memchr(data, 0, len))
        n_before = 0; /* a NUL could match a literal's stand-in: alone, then */
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* raw deflate (negative window bits): no zlib or gzip wrapper of its own */
    if (deflateInit2(&zs, level, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    if (n_before > 0) {
        unsigned char *dict = xmalloc(GZ_WINDOW);
        size_t dl = history_tail(dict, before, n_before);
        int rc = deflateSetDictionary(&zs, dict, (uInt)dl);
        free(dict);
        if (rc != Z_OK) {
            deflateEnd(&zs);
            return false;
        }
        p->n_before = n_before;
        for (size_t i = 0; i < n_before; i++)
            p->before_len[i] = before[i].len;
    }
    /* Z_SYNC_FLUSH: every block complete and the last followed by an empty stored block, so the
     * piece ends on a byte boundary and is not final: whatever follows starts a new block */
    bool ok = deflate_all(&zs, data, len, Z_SYNC_FLUSH, &p->z, &p->z_len);
    deflateEnd(&zs);
    if (!ok) {
        memset(p, 0, sizeof *p);
        return false;
    }
    p->len = len;
    p->crc = (uint32_t)crc32(0L, data, (uInt)len);
    return true;
}

bool gz_piece_init(struct gz_piece *p, const void *data, size_t len, int level)
{
    return piece_deflate(p, data, len, level, NULL, 0);
}

bool gz_piece_init_after(struct gz_piece *p, const void *data, size_t len, int level,
                         const struct gz_span *before, size_t n_before)
{
    return piece_deflate(p, data, len, level, before, n_before);
}

void gz_piece_free(struct gz_piece *p)
{
    free(p->z);
    memset(p, 0, sizeof *p);
}

void gz_splice_begin(struct gz_splice *s)
{
    memset(s, 0, sizeof *s);
    s->spans[s->n_spans++] = (struct gz_span){GZ_HEADER, sizeof GZ_HEADER};
    s->bytes = sizeof GZ_HEADER;
}

static void add_span(struct gz_splice *s, const void *data, size_t len)
{
    s->spans[s->n_spans++] = (struct gz_span){data, len};
    s->bytes += len;
}

static void add_crc(struct gz_splice *s, uint32_t crc, size_t len)
{
    s->crc = (uint32_t)crc32_combine(s->crc, crc, (z_off_t)len);
    s->isize += len;
}

void gz_splice_piece(struct gz_splice *s, const struct gz_piece *p)
{
    bool follows = p->n_before == 0 || p->n_before == s->n_parts;
    for (size_t i = 0; follows && i < p->n_before; i++)
        follows = p->before_len[i] == s->part_len[i];
    if (s->failed || s->n_parts == GZ_SPLICE_MAX_PARTS || !follows) {
        s->failed = true;
        return;
    }
    s->part_len[s->n_parts++] = p->len;
    if (p->len == 0)
        return;
    add_span(s, p->z, p->z_len);
    add_crc(s, p->crc, p->len);
}

void gz_splice_literal(struct gz_splice *s, const void *data, size_t len)
{
    if (s->failed || s->n_parts == GZ_SPLICE_MAX_PARTS || len > GZ_LITERAL_MAX) {
        s->failed = true;
        return;
    }
    s->part_len[s->n_parts] = len;
    unsigned char *h = s->stored[s->n_parts++];
    if (len == 0)
        return;
    /* the previous part ended on a byte boundary: BFINAL 0 and BTYPE 00 (stored) are the low three
     * bits of one byte whose other bits are padding; then LEN and its complement NLEN */
    h[0] = 0;
    h[1] = (unsigned char)(len & 0xff);
    h[2] = (unsigned char)(len >> 8);
    h[3] = (unsigned char)(~len & 0xff);
    h[4] = (unsigned char)((~len >> 8) & 0xff);
    add_span(s, h, 5);
    add_span(s, data, len);
    add_crc(s, (uint32_t)crc32(0L, data, (uInt)len), len);
}

bool gz_splice_end(struct gz_splice *s)
{
    if (s->failed)
        return false;
    unsigned char *e = s->end;
    /* the final block: BFINAL 1, BTYPE 01 (fixed codes), and at once the end-of-block code 256,
     * seven zero bits: ten bits in all */
    e[0] = 0x03;
    e[1] = 0x00;
    for (int i = 0; i < 4; i++) {
        e[2 + i] = (unsigned char)(s->crc >> (8 * i));
        e[6 + i] = (unsigned char)((uint32_t)s->isize >> (8 * i)); /* ISIZE: modulo 2^32 */
    }
    add_span(s, e, sizeof s->end);
    return true;
}

bool gz_compress(struct strbuf *out, const void *data, size_t len, int level)
{
    if (len > UINT32_MAX)
        return false;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* window bits 15 + 16: zlib writes the gzip header and trailer itself */
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    unsigned char *z = NULL;
    size_t z_len = 0;
    bool ok = deflate_all(&zs, data, len, Z_FINISH, &z, &z_len);
    deflateEnd(&zs);
    if (ok)
        strbuf_append(out, z, z_len);
    free(z);
    return ok;
}
